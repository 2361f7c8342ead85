"""A refused request is one warning line: no traceback, and not printed twice."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_403_is_logged_once_without_a_traceback(client, hiring_manager, caplog):
    client.force_login(hiring_manager)
    with caplog.at_level(logging.WARNING):
        assert client.get("/uploads/new/").status_code in (403, 404)
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None and "Traceback" not in caplog.text


def test_debug_mode_prints_each_django_line_once():
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Forbidden (Permission denied): /x')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stderr.count("Forbidden (Permission denied): /x") == 1, result.stderr
