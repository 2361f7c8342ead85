"""A candidate's attachments (other than resumes) as a user may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from ..models import Candidate, CandidateAttachment
from ..permissions import visible_candidates

if TYPE_CHECKING:
    from core.roles import AnyUser


def candidate_attachments(*, candidate: Candidate) -> QuerySet[CandidateAttachment]:
    return CandidateAttachment.objects.filter(candidate=candidate)


def attachment_get(*, user: AnyUser, pk: int) -> CandidateAttachment:
    """An attachment of a candidate the user can see; 404 otherwise (as for the candidate)."""
    found = (
        CandidateAttachment.objects.filter(pk=pk, candidate__in=visible_candidates(user))
        .select_related("candidate")
        .first()
    )
    if found is None:
        raise Http404("No such attachment.")
    return found


def attachments_shown_to(
    user: AnyUser, attachments: list[CandidateAttachment]
) -> list[CandidateAttachment]:
    """Under blind screening a file's name may name the candidate: it reads "Attachment #id"
    (in memory only; never saved)."""
    from ..blind import hidden_candidate_ids

    hidden = hidden_candidate_ids(user, {a.candidate_id for a in attachments})
    for attachment in attachments:
        if attachment.candidate_id in hidden:
            attachment.original_name = f"Attachment #{attachment.pk}"
    return attachments
