"""Writing audit entries: one call from any service that changes something that matters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from core.roles import signed_in

from . import context
from .models import AuditEntry

if TYPE_CHECKING:
    from core.roles import AnyUser

ACTIONS = {
    "application.created": "Application created",
    "application.moved": "Application moved to another stage",
    "score.overridden": "Fit score overridden by a person",
    "identity.revealed": "Candidate identity revealed in blind screening",
    "candidate.exported": "Candidate data exported",
    "candidate.erased": "Candidate erased on request",
    "candidate.anonymised": "Candidate anonymised after the retention date",
    "api_key.created": "API key created",
    "api_key.revoked": "API key revoked",
    "api_key.used": "API key used",
    "permission.changed": "Roles or permissions changed",
    "self_id.submitted": "Self-identification submitted",
    "self_id.viewed": "Self-identification answers viewed by an HR admin",
    "bias_audit.viewed": "Bias audit report viewed or exported",
    "job.created": "Job created",
    "job.updated": "Job edited",
    "job.stage_added": "Stage added to a job's pipeline",
    "job.stage_renamed": "Job's own stage renamed",
    "job.stage_moved": "Job's own stage moved in the pipeline",
    "job.stage_removed": "Job's own stage removed",
    "job.published": "Job published",
    "job.closed": "Job closed",
    "job.reopened": "Job reopened",
    "note.added": "Note added",
    "scorecard.submitted": "Scorecard submitted",
    "interview.scheduled": "Interview scheduled",
    "interview.rescheduled": "Interview rescheduled",
    "interview.cancelled": "Interview cancelled",
    "offer.created": "Offer drafted",
    "offer.sent": "Offer sent to the candidate",
    "offer.accepted": "Offer accepted by the candidate",
    "offer.declined": "Offer declined by the candidate",
    "offer.withdrawn": "Offer withdrawn",
    "email.queued": "E-mail to a candidate or interviewer queued for sending",
    "email.sent": "E-mail sent",
    "email.failed": "E-mail could not be sent",
    "email_template.saved": "E-mail template created or edited",
    "candidate.profile_edited": "Candidate profile edited by a person",
    "resume.downloaded": "Resume file downloaded or viewed",
    "attachment.added": "Candidate attachment (cover letter, portfolio...) added",
    "attachment.downloaded": "Candidate attachment downloaded",
    "attachment.deleted": "Candidate attachment deleted",
    "webhook.created": "Webhook subscription created",
    "webhook.updated": "Webhook subscription changed",
    "webhook.deleted": "Webhook subscription deleted",
    "webhook.pinged": "Webhook ping sent",
    "webhook.redelivered": "Webhook delivery sent again",
    "survey.opened": "Survey opened",
    "survey.closed": "Survey closed",
    "survey.invited": "Survey invitations sent",
    "survey.reminded": "Survey reminders sent",
    "department.created": "Department created",
    "department.updated": "Department renamed, re-coded or moved",
    "department.deleted": "Department deleted",
    "employee.created": "Employee record created",
    "employee.updated": "Employee record edited",
    "employee.deactivated": "Employee deactivated (left the company)",
    "employee.reactivated": "Employee reactivated",
    "employee.imported": "Employees imported from a CSV file",
}


def audit_record(
    *,
    action: str,
    actor: AnyUser = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: Any = "",
    summary: str = "",
    details: dict[str, Any] | None = None,
    via: str | None = None,
) -> AuditEntry:
    """Append one entry. `details` must hold ids and field names, not personal data."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    ctx = context.current()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
    # request.user may be anonymous: only a signed-in user is recorded as the actor.
    user = signed_in(actor)
    return AuditEntry.objects.create(
        action=action,
        actor=user,
        actor_label=getattr(user, "get_username", lambda: "")() if user else "",
        target_type=target_type,
        target_id=str(target_id or ""),
        summary=(summary or ACTIONS[action])[:300],
        details=details or {},
        via=via or ctx.via,
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        api_key_id=ctx.api_key_id,
    )
