"""Webhooks: domain events fan out to subscriptions; deliveries are signed and retried.

`on_domain_event` runs after the business transaction committed (core.events); it writes one
WebhookDelivery per matching subscription and queues a Celery task for each. The task makes
one attempt (`webhook_delivery_attempt`) and retries with exponential backoff.
"""

from __future__ import annotations

import http.client
import json
import logging
import secrets
import time
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from core.events import EVENT_TYPES
from core.tasks import enqueue, enqueue_on_commit

from . import signing
from .errors import DeliveryInProgress, InvalidWebhook
from .models import Integration, WebhookDelivery, WebhookSubscription
from .tasks import deliver_webhook
from .urlsafety import TargetRefused, post_checked, private_target_error

logger = logging.getLogger(__name__)

# The scope an integration needs to hear about each event: the same as to read the data.
EVENT_SCOPES = {
    "job.created": "recruiting:read",
    "job.updated": "recruiting:read",
    "job.deleted": "recruiting:read",
    "candidate.created": "recruiting:read",
    "candidate.updated": "recruiting:read",
    "candidate.deleted": "recruiting:read",
    "resume.parsed": "recruiting:read",
    "application.created": "recruiting:read",
    "application.stage_changed": "recruiting:read",
    "application.deleted": "recruiting:read",
    "score.computed": "recruiting:read",
    "offer.created": "recruiting:read",
    "offer.updated": "recruiting:read",
    "survey.response_analyzed": "hr:read",
}
# Sent on request to test a receiver (POST /webhooks/{id}/ping/); no one subscribes to it.
PING_EVENT = "ping"
MAX_ATTEMPTS = 8
BACKOFF_BASE_S = 30
BACKOFF_CAP_S = 6 * 3600
TIMEOUT_S = 10
USER_AGENT = "SmartHR-Webhooks/1"


def backoff_seconds(attempt: int) -> int:
    """Wait after failed attempt `attempt` (1-based): 30 s, 60 s, 120 s ... capped at 6 h."""
    base = getattr(settings, "WEBHOOK_BACKOFF_BASE_S", BACKOFF_BASE_S)
    return int(min(BACKOFF_CAP_S, base * 2 ** max(0, attempt - 1)))


def clean_events(events: Iterable[str], scopes: Iterable[str] | None = None) -> list[str]:
    cleaned = sorted({str(e).strip() for e in events})
    unknown = [e for e in cleaned if e not in EVENT_TYPES]
    if unknown or not cleaned:
        raise InvalidWebhook(
            f"Subscribe to one or more of: {', '.join(EVENT_TYPES)}"
            + (f" (unknown: {', '.join(unknown)})." if unknown else "."),
            field="events",
        )
    if scopes is not None:
        have = set(scopes)
        missing = sorted({EVENT_SCOPES[e] for e in cleaned} - have)
        if missing:
            raise InvalidWebhook(
                f"These events need the scope(s) {', '.join(missing)}, which the key lacks.",
                field="events",
            )
    return cleaned


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    if not url.lower().startswith(("https://", "http://")):
        raise InvalidWebhook("The URL must start with https:// (or http://).", field="url")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise InvalidWebhook(
            "This is not a web address SmartHR can call (check the host name).", field="url"
        ) from exc
    refused = private_target_error(url, resolve=False)
    if refused:
        raise InvalidWebhook(refused, field="url")
    return url


@transaction.atomic
def webhook_subscription_create(
    *,
    integration: Integration,
    url: str,
    events: Iterable[str],
    scopes: Iterable[str] | None = None,
    external_id: str = "",
) -> WebhookSubscription:
    """A subscription and its signing secret (returned once on creation by the API)."""
    subscription = WebhookSubscription.objects.create(
        integration=integration,
        url=_clean_url(url),
        events=clean_events(events, scopes),
        secret="whsec_" + secrets.token_urlsafe(32),
        external_id=external_id,
    )
    _audit("webhook.created", subscription, events=subscription.events)
    return subscription


def _audit(action: str, subscription: WebhookSubscription, **details: Any) -> None:
    audit_record(
        action=action,
        actor=subscription.integration.user,
        target=subscription,
        details={"integration_id": subscription.integration_id, **details},
    )


@transaction.atomic
def webhook_subscription_update(
    *, subscription: WebhookSubscription, scopes: Iterable[str] | None = None, **changes: Any
) -> WebhookSubscription:
    if "url" in changes:
        subscription.url = _clean_url(changes["url"])
    if "events" in changes:
        subscription.events = clean_events(changes["events"], scopes)
    if "is_active" in changes:
        subscription.is_active = bool(changes["is_active"])
    subscription.save()
    _audit("webhook.updated", subscription, fields=sorted(changes))
    return subscription


def webhook_subscription_delete(*, subscription: WebhookSubscription) -> None:
    """Stop sending to it; its delivery log goes with it."""
    _audit("webhook.deleted", subscription)
    subscription.delete()


def on_domain_event(event: str, data: dict[str, Any]) -> None:
    """core.events subscriber: record a delivery per matching subscription, then queue them."""
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(is_active=True).select_related("integration")
        if event in s.events
    ]
    if not subscriptions:
        return
    event_id = _new_event_id()
    payload = _payload(event_id, event, data)
    for subscription in subscriptions:
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event_id=event_id, event=event, payload=payload
        )
        # A broker that is down leaves the delivery pending for its sweeper.
        enqueue(deliver_webhook, delivery.pk)


# A delivery still pending this long after it was due has lost its message (broker down when
# it was queued, or a Redis restart without persistence): the sweeper queues it again.
def webhook_deliveries_requeue_lost(*, now: Any = None) -> int:
    """Queue again the deliveries whose message was lost; returns how many. A receiver that
    was not reached in time gets the delivery late rather than never (each is signed with
    its send time, and carries its event id for de-duplication)."""
    now = now or timezone.now()
    deadline = now - timedelta(seconds=settings.PENDING_WORK_DEADLINE_S)
    lost = WebhookDelivery.objects.filter(
        Q(status=WebhookDelivery.Status.PENDING, created_at__lt=deadline)
        | Q(status=WebhookDelivery.Status.RETRYING, next_attempt_at__lt=deadline)
    ).values_list("pk", flat=True)
    count = 0
    for delivery_id in lost:
        if not enqueue(deliver_webhook, delivery_id):
            break  # the broker is still down: the next sweep tries again
        count += 1
    return count


def _new_event_id() -> Any:
    return uuid.uuid4()


def _payload(event_id: Any, event: str, data: dict[str, Any]) -> dict[str, Any]:
    created = timezone.now().isoformat()
    return {"id": str(event_id), "type": event, "created_at": created, "data": data}


def webhook_ping(*, subscription: WebhookSubscription) -> WebhookDelivery:
    """Send a signed `ping` now, once, and return the delivery with the receiver's answer.
    A ping is a test: a failure is reported, not retried (inactive subscriptions too)."""
    event_id = _new_event_id()
    data = {"subscription_id": subscription.pk, "events": list(subscription.events)}
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=event_id,
        event=PING_EVENT,
        payload=_payload(event_id, PING_EVENT, data),
    )
    _audit("webhook.pinged", subscription, delivery_id=delivery.pk)
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    if delivery.status == WebhookDelivery.Status.RETRYING:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
    return delivery


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a past delivery again: the same event (id, payload), signed anew, with a fresh
    round of attempts. Only a finished one: one still pending or retrying is on its way."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status not in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
        raise DeliveryInProgress(
            f"Delivery {delivery.pk} is {delivery.status}: it is still being sent. Redeliver "
            "it once it is delivered or failed."
        )
    previous = {"status": delivery.status, "attempts": delivery.attempts}
    # `retrying`, due now: queued for another attempt (the sweeper queues it again only if
    # its message is lost, as for any retry); the attempts start again from 0.
    delivery.status, delivery.attempts = WebhookDelivery.Status.RETRYING, 0
    delivery.next_attempt_at, delivery.delivered_at = timezone.now(), None
    delivery.save()
    _audit("webhook.redelivered", delivery.subscription, delivery_id=delivery.pk, **previous)
    enqueue_on_commit(deliver_webhook, delivery.pk)
    return delivery


def webhook_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def webhook_delivery_attempt(*, delivery_id: int) -> WebhookDelivery:
    """POST the event once. Records the outcome; the caller decides whether to retry."""
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        return delivery  # a task that ran twice sends once
    subscription = delivery.subscription
    body = webhook_body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.SIGNATURE_HEADER: signing.sign(subscription.secret, timestamp, body),
        signing.EVENT_ID_HEADER: str(delivery.event_id),
        signing.EVENT_HEADER: delivery.event,
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SUBSCRIPTION_HEADER: str(subscription.pk),
    }
    delivery.attempts += 1
    error, status = "", None
    try:
        # One DNS lookup: the addresses it checks are the ones it connects to (no rebinding).
        status = post_checked(subscription.url, body=body, headers=headers, timeout=TIMEOUT_S)
    except TargetRefused as exc:  # never retried: the address will not become allowed by waiting
        delivery.status, delivery.last_error = WebhookDelivery.Status.FAILED, str(exc)[:500]
        delivery.next_attempt_at = None
        delivery.save()
        return delivery
    except (OSError, http.client.HTTPException) as exc:
        error = f"cannot reach the receiver: {exc}"[:500]
    if status is not None and not 200 <= status < 300:
        error = f"HTTP {status} from the receiver"
    now = timezone.now()
    delivery.response_status = status
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, now
        delivery.last_error, delivery.next_attempt_at = "", None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.last_error = WebhookDelivery.Status.FAILED, error
        delivery.next_attempt_at = None
    else:
        delivery.status, delivery.last_error = WebhookDelivery.Status.RETRYING, error
        delivery.next_attempt_at = now + timedelta(seconds=backoff_seconds(delivery.attempts))
    delivery.save()
    return delivery
