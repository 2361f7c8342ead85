"""Fixtures of the API tests: API keys acting as users of each role, and a client."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from integrations.keys import api_key_create, integration_get_or_create

ALL_SCOPES = [
    "recruiting:read",
    "recruiting:write",
    "hr:read",
    "hr:write",
    "ml:invoke",
    "webhooks:manage",
    "privacy:erase",
]


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def make_client(db) -> Callable[..., APIClient]:
    """A client sending a new API key of `user` with `scopes` (all by default)."""

    def make(user, scopes: list[str] | None = None, rate_limit: int | None = None) -> APIClient:
        integration = integration_get_or_create(user=user, name=f"ATS of {user.username}")
        key, text = api_key_create(
            integration=integration, scopes=scopes or ALL_SCOPES, rate_limit=rate_limit
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
        client.key = key
        client.key_text = text
        return client

    return make


@pytest.fixture
def recruiter_api(recruiter, make_client) -> APIClient:
    return make_client(recruiter)


@pytest.fixture
def manager_api(hiring_manager, make_client) -> APIClient:
    return make_client(hiring_manager)


@pytest.fixture
def hr_api(hr_admin, make_client) -> APIClient:
    return make_client(hr_admin)
