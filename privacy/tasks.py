"""Celery tasks of privacy: thin wrappers that call services."""

from __future__ import annotations

from celery import shared_task

from core.tasks import TRANSIENT_ERRORS


@shared_task(
    acks_late=True, autoretry_for=(*TRANSIENT_ERRORS, OSError), retry_backoff=True, max_retries=3
)
def apply_retention() -> int:
    """Anonymise candidates past their retention date; safe to run twice (erased ones are
    skipped). Returns how many were anonymised."""
    from audit import context

    from .services import retention_apply

    token = context.set_context(via="task")
    try:
        plan = retention_apply()
    finally:
        context.reset(token)
    return sum(item.action == "anonymise" for item in plan)


@shared_task(
    acks_late=True,
    autoretry_for=(*TRANSIENT_ERRORS, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_self_id_invitation(candidate_id: int, url: str, invitation_id: int | None = None) -> bool:
    """E-mail a candidate their self-identification link (sent after the commit)."""
    from .services.selfid import self_id_invitation_send

    return self_id_invitation_send(candidate_id=candidate_id, url=url, invitation_id=invitation_id)
