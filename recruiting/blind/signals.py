"""Blind screening's signal: moving an application past screening reveals the identity, and
that is logged (connected by RecruitingConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from audit.services import audit_record

from ..models import StageEvent
from .rules import BLIND_STAGES, REVEAL_ACTION, REVEALING_STAGES


@receiver(post_save, sender=StageEvent, dispatch_uid="blind-reveal-on-advance")
def _log_reveal_on_advance(sender: type, instance: StageEvent, created: bool, **_: Any) -> None:
    """Advancing past screening shows the identity to everyone: log it, in the move's
    transaction and with the mover as the actor."""
    if not created:
        return
    if instance.from_stage not in BLIND_STAGES or instance.to_stage not in REVEALING_STAGES:
        return
    application = instance.application
    if not application.job.blind_screening:
        return
    audit_record(
        action=REVEAL_ACTION,
        actor=instance.by,
        target=application.candidate,
        details={
            "application_id": application.pk,
            "reason": f"advanced to {instance.to_stage}",
            "explicit": False,
        },
    )
