"""Candidate e-mails: templates with checked placeholders, previews, recorded sends that
survive a failing mail server, rejection with a standard reason, and blind screening."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEntry
from core.errors import NotAllowed
from core.roles import Role
from recruiting import selectors, services
from recruiting.errors import InvalidEmailTemplate, InvalidRejection
from recruiting.models import EmailTemplate, OutboundEmail, RejectionReason
from recruiting.pipeline import Stage
from recruiting.services.emails import outbound_emails_requeue_pending
from recruiting.tasks import send_outbound_email

from ..factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Call a service and run what it queued after commit (the e-mails), as a request would."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def application(recruiter):
    job = JobFactory(owner=recruiter, title="Data Engineer")
    candidate = CandidateFactory(full_name="Zqelina Vexkyle", email="zqelina@example.com")
    return ApplicationFactory(job=job, candidate=candidate, stage=Stage.SCREENING)


def _template(kind: str) -> EmailTemplate:
    """The template migration 0015 seeded for `kind`."""
    return EmailTemplate.objects.get(kind=kind, active=True)


# --- templates --------------------------------------------------------------------------


def test_the_migration_seeds_reasons_and_one_template_of_each_kind():
    assert RejectionReason.objects.filter(active=True).count() >= 8
    assert RejectionReason.objects.filter(code="position_filled").exists()
    assert set(EmailTemplate.objects.values_list("kind", flat=True)) == set(
        EmailTemplate.Kind.values
    )


def test_a_template_is_saved_with_known_placeholders(recruiter):
    template = services.email_template_save(
        by=recruiter,
        kind=EmailTemplate.Kind.ACKNOWLEDGEMENT,
        name="Thanks (short)",
        subject="Thanks, {candidate_first_name}",
        body="We have your application for {job_title}.",
    )
    assert template.pk and template.updated_by == recruiter
    assert AuditEntry.objects.filter(action="email_template.saved").count() == 1


@pytest.mark.parametrize(
    ("kind", "subject", "body", "field", "message"),
    [
        (
            "rejection",
            "Hi",
            "Dear {candidat_name}",
            "body",
            r"Unknown placeholder \{candidat_name\}",
        ),
        # An interview's details belong in an invitation only.
        (
            "rejection",
            "Re {interview_start}",
            "x",
            "subject",
            r"Unknown placeholder \{interview_st",
        ),
        ("acknowledgement", "Hi", "{candidate_name.__class__}", "body", "Unknown placeholder"),
        ("acknowledgement", "Hi", "Dear {candidate_name", "body", "brace that opens or closes"),
        ("acknowledgement", "", "Body", "subject", "needs a subject"),
        ("acknowledgement", "Hi", "  ", "body", "needs a body"),
    ],
)
def test_a_bad_template_is_a_clear_error(recruiter, kind, subject, body, field, message):
    with pytest.raises(InvalidEmailTemplate, match=message) as caught:
        services.email_template_save(
            by=recruiter, kind=kind, name="Broken", subject=subject, body=body
        )
    assert caught.value.field == field
    assert not EmailTemplate.objects.filter(name="Broken").exists()


def test_the_error_lists_what_may_be_used(recruiter):
    with pytest.raises(InvalidEmailTemplate) as caught:
        services.email_template_save(
            by=recruiter, kind="rejection", name="X", subject="Hi", body="{salary}"
        )
    assert "{candidate_name}" in caught.value.message
    assert "{interview_start}" not in caught.value.message


def test_only_recruiters_edit_templates_and_names_are_unique(recruiter, hiring_manager):
    with pytest.raises(NotAllowed):
        services.email_template_save(
            by=hiring_manager, kind="rejection", name="Mine", subject="S", body="B"
        )
    with pytest.raises(InvalidEmailTemplate, match="already exists"):
        services.email_template_save(
            by=recruiter, kind="rejection", name="rejection", subject="S", body="B"
        )


# --- preview and send -------------------------------------------------------------------


def test_preview_renders_and_send_records_and_delivers(sent, recruiter, application):
    template = _template(EmailTemplate.Kind.ACKNOWLEDGEMENT)
    preview = services.email_preview(application=application, template=template, by=recruiter)
    assert preview.recipient == "zqelina@example.com"
    assert preview.subject == "We received your application for Data Engineer"
    assert preview.body.startswith("Dear Zqelina Vexkyle,")
    assert "{" not in preview.body
    assert not mail.outbox  # a preview sends nothing

    email = sent(services.email_send, application=application, template=template, by=recruiter)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 1
    assert [m.to for m in mail.outbox] == [["zqelina@example.com"]]
    assert mail.outbox[0].subject == preview.subject and mail.outbox[0].body == preview.body
    assert [
        e.pk for e in selectors.candidate_emails(user=recruiter, candidate=application.candidate)
    ] == [email.pk]
    assert AuditEntry.objects.filter(action="email.queued", target_id=str(email.pk)).exists()


def test_an_invitation_template_is_sent_by_scheduling(recruiter, application):
    with pytest.raises(InvalidEmailTemplate, match="sent by scheduling"):
        services.email_send(
            application=application,
            template=_template(EmailTemplate.Kind.INTERVIEW_INVITATION),
            by=recruiter,
        )


def test_a_candidate_without_an_address_cannot_be_emailed(recruiter):
    application = ApplicationFactory(candidate=CandidateFactory(email=""))
    with pytest.raises(InvalidEmailTemplate, match="no e-mail address"):
        services.email_preview(
            application=application, template=_template("acknowledgement"), by=recruiter
        )


def test_a_failed_send_is_kept_with_its_reason_and_sent_by_the_sweeper(
    settings, monkeypatch, django_capture_on_commit_callbacks, recruiter, application
):
    """A mail server that refuses connections: the e-mail stays, failed, with the reason;
    once the server is back the sweeper sends it. Nothing is lost."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with django_capture_on_commit_callbacks(execute=False) as queued:
        email = services.email_send(
            application=application, template=_template("acknowledgement"), by=recruiter
        )
    assert len(queued) == 1
    # The task as a worker runs it, retries included (eager retries run at once), and
    # without raising into the test.
    monkeypatch.setitem(send_outbound_email.app.conf, "task_eager_propagates", False)
    result = send_outbound_email.apply(args=[email.pk])
    assert result.failed()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert "ConnectionRefusedError" in email.error or "Connection refused" in email.error
    assert email.attempts == 5, "a transient error is tried 5 times by the task"
    assert AuditEntry.objects.filter(action="email.failed", target_id=str(email.pk)).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert outbound_emails_requeue_pending(older_than=timedelta(0)) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.error == ""
    assert [m.to for m in mail.outbox] == [["zqelina@example.com"]]
    # Sent once: the sweeper leaves it alone now, and the task is safe to run twice.
    assert outbound_emails_requeue_pending(older_than=timedelta(0)) == 0
    assert send_outbound_email.apply(args=[email.pk]).get() is False
    assert len(mail.outbox) == 1


# --- rejection with a reason ------------------------------------------------------------


def test_reject_with_a_standard_reason_and_the_rejection_email(sent, recruiter, application):
    reason = services.rejection_reason_get("position_filled")
    rejected, email = sent(
        services.application_reject_with_reason,
        application=application,
        by=recruiter,
        category=reason,
        details="Internal transfer took the role",
        email_template=_template(EmailTemplate.Kind.REJECTION),
    )
    rejected.refresh_from_db()
    assert rejected.stage == Stage.REJECTED
    assert rejected.rejection_category == reason
    assert rejected.rejection_reason == "Position filled or closed: Internal transfer took the role"
    assert email is not None
    email.refresh_from_db()
    assert email.kind == OutboundEmail.Kind.REJECTION and email.status == OutboundEmail.Status.SENT
    assert mail.outbox[-1].subject == "Your application for Data Engineer"
    # Internal details never go to the candidate.
    assert "Internal transfer" not in mail.outbox[-1].body


def test_reject_without_an_email_and_bad_reasons(sent, recruiter, application):
    with pytest.raises(InvalidRejection, match="'nope' is not a rejection reason; use one of: "):
        services.rejection_reason_get("nope")
    reason = services.rejection_reason_get("skills")
    with pytest.raises(InvalidRejection, match="not a rejection e-mail"):
        services.application_reject_with_reason(
            application=application,
            by=recruiter,
            category=reason,
            email_template=_template("acknowledgement"),
        )
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING  # nothing happened
    rejected, email = sent(
        services.application_reject_with_reason,
        application=application,
        by=recruiter,
        category=reason,
    )
    assert email is None and not mail.outbox
    assert rejected.rejection_category == reason


# --- blind screening and roles ----------------------------------------------------------


def test_blind_screening_hides_the_candidate_in_previews_and_the_timeline(sent, recruiter):
    job = JobFactory(owner=recruiter, title="Analyst", blind_screening=True)
    candidate = CandidateFactory(full_name="Zqelina Vexkyle", email="zq@example.com")
    application = ApplicationFactory(job=job, candidate=candidate, stage=Stage.SCREENING)
    template = _template("acknowledgement")
    preview = services.email_preview(
        application=application, template=template, by=recruiter, hidden=True
    )
    assert "Zqelina" not in preview.body + preview.subject + preview.recipient
    assert f"Candidate #{candidate.pk}" in preview.body
    sent(services.email_send, application=application, template=template, by=recruiter)
    assert "Dear Zqelina Vexkyle" in mail.outbox[0].body  # the candidate gets their name
    (shown,) = selectors.candidate_emails(user=recruiter, candidate=candidate)
    assert "Zqelina" not in shown.body and "zq@example.com" not in shown.recipient
    shown_to_hr = selectors.candidate_emails(
        user=UserFactory(roles=[Role.HR_ADMIN]), candidate=candidate
    )
    assert "Zqelina" in shown_to_hr[0].body


def test_another_jobs_hiring_manager_neither_sees_nor_sends(sent, recruiter, application):
    other = UserFactory(roles=[Role.HIRING_MANAGER])
    template = _template("acknowledgement")
    with pytest.raises(NotAllowed):
        services.email_send(application=application, template=template, by=other)
    sent(services.email_send, application=application, template=template, by=recruiter)
    assert selectors.candidate_emails(user=other, candidate=application.candidate) == []


def test_the_sweeper_sends_a_lost_message_but_not_a_claimed_or_old_one(
    django_capture_on_commit_callbacks, recruiter, application
):
    """Queued with the broker down (the message never left): swept and sent. Claimed by a
    worker that died (`sending`): left alone, it may have gone out. Older than the mail's
    max age: left failed for a person to decide."""
    template = _template("acknowledgement")
    with django_capture_on_commit_callbacks(execute=False):  # the publish is lost
        lost = services.email_send(application=application, template=template, by=recruiter)
        claimed = services.email_send(application=application, template=template, by=recruiter)
        old = services.email_send(application=application, template=template, by=recruiter)
    OutboundEmail.objects.filter(pk=claimed.pk).update(status=OutboundEmail.Status.SENDING)
    OutboundEmail.objects.filter(pk=old.pk).update(
        status=OutboundEmail.Status.FAILED, created_at=timezone.now() - timedelta(days=3)
    )
    assert outbound_emails_requeue_pending() == 0  # younger than the deadline: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert outbound_emails_requeue_pending(older_than=timedelta(0)) == 1
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: OutboundEmail.Status.SENT,
        claimed.pk: OutboundEmail.Status.SENDING,
        old.pk: OutboundEmail.Status.FAILED,
    }
    assert len(mail.outbox) == 1


def test_erasing_the_candidate_removes_their_emails_and_cancel_reasons(
    sent, recruiter, hr_admin, application
):
    from privacy.services.rights import candidate_erase
    from recruiting.models import Interview

    sent(
        services.email_send,
        application=application,
        template=_template("acknowledgement"),
        by=recruiter,
    )
    Interview.objects.create(
        application=application,
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=30,
        time_zone="UTC",
        location="Room 1",
        status=Interview.Status.CANCELLED,
        cancel_reason="Zqelina is travelling",
    )
    erasure = candidate_erase(candidate=application.candidate, by=hr_admin, reason="Request 7")
    assert erasure.removed["emails"] == 1 and erasure.removed["interview_cancel_reasons"] == 1
    assert not OutboundEmail.objects.exists()
    assert Interview.objects.get().cancel_reason == ""
