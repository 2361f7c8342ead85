"""Voluntary self-identification: one-time invitation links and the candidate's answers."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from core.tasks import enqueue_on_commit
from recruiting.models import Candidate

from ..errors import InvitationInvalid
from ..models import CATEGORIES, CandidateErasure, SelfIdentification, SelfIdInvitation
from ..permissions import ensure_can_invite
from ..tasks import send_self_id_invitation

if TYPE_CHECKING:
    from django.contrib.auth.models import User

INVITATION_DAYS = 30


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: SelfIdInvitation
    token: str  # shown once, in the link; only its hash is stored
    url: str


def self_id_invitation_issue(*, candidate: Candidate, by: User) -> IssuedInvitation:
    """A new one-time link for the candidate to answer (or change) their self-ID."""
    ensure_can_invite(by)
    if CandidateErasure.objects.filter(candidate=candidate).exists():
        raise InvitationInvalid("This candidate's data was erased: nobody can be invited.")
    token = secrets.token_urlsafe(32)
    invitation = SelfIdInvitation.objects.create(
        candidate=candidate,
        token_hash=_hash(token),
        created_by=by if getattr(by, "pk", None) else None,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    path = reverse("self_id_form", kwargs={"token": token})
    url = f"{settings.SITE_URL}{path}"
    if candidate.email:
        # If the broker cannot take it, the recruiter still has the link on screen to pass on.
        enqueue_on_commit(send_self_id_invitation, candidate.pk, url, invitation.pk)
    return IssuedInvitation(invitation, token, url)


def self_id_invitation_send(
    *, candidate_id: int, url: str, invitation_id: int | None = None
) -> bool:
    """The e-mail with the link, at most once; False when the candidate has no address (or
    was erased), or the invitation's e-mail already went.

    The invitation is claimed (marked sent, committed) before the mail goes: a worker killed
    between the two loses this e-mail rather than sending it twice. A send that fails with an
    error gives the claim back for the retry.
    """
    from django.core.mail import send_mail

    candidate = Candidate.objects.filter(pk=candidate_id).only("email").first()
    if candidate is None or not candidate.email:
        return False
    claimed_at = timezone.now()
    if invitation_id is not None and not (
        SelfIdInvitation.objects.filter(pk=invitation_id, sent_at=None).update(sent_at=claimed_at)
    ):
        return False
    try:
        send_mail(
            "A voluntary, confidential question about you",
            "We would like to check that our hiring is fair. If you wish, answer a few optional "
            f"questions here (recruiters never see your answers):\n\n{url}\n",
            None,
            [candidate.email],
        )
    except Exception:
        if invitation_id is not None:
            SelfIdInvitation.objects.filter(pk=invitation_id, sent_at=claimed_at).update(
                sent_at=None
            )
        raise
    return True


def self_id_invitation_check(*, token: str) -> SelfIdInvitation:
    """The unused, unexpired invitation for `token`, or InvitationInvalid."""
    invitation = (
        SelfIdInvitation.objects.filter(token_hash=_hash(token)).select_related("candidate").first()
    )
    if invitation is None or invitation.used_at is not None:
        raise InvitationInvalid("This link is not valid or was already used.")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("This link has expired. Ask the recruiter for a new one.")
    return invitation


@transaction.atomic
def self_identification_submit(*, token: str, answers: dict[str, str]) -> SelfIdentification:
    """Store the answers (replacing earlier ones) and use up the link.

    Unknown categories are refused; an empty answer means "not answered" (unknown).
    """
    invitation = self_id_invitation_check(token=token)
    invitation = SelfIdInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:  # a second submit raced the first
        raise InvitationInvalid("This link is not valid or was already used.")
    values: dict[str, str] = {}
    for name, choices in CATEGORIES.items():
        value = answers.get(name, "") or ""
        if value and value not in choices.values:
            raise InvitationInvalid(f"'{value}' is not an answer to {name}.")
        values[name] = value
    extra = set(answers) - set(CATEGORIES)
    if extra:
        raise InvitationInvalid(f"Unknown fields: {', '.join(sorted(extra))}.")
    record, _ = SelfIdentification.objects.update_or_create(
        candidate=invitation.candidate, defaults=values
    )
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    # Which fields were answered, never the answers.
    audit_record(
        action="self_id.submitted",
        target=invitation.candidate,
        details={"answered": sorted(k for k, v in values.items() if v)},
        via="public",
    )
    return record
