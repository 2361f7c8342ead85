"""Webhook deliveries through the real broker and a real worker: a failed attempt is retried
by Celery with backoff, and the receiver gets the same signed event again."""

from __future__ import annotations

import json
import time

import pytest
from django.db import transaction

from core.events import emit
from integrations import signing
from integrations.models import WebhookDelivery
from integrations.webhooks import webhook_subscription_create
from tests.celery_worker import running_worker
from tests.factories import UserFactory

from .test_webhooks import Receiver

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    log_path = tmp_path / "worker.log"
    with running_worker(log_path, settings_module="tests.api.worker_settings") as proc:
        yield proc, log_path


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
