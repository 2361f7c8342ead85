"""A delivery whose message was lost (broker down when it was queued) is sent by the sweeper;
one that is not yet overdue is left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.keys import integration_get_or_create
from integrations.models import WebhookDelivery
from integrations.webhooks import webhook_deliveries_requeue_lost, webhook_subscription_create

from .test_webhooks import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def test_lost_deliveries_are_sent_by_the_sweeper(recruiter, receiver, settings):
    settings.PENDING_WORK_DEADLINE_S = 600
    subscription = webhook_subscription_create(
        integration=integration_get_or_create(user=recruiter, name="ATS"),
        url=receiver.url,
        events=["application.created"],
    )

    def delivery(**fields):
        return WebhookDelivery.objects.create(
            subscription=subscription, event="application.created", payload={"n": 1}, **fields
        )

    lost, fresh = delivery(), delivery()
    retry_lost = delivery(
        status=WebhookDelivery.Status.RETRYING,
        attempts=1,
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )
    WebhookDelivery.objects.filter(pk__in=[lost.pk, retry_lost.pk]).update(
        created_at=timezone.now() - timedelta(hours=1)
    )

    assert webhook_deliveries_requeue_lost() == 2
    assert len(receiver.requests) == 2
    statuses = dict(WebhookDelivery.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == statuses[retry_lost.pk] == WebhookDelivery.Status.DELIVERED
    assert statuses[fresh.pk] == WebhookDelivery.Status.PENDING
    assert webhook_deliveries_requeue_lost() == 0  # nothing left to send twice
