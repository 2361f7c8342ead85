"""Integration tasks: thin wrappers over webhooks and idempotency services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .models import WebhookDelivery

# The database went away mid-task: retried with backoff (the receiver's failures are retried
# by the task itself, on the delivery's own schedule).
DATABASE_ERRORS = (OperationalError, InterfaceError)


class DeliveryFailed(Exception):
    """The receiver did not accept the delivery; Celery retries with backoff."""


@shared_task(
    bind=True, acks_late=True, max_retries=None, autoretry_for=DATABASE_ERRORS, retry_backoff=True
)
def deliver_webhook(self, delivery_id: int) -> str:
    from .webhooks import backoff_seconds, webhook_delivery_attempt

    delivery = webhook_delivery_attempt(delivery_id=delivery_id)
    if delivery.status == WebhookDelivery.Status.RETRYING:
        raise self.retry(
            exc=DeliveryFailed(delivery.last_error), countdown=backoff_seconds(delivery.attempts)
        )
    return delivery.status


@shared_task(acks_late=True, autoretry_for=DATABASE_ERRORS, retry_backoff=True, max_retries=3)
def sweep_webhook_deliveries() -> int:
    """For Celery beat: queue again the deliveries whose message was lost."""
    from .webhooks import webhook_deliveries_requeue_lost

    return webhook_deliveries_requeue_lost()


@shared_task(acks_late=True, autoretry_for=DATABASE_ERRORS, retry_backoff=True, max_retries=3)
def purge_idempotency_records() -> int:
    from .idempotency import idempotency_purge

    return idempotency_purge()
