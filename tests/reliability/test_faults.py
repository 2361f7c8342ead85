"""Fault injection on the real services: the test's own redis-server (killed and restarted),
real worker processes (SIGKILLed mid-task), PostgreSQL (the worker's connection terminated
mid-task) and poison files. Each test asserts the final state of every item it created.

Only processes these tests started are stopped, by PID. Every wait is bounded.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from hr import services as hr_services
from hr.models import Invitation, Question
from hr.services.surveys import invitations_resend_unsent, token_hash
from recruiting import services
from recruiting.models import Resume, StageEvent, UploadBatch
from recruiting.services.notifications import stage_events_notify_pending
from recruiting.services.parsing import resumes_requeue_stuck

from ..factories import ApplicationFactory, DepartmentFactory, EmployeeFactory, JobFactory
from .harness import RedisServer, mails, publishing_to, wait_for, worker

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOW = timedelta(0)
LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})/")
TEXT_RESUME = b"Ada Lovelace\nada@example.com\n\nSkills: Python, Django, PostgreSQL\n"
# 2.6 MB of text, under the 10 MB upload limit: spaCy alone refuses over 1,000,000 characters.
LONG_TEXT = b"Grace Hopper\ngrace@example.com\n\nSkills: COBOL, Python\n" + (
    b"Led compiler work on data pipelines with Kubernetes and Terraform.\n" * 39_000
)
CORRUPT_PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00\xff" * 4000


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.kill()


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


def _status(resume_id: int) -> str:
    return Resume.objects.get(pk=resume_id).parse_status


def _done(resume_id: int) -> bool:
    return _status(resume_id) in (Resume.ParseStatus.PARSED, Resume.ParseStatus.FAILED)


def _ingest(recruiter, *files: tuple[str, bytes]) -> list[int]:
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.COMMAND)
    return [
        services.resume_ingest(batch=batch, data=data, filename=name).resume_id
        for name, data in files
    ]


def _survey(hr_admin, emails: list[str]):
    department = DepartmentFactory(name="Support")
    for email in emails:
        EmployeeFactory(department=department, email=email)
    survey = hr_services.survey_create(by=hr_admin, title="Pulse", min_group_size=3)
    hr_services.question_add(by=hr_admin, survey=survey, kind=Question.Kind.ENPS, text="Rec?")
    return hr_services.survey_open(by=hr_admin, survey=survey)


def test_broker_down_then_back(
    tmp_path, redis, mail_dir, recruiter, hiring_manager, hr_admin, shared_data
):
    """Redis restarted without persistence loses what was queued; Redis down refuses what is
    queued next. No service call fails, and once Redis is back the sweepers get it all done."""
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    application = ApplicationFactory(job=job)
    survey = _survey(hr_admin, ["ann@example.com", "bob@example.com"])
    pdf = (shared_data / "resume_files" / "pdf" / "john_doe.pdf").read_bytes()

    with publishing_to(redis.url):
        redis.start()
        (lost,) = _ingest(recruiter, ("ada.txt", TEXT_RESUME))  # queued in Redis...
        redis.kill()  # ...and gone: no worker took it, no persistence
        started = time.monotonic()
        (refused,) = _ingest(recruiter, ("john_doe.pdf", pdf))
        services.application_advance(application=application, by=recruiter)
        assert hr_services.survey_invite(by=hr_admin, survey=survey) == 2
        down_s = time.monotonic() - started
        # Everything is committed and pending; nothing raised.
        assert _status(lost) == _status(refused) == Resume.ParseStatus.QUEUED
        assert StageEvent.objects.get().notified_at is None
        assert Invitation.objects.filter(sent_at=None).count() == 2
        assert down_s < 10, f"the dead broker cost {down_s:.1f} s"

        redis.start()  # back, empty
        with worker(tmp_path / "worker.log", redis, mail_dir) as proc:
            # What beat runs every two minutes, here without waiting for a deadline.
            assert resumes_requeue_stuck(queued_for=NOW) == 2
            assert stage_events_notify_pending(older_than=NOW) == 1
            assert invitations_resend_unsent(older_than=NOW) == 2
            wait_for(
                lambda: (
                    proc.poll() is not None
                    or (
                        _done(lost)
                        and _done(refused)
                        and not Invitation.objects.filter(sent_at=None).exists()
                        and len(mails(mail_dir)) == 3
                    )
                ),
                timeout=90,
                what="the worker to do the pending work",
            )
        log = (tmp_path / "worker.log").read_text()

    assert _status(lost) == Resume.ParseStatus.PARSED, log
    assert _status(refused) == Resume.ParseStatus.PARSED, log
    assert Resume.objects.get(pk=refused).candidate.email == "john.doe@email.com"
    assert StageEvent.objects.get().notified_at is not None
    sent = mails(mail_dir)
    assert sum(hiring_manager.email in m and "Screening" in m for m in sent) == 1
    tokens = [LINK.search(m).group(1) for m in sent if LINK.search(m)]
    assert len(tokens) == 2  # one fresh, working link each
    for token in tokens:
        assert Invitation.objects.filter(token_hash=token_hash(token), sent_at__isnull=False)
    print(f"\nbroker down: 3 service calls took {down_s:.2f} s, none failed")


def test_worker_killed_mid_task(tmp_path, redis, mail_dir, recruiter, hiring_manager):
    """SIGKILL while a stage e-mail is being sent, then while a resume is parsing: with a short
    visibility timeout the next worker gets both tasks back, the resume is parsed and the
    e-mail, claimed before sending, is never sent twice."""
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    application = ApplicationFactory(job=job)
    env = {"CELERY_VISIBILITY_TIMEOUT": "5", "SLOW_MAIL_S": "60"}
    redis.start()
    with publishing_to(redis.url):
        with worker(tmp_path / "a.log", redis, mail_dir, **env) as a:
            services.application_advance(application=application, by=recruiter)
            event = StageEvent.objects.get()
            wait_for(
                lambda: StageEvent.objects.filter(pk=event.pk, notified_at__isnull=False),
                timeout=60,
                what="worker A to claim the stage e-mail",
            )
            a.kill()  # SIGKILL, mid-send (the backend sleeps 60 s)
            a.wait(timeout=10)
        (resume_id,) = _ingest(recruiter, ("long.txt", LONG_TEXT))

        with worker(tmp_path / "b.log", redis, mail_dir, **env) as b:
            wait_for(
                lambda: b.poll() is not None or _status(resume_id) == Resume.ParseStatus.PARSING,
                timeout=60,
                what="worker B to start parsing",
                every=0.05,
            )
            b.kill()
            b.wait(timeout=10)
            killed = time.monotonic()

        with worker(tmp_path / "c.log", redis, mail_dir, **env) as c:
            wait_for(
                lambda: c.poll() is not None or _done(resume_id),
                timeout=60,
                what="worker C to get the parse back",
            )
            redelivered_s = time.monotonic() - killed
            wait_for(
                lambda: (
                    "notify_stage_change" in (tmp_path / "c.log").read_text()
                    or "notify_stage_change" in (tmp_path / "b.log").read_text()
                ),
                timeout=30,
                what="the stage e-mail task to be delivered again",
            )
    logs = "".join((tmp_path / f"{n}.log").read_text() for n in "abc")
    resume = Resume.objects.get(pk=resume_id)
    assert resume.parse_status == Resume.ParseStatus.PARSED, f"{resume.parse_error}\n{logs}"
    assert resume.parse_attempts == 0 and "Kubernetes" in resume.candidate.skills
    assert redelivered_s < 30, f"redelivery took {redelivered_s:.1f} s"
    # At most once: the claimed e-mail died with worker A and was not sent again.
    assert StageEvent.objects.get().notified_at is not None
    assert mails(mail_dir) == []
    print(f"\nworker killed mid-parse: parsed by the next worker {redelivered_s:.1f} s after")


def test_database_connection_terminated_mid_parse_and_poison_files(
    tmp_path, redis, mail_dir, recruiter, shared_data
):
    """The worker's PostgreSQL connection is terminated while it parses: the task retries and
    succeeds. In the same batch, a corrupt PDF fails with a reason and a good file parses."""
    pdf = (shared_data / "resume_files" / "pdf" / "john_doe.pdf").read_bytes()
    redis.start()
    with publishing_to(redis.url), worker(tmp_path / "worker.log", redis, mail_dir) as proc:
        long_id, corrupt_id, good_id = _ingest(
            recruiter, ("long.txt", LONG_TEXT), ("broken.pdf", CORRUPT_PDF), ("john.pdf", pdf)
        )
        wait_for(
            lambda: proc.poll() is not None or _status(long_id) == Resume.ParseStatus.PARSING,
            timeout=60,
            what="the worker to start parsing",
            every=0.05,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            terminated = len(cursor.fetchall())
        wait_for(
            lambda: (
                proc.poll() is not None or all(_done(r) for r in (long_id, corrupt_id, good_id))
            ),
            timeout=90,
            what="every file to be finished",
        )
        log = (tmp_path / "worker.log").read_text()

    assert terminated >= 1
    long, corrupt, good = (Resume.objects.get(pk=r) for r in (long_id, corrupt_id, good_id))
    assert long.parse_status == Resume.ParseStatus.PARSED, f"{long.parse_error}\n{log}"
    assert "Retry in" in log  # retried after the dropped connection, not failed
    assert len(long.text) > 2_600_000 and "COBOL" in long.candidate.skills
    assert corrupt.parse_status == Resume.ParseStatus.FAILED and corrupt.parse_error
    assert good.parse_status == Resume.ParseStatus.PARSED
    assert timezone.now() - long.parsed_at < timedelta(minutes=5)
