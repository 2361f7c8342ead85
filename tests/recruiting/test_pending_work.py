"""A broker that is down when a service commits: the request succeeds, the work stays pending
in the database, and the sweepers (or sending the same file again) get it done later."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from recruiting import services
from recruiting.models import Resume, StageEvent, UploadBatch
from recruiting.pipeline import Stage
from recruiting.services.notifications import stage_event_notify, stage_events_notify_pending
from recruiting.services.parsing import (
    MAX_PARSE_ATTEMPTS,
    resume_parse,
    resumes_requeue_stuck,
)

from ..broker_faults import broker_down  # noqa: F401 - fixture
from ..factories import ApplicationFactory, JobFactory

# Real commits, so work queued with on_commit is queued as it is in the app.
pytestmark = pytest.mark.django_db(transaction=True)

RESUME = b"Ada Lovelace\nada@example.com\n\nSkills: Python, Django, PostgreSQL\n"
NOW = timedelta(0)


def test_upload_answers_success_when_the_broker_is_down_and_the_sweeper_parses_later(
    client,
    recruiter,
    broker_down,  # noqa: F811
):
    client.force_login(recruiter)
    files = [SimpleUploadedFile("ada.txt", RESUME)]
    response = client.post(reverse("recruiting:upload_new"), {"files": files})
    assert response.status_code == 302  # committed: the uploader is told so, not a 500
    assert broker_down.refused == ["recruiting.tasks.parse_resume"]
    resume = Resume.objects.get()
    assert resume.parse_status == Resume.ParseStatus.QUEUED

    broker_down.back()  # the broker is back
    assert resumes_requeue_stuck(queued_for=timedelta(hours=1)) == 0  # not overdue yet
    assert resumes_requeue_stuck(queued_for=NOW) == 1
    resume.refresh_from_db()
    assert resume.parse_status == Resume.ParseStatus.PARSED
    assert resume.candidate.email == "ada@example.com"


def test_sending_a_stuck_file_again_repairs_it(recruiter, broker_down):  # noqa: F811
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.COMMAND)
    services.resume_ingest(batch=batch, data=RESUME, filename="ada.txt")
    assert Resume.objects.get().parse_status == Resume.ParseStatus.QUEUED

    broker_down.back()  # a retried import of the same file
    again = services.resume_ingest(batch=batch, data=RESUME, filename="ada.txt")
    assert again.outcome == "duplicate"
    assert Resume.objects.get().parse_status == Resume.ParseStatus.PARSED


def test_a_parse_that_never_finished_is_retried_then_failed_with_a_reason(recruiter):
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.COMMAND)
    with mock.patch("recruiting.services.ingestion.enqueue_on_commit"):  # message lost
        item = services.resume_ingest(batch=batch, data=RESUME, filename="ada.txt")
    resume = item.resume
    # A worker claimed it and was killed: "parsing", long ago.
    Resume.objects.filter(pk=resume.pk).update(
        parse_status=Resume.ParseStatus.PARSING,
        parse_attempts=1,
        updated_at=timezone.now() - timedelta(hours=1),
    )
    assert resumes_requeue_stuck(parsing_for=timedelta(minutes=10)) == 1
    resume.refresh_from_db()
    assert resume.parse_status == Resume.ParseStatus.PARSED and resume.parse_attempts == 0

    # A file that kills its worker every time ends failed, with the reason, not in a loop.
    Resume.objects.filter(pk=resume.pk).update(
        parse_status=Resume.ParseStatus.PARSING,
        parse_attempts=MAX_PARSE_ATTEMPTS,
        updated_at=timezone.now() - timedelta(hours=1),
    )
    assert resumes_requeue_stuck(parsing_for=timedelta(minutes=10)) == 0
    resume.refresh_from_db()
    assert resume.parse_status == Resume.ParseStatus.FAILED
    assert f"started {MAX_PARSE_ATTEMPTS} times and never finished" in resume.parse_error


def test_a_redelivered_parse_of_a_worker_killing_file_fails_at_the_claim(recruiter):
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.COMMAND)
    with mock.patch("recruiting.services.ingestion.enqueue_on_commit"):
        item = services.resume_ingest(batch=batch, data=RESUME, filename="ada.txt")
    Resume.objects.filter(pk=item.resume_id).update(
        parse_status=Resume.ParseStatus.PARSING, parse_attempts=MAX_PARSE_ATTEMPTS
    )
    resume = resume_parse(resume_id=item.resume_id)
    assert resume.parse_status == Resume.ParseStatus.FAILED
    assert "never finished" in resume.parse_error


def test_any_error_after_the_claim_ends_the_resume_failed_with_a_reason(recruiter):
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.COMMAND)
    boom = ValueError("[E999] something inside the parser")
    with mock.patch("recruiting.services.parsing.parse_resume", side_effect=boom):
        item = services.resume_ingest(batch=batch, data=RESUME, filename="ada.txt")
    resume = Resume.objects.get(pk=item.resume_id)
    assert resume.parse_status == Resume.ParseStatus.FAILED
    assert "ValueError" in resume.parse_error and "E999" in resume.parse_error


def test_a_database_error_mid_parse_is_retried(recruiter):
    from mlcore.parsing import parse_resume as real_parse
    from recruiting.tasks import parse_resume as parse_task

    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.COMMAND)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        return real_parse(*args, **kwargs)

    with mock.patch("recruiting.services.ingestion.enqueue_on_commit"):
        item = services.resume_ingest(batch=batch, data=RESUME, filename="ada.txt")
    with mock.patch("recruiting.services.parsing.parse_resume", side_effect=flaky):
        parse_task.apply(args=[item.resume_id], throw=False)  # as a worker runs it
    resume = Resume.objects.get(pk=item.resume_id)
    assert len(calls) == 2
    assert resume.parse_status == Resume.ParseStatus.PARSED


def test_a_very_long_text_file_is_parsed(recruiter):
    """2.6 MB of text (under the upload limit) used to raise spaCy's E088 and stay parsing."""
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.COMMAND)
    data = RESUME + b"Worked with Kubernetes and Terraform on data pipelines.\n" * 47_000
    assert 2_600_000 < len(data) < 10 * 1024 * 1024
    item = services.resume_ingest(batch=batch, data=data, filename="long.txt")
    resume = Resume.objects.get(pk=item.resume_id)
    assert resume.parse_status == Resume.ParseStatus.PARSED, resume.parse_error
    assert len(resume.text) > 2_600_000  # the whole text is kept
    assert "Python" in resume.candidate.skills


# --- stage-change e-mails ----------------------------------------------------------------


def _moved(recruiter, hiring_manager):
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    return ApplicationFactory(job=job)


def test_board_move_answers_success_when_the_broker_is_down_and_the_mail_goes_later(
    client,
    recruiter,
    hiring_manager,
    broker_down,  # noqa: F811
):
    application = _moved(recruiter, hiring_manager)
    client.force_login(recruiter)
    url = reverse("recruiting:application_move", args=[application.pk])
    response = client.post(url, {"to_stage": Stage.SCREENING})
    assert response.status_code == 302
    assert "recruiting.tasks.notify_stage_change" in broker_down.refused
    event = StageEvent.objects.get()
    assert event.notified_at is None and not mail.outbox

    broker_down.back()
    assert stage_events_notify_pending(older_than=timedelta(hours=1)) == 0  # not overdue
    assert stage_events_notify_pending(older_than=NOW) == 1
    assert stage_events_notify_pending(older_than=NOW) == 0  # sent: nothing pending
    assert len(mail.outbox) == 1 and hiring_manager.email in mail.outbox[0].to
    # Too old to be worth an e-mail: left alone.
    StageEvent.objects.update(notified_at=None, at=timezone.now() - timedelta(days=30))
    assert stage_events_notify_pending(older_than=NOW) == 0


def test_stage_mail_is_claimed_before_it_is_sent(recruiter, hiring_manager):
    """A worker killed while sending must not send the e-mail again when redelivered."""
    application = _moved(recruiter, hiring_manager)
    with mock.patch("recruiting.services.applications.enqueue_on_commit"):
        services.application_advance(application=application, by=recruiter)
    event = StageEvent.objects.get()
    seen = []

    def send(*args, **kwargs):
        # What another connection sees while the mail is going out: already claimed.
        seen.append(StageEvent.objects.filter(pk=event.pk, notified_at__isnull=False).exists())
        return 1

    with mock.patch("recruiting.services.notifications.send_mail", side_effect=send):
        assert stage_event_notify(stage_event_id=event.pk) is True
        assert stage_event_notify(stage_event_id=event.pk) is False  # redelivered: no mail
    assert seen == [True]


def test_a_failed_send_gives_the_claim_back_and_the_retry_sends(recruiter, hiring_manager):
    application = _moved(recruiter, hiring_manager)
    with mock.patch("recruiting.services.applications.enqueue_on_commit"):
        services.application_advance(application=application, by=recruiter)
    event = StageEvent.objects.get()
    refused = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with (
        mock.patch("recruiting.services.notifications.send_mail", side_effect=refused),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        stage_event_notify(stage_event_id=event.pk)
    event.refresh_from_db()
    assert event.notified_at is None
    assert stage_event_notify(stage_event_id=event.pk) is True
    assert len(mail.outbox) == 1


def test_stage_mail_task_retries_a_dropped_database_connection(recruiter, hiring_manager):
    from recruiting.tasks import notify_stage_change

    application = _moved(recruiter, hiring_manager)
    with mock.patch("recruiting.services.applications.enqueue_on_commit"):
        services.application_advance(application=application, by=recruiter)
    event = StageEvent.objects.get()
    real = stage_event_notify
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    with mock.patch("recruiting.services.notifications.stage_event_notify", side_effect=flaky):
        assert notify_stage_change.apply(args=[event.pk], throw=False).get() is True
    assert len(calls) == 2 and len(mail.outbox) == 1


# --- import_resumes ----------------------------------------------------------------------


def test_import_reports_a_stuck_file_promptly(recruiter, broker_down, tmp_path):  # noqa: F811
    (tmp_path / "ada.txt").write_bytes(RESUME)
    out = StringIO()
    started = timezone.now()
    call_command("import_resumes", str(tmp_path), "--item-timeout", "2", stdout=out)
    assert timezone.now() - started < timedelta(seconds=20)  # not the hour of --timeout
    text = out.getvalue()
    assert "1 still queued" in text
    assert "stuck: still queued after 2 s without progress" in text
