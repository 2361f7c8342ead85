"""Celery tasks of recruiting: thin wrappers that call services."""

from __future__ import annotations

import smtplib

from celery import shared_task

# Transient: the mail server or the network hiccuped. Retried with backoff; anything else
# is a bug and should fail loudly.
TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def notify_stage_change(stage_event_id: int) -> bool:
    from .services.notifications import stage_event_notify

    return stage_event_notify(stage_event_id=stage_event_id)
