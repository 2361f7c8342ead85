"""Start a real `celery -A config worker` process on the test database (worker tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def running_worker(
    log_path: Path, *, settings_module: str = "tests.settings", **extra_env: str
) -> Iterator[subprocess.Popen]:
    """A solo-pool worker on the test database, logging to `log_path`; tasks stop running
    in-process while it is up (the test's own process queues them to the broker)."""
    from config.celery import app

    app.conf.task_always_eager = False
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": url,
        "TEST_TASKS_EAGER": "0",
        **extra_env,
    }
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"),
            *("--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=INFO"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        app.conf.task_always_eager = True
