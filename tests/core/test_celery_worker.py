"""A task goes through the real broker to a real worker process, and its effect lands."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from recruiting import services
from recruiting.models import StageEvent

from ..factories import ApplicationFactory, JobFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    """A `celery -A config worker` process on the test database, mailing into tmp_path."""
    from django.conf import settings

    from config.celery import app

    app.conf.task_always_eager = False
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "EMAIL_URL": f"filemail:///{tmp_path}",  # absolute: filemail:////tmp/...
        "SITE_URL": "http://testserver",
        "TEST_TASKS_EAGER": "0",
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield proc, tmp_path
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        app.conf.task_always_eager = True


def test_stage_change_notification_runs_in_a_real_worker(worker, recruiter, hiring_manager):
    proc, mail_dir = worker
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    application = ApplicationFactory(job=job)

    services.application_advance(application=application, by=recruiter)
    event = StageEvent.objects.get()

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        event.refresh_from_db()
        if event.notified_at is not None or proc.poll() is not None:
            break
        time.sleep(0.5)
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
    assert "PyTorch" in resume.candidate.skills or "Python" in resume.candidate.skills
