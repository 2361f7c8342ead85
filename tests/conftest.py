"""Shared fixtures, and the rule for tests that need real PostgreSQL or a real broker."""

from __future__ import annotations

import os

import pytest

from core.roles import Role

from .factories import UserFactory

# In CI these must run: REQUIRE_SERVICES=1 turns a missing service into a failure.
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _database_is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect-by-skip the service tests a laptop without servers cannot run."""
    missing = {
        "postgres": None if _database_is_postgres() else "needs DATABASE_URL=postgres://...",
        "worker": None
        if os.environ.get("CELERY_BROKER_URL") and _database_is_postgres()
        else "needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL a worker process can share",
    }
    for item in items:
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker):
                if REQUIRE_SERVICES:
                    raise pytest.UsageError(f"{item.nodeid}: REQUIRE_SERVICES=1 but it {reason}")
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def recruiter(db):
    return UserFactory(roles=[Role.RECRUITER])


@pytest.fixture
def hiring_manager(db):
    return UserFactory(roles=[Role.HIRING_MANAGER])


@pytest.fixture
def hr_admin(db):
    return UserFactory(roles=[Role.HR_ADMIN])


@pytest.fixture
def no_role_user(db):
    return UserFactory()


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data beside the project (SMARTHR_SHARED_DIR overrides the shared folder)."""
    from pathlib import Path

    root = Path(
        os.environ.get("SMARTHR_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared")
    )
    data = root / "data"
    assert data.is_dir(), f"shared data not found at {data}; set SMARTHR_SHARED_DIR"
    return data
