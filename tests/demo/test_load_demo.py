"""load_demo creates a usable demo and is idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in ("auth", "hr", "recruiting")
    }


def test_load_demo_twice_gives_the_same_counts(django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    first = _counts()
    assert first["recruiting.Job"] >= 5
    assert first["recruiting.Candidate"] >= 5
    assert first["recruiting.Resume"] == first["recruiting.Candidate"]
    assert first["hr.Employee"] >= 10
    assert first["recruiting.StageEvent"] > first["recruiting.Application"]
    for username in ("recruiter", "manager", "hradmin"):
        assert f"username: {username}" in out.getvalue()
    assert mail.outbox == []  # demo history e-mails nobody
    from recruiting.models import Candidate, Resume

    assert set(Resume.objects.values_list("parse_status", flat=True)) == {"parsed"}
    assert all(c.skills for c in Candidate.objects.all())  # profiles filled by the parser

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    assert _counts() == first


def test_demo_logins_work(client):
    call_command("load_demo", stdout=StringIO())
    assert client.login(username="recruiter", password="recruiter-demo-2026")
    response = client.get("/jobs/")
    assert response.status_code == 200
    assert b"Front End Engineer" in response.content
