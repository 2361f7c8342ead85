"""Webhook deliveries through the real broker and a real worker: a failed attempt is retried
by Celery with backoff, and the receiver gets the same signed event again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from core.events import emit
from integrations import signing
from integrations.models import WebhookDelivery
from integrations.webhooks import webhook_subscription_create
from tests.factories import UserFactory

from .test_webhooks import Receiver

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    from config.celery import app

    app.conf.task_always_eager = False
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.api.worker_settings",
        "DATABASE_URL": url,
        "TEST_TASKS_EAGER": "0",
    }
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
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
        yield proc, log_path
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        app.conf.task_always_eager = True


def test_a_failed_delivery_is_retried_by_the_worker(worker):
    from integrations.keys import integration_get_or_create

    proc, log_path = worker
    receiver = Receiver()
    receiver.statuses = [503]
    try:
        integration = integration_get_or_create(user=UserFactory(), name="Receiver")
        subscription = webhook_subscription_create(
            integration=integration, url=receiver.url, events=["candidate.created"]
        )
        with transaction.atomic():
            emit("candidate.created", {"candidate_id": 42})
        delivery = WebhookDelivery.objects.get()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            delivery.refresh_from_db()
            if delivery.status == WebhookDelivery.Status.DELIVERED:
                break
            time.sleep(0.5)
        log = log_path.read_text()
        assert delivery.status == "delivered", f"{delivery.last_error}\n{log}"
        assert delivery.attempts == 2 and "Retry in" in log
        assert len(receiver.requests) == 2
        for got in receiver.requests:
            headers = {k.lower(): v for k, v in got["headers"].items()}
            assert signing.verify(
                subscription.secret,
                got["body"],
                headers["x-smarthr-timestamp"],
                headers["x-smarthr-signature"],
            )
            assert json.loads(got["body"])["data"] == {"candidate_id": 42}
    finally:
        receiver.close()
