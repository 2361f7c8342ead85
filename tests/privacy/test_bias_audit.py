"""The bias audit in the app: rows from the pipeline, the page, the CSV and the API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from privacy.models import SelfIdentification
from privacy.selectors import AuditScope, bias_audit_report, bias_audit_rows
from recruiting import services
from recruiting.models import Application, FitScore

from ..factories import CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db


def _applicant(job, recruiter, sex: str | None, walk: list[str], score: float | None = None):
    candidate = CandidateFactory()
    if sex is not None:
        SelfIdentification.objects.create(candidate=candidate, sex=sex)
    application = services.application_create(candidate=candidate, job=job, by=recruiter)
    for stage in walk:
        kwargs = {"reason": "Not a match."} if stage in ("rejected", "withdrawn") else {}
        application = services.application_move(
            application=application, to_stage=stage, by=recruiter, **kwargs
        )
    if score is not None:
        FitScore.objects.create(application=application, score=score, model_version="v1")
    return application


@pytest.fixture
def audited_job(recruiter):
    job = JobFactory(title="Data Analyst", owner=recruiter)
    for i in range(5):  # women: 2 of 5 passed screening (one later rejected at interview)
        walk = {0: ["screening", "interview", "rejected"], 1: ["screening"]}.get(i, ["rejected"])
        _applicant(job, recruiter, "female", walk, score=70 if i < 3 else 40)
    for i in range(5):  # men: 4 of 5 reached screening
        _applicant(job, recruiter, "male", ["screening"] if i < 4 else [], score=65)
    _applicant(job, recruiter, None, ["screening"])  # no self-ID: unknown
    _applicant(job, recruiter, "non_binary", [])  # too small
    return job


def test_rows_use_the_furthest_stage_reached(audited_job):
    rows = bias_audit_rows(AuditScope(job=audited_job))
    assert len(rows) == 12
    women = sorted(r.furthest_stage for r in rows if r.groups.get("sex") == "female")
    # Rejected after an interview counts as having reached the interview.
    assert women == ["applied", "applied", "applied", "interview", "screening"]
    assert sum(r.score is not None for r in rows) == 10


def test_report_flags_the_screening_gap(audited_job):
    report = bias_audit_report(AuditScope(job=audited_job), threshold=60)
    female = report.group("sex", "female").cells["reached_screening"]
    assert (female.selected, female.denominator) == (2, 5)
    assert female.impact_ratio == pytest.approx(0.4 / 0.8)
    assert female.status == "flagged"
    assert report.group("sex", "unknown").applied == 1
    assert report.group("sex", "non_binary").cells["reached_screening"].status == "too_small"
    score = report.group("sex", "female").cells["scored_above_threshold"]
    assert (score.selected, score.denominator, score.status) == (3, 5, "flagged")


def test_period_filter(audited_job, recruiter):
    old = Application.objects.filter(job=audited_job).first()
    old.applied_at = timezone.now() - timedelta(days=400)
    old.save()
    today = timezone.localdate()
    recent = bias_audit_rows(AuditScope(job=audited_job, start=today - timedelta(days=30)))
    assert len(recent) == 11
    past = bias_audit_rows(AuditScope(start=date(2000, 1, 1), end=today - timedelta(days=300)))
    assert len(past) == 1


def test_page_csv_and_api_are_for_hr_admins(audited_job, recruiter, hiring_manager, client):
    urls = [
        reverse("privacy:bias_audit"),
        reverse("privacy:bias_audit_csv"),
        reverse("api-privacy-bias-audit"),
    ]
    for user in (recruiter, hiring_manager):
        client.force_login(user)
        for url in urls:
            assert client.get(url, {"job": audited_job.pk}).status_code == 403, url


def test_hr_admin_runs_the_audit(audited_job, hr_admin, client):
    client.force_login(hr_admin)
    page = client.get(reverse("privacy:bias_audit"), {"job": audited_job.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "under four-fifths" in body and "too small to judge" in body
    # Categories and answers as the self-ID form words them, not their codes.
    assert "Sex × Race / ethnicity" in body and "race_ethnicity" not in body
    assert "No answer" in body or "Female" in body
    csv = client.get(reverse("privacy:bias_audit_csv"), {"job": audited_job.pk}).content.decode()
    assert "sex,female,5,reached_screening,2,5,0.4000,0.5000,flagged" in csv
    api = client.get(reverse("api-privacy-bias-audit"), {"job": audited_job.pk, "threshold": 50})
    assert api.status_code == 200
    data = api.json()
    assert data["scope"]["job"] == audited_job.pk and data["threshold"] == 50
    assert ["sex", "female", "reached_screening", 0.5] in data["flags"]
    assert data["total"] == 12
    assert AuditEntry.objects.filter(action="bias_audit.viewed", actor=hr_admin).count() == 3


def test_bad_filters_are_explained(hr_admin, client):
    client.force_login(hr_admin)
    page = client.get(reverse("privacy:bias_audit"), {"start": "2026-02-01", "end": "2026-01-01"})
    assert page.status_code == 400 and b"start is after its end" in page.content
    edge = client.get(
        reverse("api-privacy-bias-audit"), {"start": "0001-01-01", "end": "9999-12-31"}
    )
    assert edge.status_code == 200 and edge.json()["total"] == 0
    api = client.get(reverse("api-privacy-bias-audit"), {"job": 999999})
    assert api.status_code == 404  # an object named that does not exist, as elsewhere
    assert api.json()["error"]["code"] == "not_found"
    reversed_ = client.get(
        reverse("api-privacy-bias-audit"), {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert reversed_.status_code == 400 and reversed_.json()["error"]["code"] == "invalid"


def test_api_keys_need_hr_read_and_an_hr_admin(audited_job, hr_admin, recruiter):
    from rest_framework.test import APIClient

    from integrations.keys import api_key_create, integration_get_or_create

    def key_client(user, scopes):
        integration = integration_get_or_create(user=user, name=f"BI of {user.username}")
        _, text = api_key_create(integration=integration, scopes=scopes)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
        return api

    url = reverse("api-privacy-bias-audit")
    assert key_client(hr_admin, ["hr:read"]).get(url, {"job": audited_job.pk}).status_code == 200
    assert key_client(hr_admin, ["recruiting:read"]).get(url).status_code == 403
    assert key_client(recruiter, ["hr:read", "recruiting:read"]).get(url).status_code == 403


def test_api_view_declares_its_scope():
    from privacy.api.views import BiasAuditAPIView

    assert BiasAuditAPIView.required_scopes == ["hr:read"]
