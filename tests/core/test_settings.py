"""Settings come from the environment; production refuses to start without a SECRET_KEY."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _django_setup(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _django_setup({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_secret_key():
    result = _django_setup({"DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_debug_uses_a_development_key():
    result = _django_setup({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_no_broker_means_tasks_run_in_process():
    env = {"DEBUG": "1", "CELERY_BROKER_URL": ""}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'])"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"], result.stderr


def test_make_run_points_email_links_at_the_server_it_starts():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8311"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    commands = [line for line in dry_run.splitlines() if "manage.py" in line]
    for name in ("load_demo", "runserver"):
        (line,) = [c for c in commands if name in c]
        assert "SITE_URL=http://127.0.0.1:8311 " in line, line
