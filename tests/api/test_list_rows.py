"""The busy list endpoints render plain rows (integrations.rows): what they send must equal,
field by field, what the serializers (the schema's source) give for the same objects."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from mlcore.matching.calibration import FitCalibration
from recruiting import selectors
from recruiting.api.serializers import ApplicationOut, CandidateOut, JobOut
from recruiting.models import Application, Candidate, FitScore, Job

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db


def _json(data):
    """As the renderer would send it: what a client compares."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


def _listed(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.json()
    return {row["id"]: row for row in response.json()["results"]}


@pytest.fixture
def data():
    version = FitCalibration.active().version
    job = JobFactory(
        min_years_experience=Decimal("3.5"),
        location="Zürich",
        preferred_skills=["Go"],
        published_at=timezone.now(),
    )
    JobFactory(status=Job.Status.DRAFT)  # nulls: no publish date, no minimum years
    blind_job = JobFactory(blind_screening=True)
    scored = ApplicationFactory(job=job, external_id="ats-1")
    overridden = ApplicationFactory(job=job)
    ApplicationFactory(job=job)  # not scored yet: fit_score None
    ApplicationFactory(job=blind_job)  # this candidate's identity is hidden
    FitScore.objects.create(application=scored, score=71.25, model_version=version)
    FitScore.objects.create(application=scored, score=5.0, model_version="an-older-model")
    FitScore.objects.create(
        application=overridden, score=40.0, override_score=88.5, model_version=version
    )
    Application.objects.filter(pk=overridden.pk).update(
        rejected_at=timezone.now() - timedelta(days=1), rejection_reason="Too far"
    )
    CandidateFactory(
        skills=["Python"], links=["https://example.com/me"], years_experience=Decimal("7.0")
    )


def test_jobs_equal_the_serializer(data, recruiter_api):
    listed = _listed(recruiter_api, "/api/v1/jobs/?page_size=200")
    jobs = Job.objects.all()
    assert set(listed) == {j.pk for j in jobs}
    for job in jobs:
        assert listed[job.pk] == _json(JobOut(job).data)


def test_applications_equal_the_serializer(data, recruiter):
    # A session user, so this also covers the portal's own calls.
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(recruiter)
    listed = _listed(client, "/api/v1/applications/?page_size=200")
    applications = selectors.application_list(user=recruiter)
    assert set(listed) == {a.pk for a in applications}
    for application in applications:
        assert listed[application.pk] == _json(ApplicationOut(application).data)
    scores = sorted(row["fit_score"] for row in listed.values() if row["fit_score"] is not None)
    assert scores == [71.25, 88.5]  # the active model's, a person's override over the model's


def test_candidates_equal_the_serializer_and_stay_blind(data, recruiter, recruiter_api):
    from recruiting.blind import hidden_candidate_ids

    listed = _listed(recruiter_api, "/api/v1/candidates/?page_size=200")
    candidates = Candidate.objects.all()
    hidden = hidden_candidate_ids(recruiter, [c.pk for c in candidates])
    assert len(hidden) == 1
    for candidate in candidates:
        expected = CandidateOut(candidate, context={"hidden_ids": hidden}).data
        assert listed[candidate.pk] == _json(expected)
    (masked,) = (row for row in listed.values() if row["identity_hidden"])
    assert masked["email"] == "" and masked["full_name"].startswith("Candidate #")


def test_filters_still_validate(recruiter_api):
    response = recruiter_api.get("/api/v1/applications/?stage=nonsense")
    assert response.status_code == 400
    assert "stage" in response.json()["error"]["fields"]
    assert recruiter_api.get("/api/v1/jobs/?updated_after=yesterday").status_code == 400
