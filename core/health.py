"""/healthz: is the database reachable, and the Celery broker when one is configured."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    if settings.CELERY_BROKER_URL.startswith("memory:"):
        return "not configured (tasks run in-process)"
    from kombu.connection import Connection

    # A fresh connection, not the app's pool: the check must see the broker as it is now.
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def run_checks() -> tuple[bool, dict[str, str]]:
    """All checks; a failing one reports its error instead of raising."""
    results: dict[str, str] = {}
    healthy = True
    for name, check in (("database", check_database), ("broker", check_broker)):
        try:
            results[name] = check()
        except Exception as exc:
            healthy = False
            results[name] = f"error: {type(exc).__name__}: {exc}"
    return healthy, results
