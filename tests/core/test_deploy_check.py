"""`manage.py check --deploy` is clean with the production settings of a TLS deployment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What README's "Production and scale-out" section sets for a deployment behind TLS.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "hr.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://hr.example.com",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}


def _check_deploy(extra: dict[str, str]) -> subprocess.CompletedProcess:
    keep = ("PATH", "HOME", "LANG", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "SMARTHR_MODEL_DIR")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _check_deploy({**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_still_warns_when_tls_settings_are_missing():
    """The silenced checks are only the deliberate ones: a missing HSTS still warns."""
    env = {**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    del env["SECURE_HSTS_SECONDS"], env["SECURE_SSL_REDIRECT"]
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # HSTS
    assert "security.W008" in result.stderr + result.stdout  # SSL redirect


def test_health_checks_are_not_redirected_to_https():
    """A load balancer probes /healthz over plain HTTP; the redirect must not answer it."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SECURE_REDIRECT_EXEMPT)",
        ],
        cwd=ROOT,
        env={
            **{k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ},
            **PRODUCTION_ENV,
            "SECRET_KEY": secrets.token_urlsafe(50),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "healthz" in result.stdout
