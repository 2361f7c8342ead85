"""Point Django at a throw-away benchmark database before it starts (bench scripts only)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def prepare_environment(bench_db: str) -> str:
    """With a PostgreSQL DATABASE_URL, create (once) and use `bench_db` on the same server,
    never the database named in the URL; otherwise a SQLite file in the temp folder.
    Returns a description of the database for the printout."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        with psycopg.connect(url, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (bench_db,)
            ).fetchone()
            if not exists:
                conn.execute(f"CREATE DATABASE {bench_db}")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_db}"))
        kind = f"PostgreSQL ({parts.hostname}:{parts.port or 5432}/{bench_db})"
    else:
        path = Path(tempfile.gettempdir()) / f"{bench_db}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        kind = f"SQLite ({path})"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ["CELERY_BROKER_URL"] = ""  # nothing is queued by the seeds
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    return kind
