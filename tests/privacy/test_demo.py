"""The issue's "done when": with the demo data an HR admin runs the bias audit for a job,
exports and erases a candidate, and sees it all in the audit log."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from privacy.models import SelfIdentification
from recruiting.models import Candidate, Job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_hr_admin_audits_exports_and_erases_with_the_demo(client):
    call_command("load_demo", stdout=StringIO())
    assert SelfIdentification.objects.count() == 4  # one demo candidate did not answer
    call_command("load_demo", stdout=StringIO())
    assert SelfIdentification.objects.count() == 4  # idempotent

    assert client.login(username="hradmin", password="hradmin-demo-2026")
    job = Job.objects.get(external_id="demo-job_desc_full_stack_engineer")
    page = client.get(reverse("privacy:bias_audit"), {"job": job.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "2 applications" in body and "too small to judge" in body
    overall = client.get(reverse("privacy:bias_audit")).content.decode()
    assert "8 applications" in overall

    candidate = Candidate.objects.get(email="john.doe@email.com")
    export = client.post(reverse("privacy:candidate_export", args=[candidate.pk]))
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    erase = client.post(
        reverse("privacy:candidate_erase", args=[candidate.pk]),
        {"reason": "Demo request", "confirm": "on"},
    )
    assert erase.status_code == 302
    log = client.get(reverse("privacy:audit_log")).content.decode()
    for action in (
        "candidate.erased",
        "candidate.exported",
        "bias_audit.viewed",
        "application.moved",
    ):
        assert action in log
    assert "hradmin" in log
