"""Every action the README promises in the audit log writes its entry: who, what, and ids or
field names only (never the personal data itself)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEntry
from hr import services as hr_services
from hr.models import Question
from integrations.keys import api_key_create, integration_get_or_create
from integrations.webhooks import (
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
)
from recruiting import services
from recruiting.models import Resume
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def entry(action: str) -> AuditEntry:
    (found,) = AuditEntry.objects.filter(action=action)
    return found


def test_job_lifecycle_is_recorded(recruiter):
    job = services.job_create(by=recruiter, title="Nurse", description="Ward care.")
    assert entry("job.created").actor == recruiter
    services.job_update(job=job, by=recruiter, location="Leeds")
    assert entry("job.updated").details == {"fields": ["location"]}
    services.job_publish(job=job, by=recruiter)
    services.job_close(job=job, by=recruiter)
    services.job_reopen(job=job, by=recruiter)
    for action in ("job.published", "job.closed", "job.reopened"):
        assert entry(action).target_id == str(job.pk)


def test_notes_scorecards_and_profile_edits_are_recorded(recruiter):
    application = ApplicationFactory(stage=Stage.SCREENING)
    candidate = application.candidate
    note = services.note_create(candidate=candidate, by=recruiter, body="Strong on SQL.")
    assert entry("note.added").details == {"note_id": note.pk, "application_id": None}
    services.scorecard_submit(
        application=application, by=recruiter, recommendation="yes", comment="Clear."
    )
    assert entry("scorecard.submitted").details["recommendation"] == "yes"
    services.candidate_update_profile(candidate=candidate, by=recruiter, headline="DBA")
    edited = entry("candidate.profile_edited")
    assert edited.details == {"fields": ["headline"]}
    assert "DBA" not in str(edited.details) and "Strong on SQL" not in str(
        entry("note.added").details
    )


def test_resume_downloads_are_recorded_on_the_portal_and_the_api(client, recruiter):
    candidate = CandidateFactory()
    resume = Resume(
        candidate=candidate,
        original_name="cv.txt",
        content_type="text/plain",
        size=2,
        sha256="f" * 64,
    )
    resume.file.save("cv.txt", ContentFile(b"cv"), save=False)
    resume.save()
    client.force_login(recruiter)
    assert client.get(reverse("recruiting:resume_download", args=[resume.pk])).status_code == 200
    api = APIClient()
    _key, text = api_key_create(
        integration=integration_get_or_create(user=recruiter, name="ATS"),
        scopes=["recruiting:read"],
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    assert api.get(f"/api/v1/resumes/{resume.pk}/download/").status_code == 200
    downloads = AuditEntry.objects.filter(action="resume.downloaded", target_id=str(resume.pk))
    assert sorted(downloads.values_list("via", flat=True)) == ["api", "portal"]


def test_webhook_changes_are_recorded(recruiter):
    integration = integration_get_or_create(user=recruiter, name="ATS")
    subscription = webhook_subscription_create(
        integration=integration,
        url="https://hooks.example.com/smarthr",
        events=["application.created"],
    )
    assert entry("webhook.created").actor == recruiter
    webhook_subscription_update(subscription=subscription, is_active=False)
    assert entry("webhook.updated").details["fields"] == ["is_active"]
    pk = subscription.pk
    webhook_subscription_delete(subscription=subscription)
    assert entry("webhook.deleted").target_id == str(pk)


def test_survey_open_invite_remind_and_close_are_recorded(hr_admin):
    dept = DepartmentFactory()
    EmployeeFactory(department=dept, email="a@example.com")
    survey = hr_services.survey_create(by=hr_admin, title="Pulse", min_group_size=3)
    hr_services.question_add(by=hr_admin, survey=survey, kind=Question.Kind.ENPS, text="Recommend?")
    hr_services.survey_open(by=hr_admin, survey=survey)
    hr_services.survey_invite(by=hr_admin, survey=survey, departments=[dept])
    assert entry("survey.invited").details == {"departments": [dept.pk], "invited": 1}
    hr_services.survey_remind(by=hr_admin, survey=survey)
    assert entry("survey.reminded").details == {"reminded": 1}
    hr_services.survey_close(by=hr_admin, survey=survey)
    for action in ("survey.opened", "survey.closed"):
        assert entry(action).actor == hr_admin
