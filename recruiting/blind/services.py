"""Blind screening's service: a recruiter reveals an applicant's identity, with a reason on
record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from audit.services import audit_record
from core.errors import DomainError, NotAllowed
from core.roles import Role, has_role

from ..models import Application, Candidate
from ..permissions import visible_applications
from .rules import BLIND_STAGES, REVEAL_ACTION

if TYPE_CHECKING:
    from core.roles import AnyUser


class NotBlind(DomainError):
    code = "not_blind"


@transaction.atomic
def identity_reveal(
    *, candidate: Candidate, application: Application, by: AnyUser, reason: str
) -> None:
    """A recruiter reveals who an applicant in blind screening is, with a reason on record."""
    if not has_role(by, Role.RECRUITER):
        raise NotAllowed("Only recruiters can reveal a candidate's identity in blind screening.")
    if application.candidate_id != candidate.pk:
        raise NotBlind("That application belongs to another candidate.")
    if not visible_applications(by).filter(pk=application.pk).exists():
        raise NotAllowed("You do not have access to this application.")
    reason = reason.strip()
    if not reason:
        raise NotBlind("Say why the identity is revealed: the reason is kept in the audit log.")
    if not (application.job.blind_screening and application.stage in BLIND_STAGES):
        raise NotBlind("This application is not in blind screening; nothing to reveal.")
    audit_record(
        action=REVEAL_ACTION,
        actor=by,
        target=candidate,
        details={"application_id": application.pk, "reason": reason, "explicit": True},
    )
