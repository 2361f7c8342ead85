"""Integration tasks: thin wrappers over webhooks and idempotency services."""

from __future__ import annotations

from celery import shared_task

from .models import WebhookDelivery


class DeliveryFailed(Exception):
    """The receiver did not accept the delivery; Celery retries with backoff."""


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    from .webhooks import backoff_seconds, webhook_delivery_attempt

    delivery = webhook_delivery_attempt(delivery_id=delivery_id)
    if delivery.status == WebhookDelivery.Status.RETRYING:
        raise self.retry(
            exc=DeliveryFailed(delivery.last_error), countdown=backoff_seconds(delivery.attempts)
        )
    return delivery.status


@shared_task(acks_late=True)
def purge_idempotency_records() -> int:
    from .idempotency import idempotency_purge

    return idempotency_purge()
