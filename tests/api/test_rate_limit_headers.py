"""X-RateLimit-* on every answer to a key, a Retry-After that lets the client in when it says,
and both declared in the schema (issue 17)."""

from __future__ import annotations

import math
import time
from functools import cache
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from integrations.auth import ApiKeyThrottle
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db

HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


class Clock:
    """The throttle's clock, moved by the test (a callable object: it stays unbound)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ApiKeyThrottle, "timer", clock)
    return clock


@cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _declared(path: str, method: str, status: int) -> dict[str, Any]:
    return _schema()["paths"][path][method]["responses"][str(status)].get("headers", {})


def _limits(response) -> tuple[int, int, int]:
    missing = [h for h in HEADERS if not response.has_header(h)]
    assert not missing, (response.status_code, missing)
    return tuple(int(response[h]) for h in HEADERS)


# Before: none of these answers carried X-RateLimit-* headers.


def test_every_answer_to_a_key_says_where_it_stands(make_client, recruiter, clock):
    api = make_client(recruiter, rate_limit=5)
    job = JobFactory()
    ok = api.get("/api/v1/jobs/")
    assert _limits(ok) == (5, 4, math.ceil(clock.now + 60))
    created = api.post("/api/v1/jobs/", {"title": "Data Engineer"}, format="json")
    assert created.status_code == 201 and _limits(created)[:2] == (5, 3)
    missing = api.get("/api/v1/jobs/999999/")
    assert missing.status_code == 404 and _limits(missing)[:2] == (5, 2)
    invalid = api.patch(f"/api/v1/jobs/{job.pk}/", {"title": ""}, format="json")
    assert invalid.status_code == 400 and _limits(invalid)[:2] == (5, 1)
    detail = api.get(f"/api/v1/jobs/{job.pk}/")
    assert _limits(detail)[:2] == (5, 0)
    limited = api.get("/api/v1/jobs/")
    assert limited.status_code == 429 and _limits(limited)[:2] == (5, 0)


def test_an_answer_the_throttle_did_not_count_still_says_where_the_key_stands(
    make_client, recruiter, clock
):
    api = make_client(recruiter, scopes=["recruiting:read"], rate_limit=5)
    api.get("/api/v1/jobs/")
    refused = api.post("/api/v1/jobs/", {"title": "X"}, format="json")  # scope: decided first
    assert refused.status_code == 403
    assert _limits(refused)[:2] == (5, 4)  # not counted


def test_a_session_or_a_refused_key_gets_no_limit_headers(recruiter):
    portal = APIClient()
    portal.force_login(recruiter)
    assert portal.get("/api/v1/jobs/").status_code == 200
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer shr_00000000_nope")
    for response in (portal.get("/api/v1/jobs/"), bad.get("/api/v1/jobs/")):
        assert not any(response.has_header(h) for h in HEADERS)


# Retry-After is exact to the second (this held before too), and a key whose limit was
# lowered gets one (before: a 429 with no Retry-After at all).


def test_waiting_retry_after_lets_the_client_in(make_client, recruiter, clock):
    api = make_client(recruiter, rate_limit=2)
    api.get("/api/v1/jobs/")
    clock.now += 10.5
    api.get("/api/v1/jobs/")
    clock.now += 0.25
    limited = api.get("/api/v1/jobs/")
    assert limited.status_code == 429
    wait = int(limited["Retry-After"])
    assert wait == math.ceil(60 - 10.75)  # until the first request leaves the window
    clock.now += wait - 1
    assert api.get("/api/v1/jobs/").status_code == 429  # a second early: still refused
    clock.now += 1
    assert api.get("/api/v1/jobs/").status_code == 200


def test_a_lowered_limit_still_says_when_to_retry(make_client, recruiter, clock):
    api = make_client(recruiter, rate_limit=4)
    for _ in range(4):
        clock.now += 1
        assert api.get("/api/v1/jobs/").status_code == 200
    api.key.rate_limit = 2
    api.key.save(update_fields=["rate_limit"])
    limited = api.get("/api/v1/jobs/")
    assert limited.status_code == 429
    # Three of the four must leave for one more to fit under 2: the second newest last, sent
    # 1 s before the newest (and before this request).
    assert int(limited["Retry-After"]) == 60 - 1
    assert _limits(limited)[:2] == (2, 0)
    clock.now += int(limited["Retry-After"])
    assert api.get("/api/v1/jobs/").status_code == 200


# --- the schema says so ---------------------------------------------------------------------


def test_the_schema_declares_the_headers_on_every_answer_to_a_key():
    operations = [
        (path, method, operation)
        for path, item in _schema()["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "patch", "put", "delete")
    ]
    for path, method, operation in operations:
        for code, response in operation["responses"].items():
            headers = response.get("headers", {})
            if code in ("401", "406"):
                assert not set(HEADERS) & set(headers), (path, method, code)
            else:
                assert set(HEADERS) <= set(headers), (path, method, code)
                assert all(headers[h]["schema"]["type"] == "integer" for h in HEADERS)
    retry = _declared("/api/v1/jobs/", "get", 429)["Retry-After"]
    assert retry["required"] is True and retry["schema"]["minimum"] == 1


def test_the_served_schema_has_them_too(recruiter_api):
    served = recruiter_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    responses = served.json()["paths"]["/api/v1/applications/{id}/"]["get"]["responses"]
    assert set(HEADERS) <= set(responses["200"]["headers"])
