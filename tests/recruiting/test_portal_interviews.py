"""Portal pages for interviews and candidate e-mail: schedule, reschedule, cancel, scorecards
on an interview, templates with placeholder errors, preview before sending, rejection with a
reason, and what other roles and blind screening let people see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from recruiting.models import EmailTemplate, Interview, OutboundEmail, RejectionReason
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a browser would, running the e-mail tasks queued after commit."""

    def call(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return call


@pytest.fixture
def application(recruiter):
    job = JobFactory(owner=recruiter, title="Data Engineer")
    candidate = CandidateFactory(full_name="Zqelina Vexkyle", email="zqelina@example.com")
    return ApplicationFactory(job=job, candidate=candidate, stage=Stage.INTERVIEW)


def _when(days: int = 9) -> str:
    return (timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT10:00")


def _slot(people, **changes):
    data = {
        "starts_at": _when(),
        "time_zone": "Europe/Paris",
        "duration_minutes": "60",
        "interviewers": [p.pk for p in people],
        "location": "Room 4",
        "video_url": "",
    }
    data.update(changes)
    return data


def test_schedule_reschedule_cancel_through_the_pages(client, post, recruiter, application):
    client.force_login(recruiter)
    hub = reverse("recruiting:application_interviews", args=[application.pk])
    page = client.get(hub)
    assert page.status_code == 200 and "Schedule an interview" in page.content.decode()
    response = post(hub, _slot([recruiter]))
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recruiting:interview_detail", args=[interview.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([recruiter.email, "zqelina@example.com"])
    detail = client.get(response["Location"]).content.decode()
    assert "Europe/Paris" in detail and "10:00" in detail and "Sent" in detail

    url = reverse("recruiting:interview_reschedule", args=[interview.pk])
    assert post(url, _slot([recruiter], starts_at=_when(10))).status_code == 302
    interview.refresh_from_db()
    assert interview.sequence == 1
    assert post(reverse("recruiting:interview_cancel", args=[interview.pk]), {}).status_code == 302
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
    kinds = list(OutboundEmail.objects.order_by("id").values_list("kind", flat=True))
    assert kinds.count(OutboundEmail.Kind.INTERVIEW_CANCELLATION) == 2


def test_a_refused_slot_shows_the_reason_and_keeps_what_was_typed(client, recruiter, application):
    client.force_login(recruiter)
    hub = reverse("recruiting:application_interviews", args=[application.pk])
    response = client.post(
        hub, _slot([recruiter], starts_at="2020-01-06T10:00", location="Room 99")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "An interview cannot start in the past." in html and 'value="Room 99"' in html
    response = client.post(hub, _slot([recruiter], time_zone="Mars/Olympus"))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not Interview.objects.exists()


def test_a_scorecard_is_added_to_an_interview(client, post, recruiter, application):
    client.force_login(recruiter)
    post(reverse("recruiting:application_interviews", args=[application.pk]), _slot([recruiter]))
    interview = Interview.objects.get()
    url = reverse("recruiting:interview_scorecard", args=[interview.pk])
    assert post(url, {"recommendation": "strong_yes", "comment": "Clear"}).status_code == 302
    assert interview.scorecards.get().recommendation == "strong_yes"
    assert post(url, {"recommendation": "maybe"}).status_code == 400


def test_another_jobs_hiring_manager_gets_404_everywhere(client, post, recruiter, application):
    client.force_login(recruiter)
    post(reverse("recruiting:application_interviews", args=[application.pk]), _slot([recruiter]))
    interview = Interview.objects.get()
    client.force_login(UserFactory(roles=[Role.HIRING_MANAGER]))
    for url in (
        reverse("recruiting:application_interviews", args=[application.pk]),
        reverse("recruiting:interview_detail", args=[interview.pk]),
        reverse("recruiting:application_email", args=[application.pk]),
        reverse("recruiting:application_reject", args=[application.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_hr_admins_see_but_do_not_schedule_or_edit_templates(client, recruiter, application):
    client.force_login(UserFactory(roles=[Role.HR_ADMIN]))
    page = client.get(reverse("recruiting:application_interviews", args=[application.pk]))
    assert page.status_code == 200 and "Schedule an interview" not in page.content.decode()
    response = client.post(
        reverse("recruiting:application_interviews", args=[application.pk]), _slot([recruiter])
    )
    assert response.status_code == 403 and not Interview.objects.exists()
    assert client.get(reverse("recruiting:email_template_list")).status_code == 403


def test_an_unknown_placeholder_is_a_form_error(client, recruiter):
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:email_template_new"),
        {"kind": "rejection", "name": "Short no", "subject": "Re {job_title}", "body": "Hi {nme}"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown placeholder {nme} in the body" in html and "Short no" in html
    assert not EmailTemplate.objects.filter(name="Short no").exists()
    response = client.post(
        reverse("recruiting:email_template_new"),
        {"kind": "rejection", "name": "Short no", "subject": "Re {job_title}", "body": "Hi"},
    )
    assert response.status_code == 302


def test_preview_then_send_then_the_timeline(client, post, recruiter, application):
    client.force_login(recruiter)
    template = EmailTemplate.objects.get(kind="acknowledgement")
    url = reverse("recruiting:application_email", args=[application.pk])
    response = post(url, {"template": template.pk, "action": "preview"})
    assert response.status_code == 200 and not mail.outbox
    assert "Dear Zqelina Vexkyle," in response.content.decode()
    response = post(url, {"template": template.pk, "action": "send"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    page = client.get(reverse("recruiting:candidate_detail", args=[application.candidate_id]))
    html = page.content.decode()
    assert "We received your application for Data Engineer" in html and "Sent" in html


def test_reject_with_a_reason_and_a_previewed_email(client, post, recruiter, application):
    client.force_login(recruiter)
    url = reverse("recruiting:application_reject", args=[application.pk])
    reason = RejectionReason.objects.get(code="experience")
    template = EmailTemplate.objects.get(kind="rejection")
    data = {"category": reason.pk, "details": "Needs Spark", "template": template.pk}
    preview = post(url, {**data, "action": "preview"})
    assert (
        preview.status_code == 200
        and "Your application for Data Engineer" in preview.content.decode()
    )
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW and not mail.outbox
    assert post(url, {**data, "action": "reject"}).status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED and application.rejection_category == reason
    assert [m.subject for m in mail.outbox] == ["Your application for Data Engineer"]


def test_blind_screening_hides_the_name_on_the_new_pages(client, recruiter):
    job = JobFactory(owner=recruiter, title="Analyst", blind_screening=True)
    candidate = CandidateFactory(full_name="Zqelina Vexkyle", email="zq@example.com")
    application = ApplicationFactory(job=job, candidate=candidate, stage=Stage.SCREENING)
    client.force_login(recruiter)
    template = EmailTemplate.objects.get(kind="acknowledgement")
    pages = [
        client.get(reverse("recruiting:application_interviews", args=[application.pk])),
        client.post(
            reverse("recruiting:application_email", args=[application.pk]),
            {"template": template.pk, "action": "preview"},
        ),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "Zqelina" not in html and "zq@example.com" not in html
        assert f"Candidate #{candidate.pk}" in html


def test_the_candidate_page_reads_interviews_and_emails_in_fixed_queries(
    client, post, recruiter, application, django_assert_max_num_queries
):
    client.force_login(recruiter)
    hub = reverse("recruiting:application_interviews", args=[application.pk])
    page = reverse("recruiting:candidate_detail", args=[application.candidate_id])
    post(hub, _slot([recruiter]))
    with django_assert_max_num_queries(40) as one:
        client.get(page)
    queries = len(one.captured_queries)  # now: the next requests reset the query log
    manager = UserFactory(roles=[Role.HIRING_MANAGER])
    application.job.hiring_team.add(manager)
    for days in (10, 11, 12):
        post(hub, _slot([recruiter, manager], starts_at=_when(days)))
    with django_assert_max_num_queries(queries):
        html = client.get(page).content.decode()
    assert html.count("/interviews/") >= 4 and html.count("email-sent") == 4
