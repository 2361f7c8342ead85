"""A task goes through the real broker to a real worker process, and its effect lands."""

from __future__ import annotations

import time

import pytest

from recruiting import services
from recruiting.models import StageEvent

from ..celery_worker import running_worker
from ..factories import ApplicationFactory, JobFactory

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    """A worker process on the test database, mailing into tmp_path."""
    from django.conf import settings

    with running_worker(
        tmp_path / "worker.log",
        EMAIL_URL=f"filemail:///{tmp_path}",  # absolute: filemail:////tmp/...
        SITE_URL="http://testserver",
        TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    ) as proc:
        yield proc, tmp_path


def test_stage_change_notification_runs_in_a_real_worker(worker, recruiter, hiring_manager):
    proc, mail_dir = worker
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    application = ApplicationFactory(job=job)

    services.application_advance(application=application, by=recruiter)
    event = StageEvent.objects.get()

    # Done when the worker says the task succeeded: the e-mail is claimed (notified_at set)
    # before it is sent, so notified_at alone can be seen while the task is still sending.
    deadline = time.monotonic() + 90
    log = ""
    while time.monotonic() < deadline and proc.poll() is None:
        log = (mail_dir / "worker.log").read_text()
        if "notify_stage_change" in log and "succeeded" in log:
            break
        time.sleep(0.5)
    event.refresh_from_db()
    log = (mail_dir / "worker.log").read_text()
    assert event.notified_at is not None, f"worker did not run the task; its log:\n{log}"
    assert "notify_stage_change" in log and "succeeded" in log
    mails = [p for p in mail_dir.iterdir() if p.suffix == ".log" and p.name != "worker.log"]
    assert mails, "the worker sent no e-mail"
    body = "".join(p.read_text() for p in mails)
    assert hiring_manager.email in body and "Screening" in body


def test_resume_is_parsed_by_a_real_worker(worker, recruiter, shared_data):
    from recruiting.models import Resume, UploadBatch

    proc, mail_dir = worker
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.API)
    data = (shared_data / "resume_files" / "pdf" / "harvey_dent_mle.pdf").read_bytes()
    item = services.resume_ingest(batch=batch, data=data, filename="harvey_dent_mle.pdf")
    resume = Resume.objects.get(pk=item.resume_id)
    assert resume.parse_status == Resume.ParseStatus.QUEUED  # nothing ran in this process

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        resume.refresh_from_db()
        if resume.parse_status in (Resume.ParseStatus.PARSED, Resume.ParseStatus.FAILED):
            break
        time.sleep(0.5)
    log = (mail_dir / "worker.log").read_text()
    assert resume.parse_status == Resume.ParseStatus.PARSED, f"{resume.parse_error}\n{log}"
    assert resume.candidate.email == "hdent@email.com"
    assert "fit model loaded" in log  # at start (WORKER_WARM_MODELS), not in the first task
    assert "PyTorch" in resume.candidate.skills or "Python" in resume.candidate.skills
