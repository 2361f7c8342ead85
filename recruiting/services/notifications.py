"""Telling the hiring team that an application changed stage."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..models import StageEvent
from ..pipeline import Stage


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
    """E-mail the hiring team about one stage change, at most once; True if mail went out."""
    with transaction.atomic():
        event = (
            StageEvent.objects.select_for_update(of=("self",))
            .select_related("application__job__owner", "application__candidate", "by")
            .get(pk=stage_event_id)
        )
        if event.notified_at is not None:
            return False
        recipients = _recipients(event)
        if recipients:
            application = event.application
            who = (event.by.get_full_name() or event.by.get_username()) if event.by else "SmartHR"
            url = settings.SITE_URL + reverse(
                "recruiting:job_detail", kwargs={"pk": application.job_id}
            )
            subject = (
                f"[SmartHR] {application.candidate} moved to "
                f"{Stage(event.to_stage).label} for {application.job}"
            )
            body = (
                f"{who} moved {application.candidate} from "
                f"{Stage(event.from_stage).label if event.from_stage else 'new'} to "
                f"{Stage(event.to_stage).label} for {application.job}.\n\n"
                f"{event.note}\n\nOpen the pipeline: {url}\n"
            )
            send_mail(subject, body, None, recipients)
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
        return bool(recipients)
