"""Telling the hiring team that an application changed stage."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.tasks import enqueue

from ..models import StageEvent
from ..selectors.stages import job_pipeline
from ..tasks import notify_stage_change


def _recipients(event: StageEvent) -> list[str]:
    job = event.application.job
    people = [*job.hiring_team.all(), job.owner]
    # The person who made the move already knows.
    return sorted(
        {
            p.email
            for p in people
            if p is not None and p.email and p.pk != event.by_id and p.is_active
        }
    )


def stage_event_notify(*, stage_event_id: int) -> bool:
    """E-mail the hiring team about one stage change, at most once; True if mail went out.

    The event is claimed (marked notified, committed) before the mail is sent: a worker
    killed between the two loses this one e-mail rather than sending it twice when the task
    is delivered again. A send that fails with an error gives the claim back for the retry.
    """
    with transaction.atomic():
        event = (
            StageEvent.objects.select_for_update(of=("self",))
            .select_related("application__job__owner", "application__candidate", "by")
            .get(pk=stage_event_id)
        )
        if event.notified_at is not None:
            return False
        claimed_at = timezone.now()
        event.notified_at = claimed_at
        event.save(update_fields=["notified_at"])
        recipients = _recipients(event)
    if not recipients:
        return False
    application = event.application
    who = (event.by.get_full_name() or event.by.get_username()) if event.by else "SmartHR"
    url = settings.SITE_URL + reverse("recruiting:job_detail", kwargs={"pk": application.job_id})
    # The job's own stages by their names ("Technical test"), as on the board.
    pipeline = job_pipeline(job=application.job)
    to_stage = pipeline.label(event.to_stage)
    from_stage = pipeline.label(event.from_stage) if event.from_stage else "new"
    subject = f"[SmartHR] {application.candidate} moved to {to_stage} for {application.job}"
    body = (
        f"{who} moved {application.candidate} from {from_stage} to "
        f"{to_stage} for {application.job}.\n\n"
        f"{event.note}\n\nOpen the pipeline: {url}\n"
    )
    try:
        send_mail(subject, body, None, recipients)
    except Exception:
        StageEvent.objects.filter(pk=event.pk, notified_at=claimed_at).update(notified_at=None)
        raise
    return True


def stage_events_notify_pending(
    *, older_than: timedelta | None = None, max_age: timedelta | None = None, limit: int = 1000
) -> int:
    """Queue again the stage e-mails not sent `older_than` after the move (their message was
    lost), unless the move is older than `max_age`. Returns how many were queued."""
    now = timezone.now()
    if older_than is None:
        older_than = timedelta(seconds=settings.PENDING_WORK_DEADLINE_S)
    if max_age is None:
        max_age = timedelta(seconds=settings.PENDING_MAIL_MAX_AGE_S)
    pending = (
        StageEvent.objects.filter(notified_at=None, at__lt=now - older_than, at__gte=now - max_age)
        .order_by("at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in pending:
        if not enqueue(notify_stage_change, pk):
            break  # the broker is still down: the next sweep tries again
        sent += 1
    return sent
