"""The address in the audit log cannot be written by the client: X-Forwarded-For counts only
behind the configured number of proxies, read from the right (the sign-in throttle's rule)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _note_ip(client, recruiter, candidate, **headers) -> str:
    from django.urls import reverse

    client.force_login(recruiter)
    client.post(reverse("recruiting:note_add", args=[candidate.pk]), {"body": "hi"}, **headers)
    return AuditEntry.objects.filter(action="note.added").latest("pk").ip


def test_a_forged_forwarded_for_is_ignored_without_a_proxy(client, recruiter, settings):
    from ..factories import CandidateFactory

    settings.TRUSTED_PROXY_COUNT = 0
    ip = _note_ip(client, recruiter, CandidateFactory(), HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert ip == "127.0.0.1"


def test_behind_one_proxy_the_address_it_saw_is_recorded(client, recruiter, settings):
    from ..factories import CandidateFactory

    settings.TRUSTED_PROXY_COUNT = 1
    forged_then_real = "6.6.6.6, 203.0.113.9"  # the client wrote the first, the proxy the last
    ip = _note_ip(client, recruiter, CandidateFactory(), HTTP_X_FORWARDED_FOR=forged_then_real)
    assert ip == "203.0.113.9"


@pytest.mark.parametrize(("env", "trusted"), [({}, False), ({"TRUSTED_PROXY_COUNT": "1"}, True)])
def test_https_from_a_header_only_behind_a_proxy(env, trusted):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("TRUSTED_PROXY_COUNT",)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ("X_FORWARDED_PROTO" in result.stdout) is trusted, result.stderr
