"""A candidate's tags: adding and removing some without resending the whole list (the API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from audit.services import audit_record
from core.events import emit

from ..errors import InvalidCandidate
from ..models import Candidate
from ..permissions import ensure_can_manage_candidates

if TYPE_CHECKING:
    from core.roles import AnyUser

MAX_TAGS = 100
MAX_TAG_CHARS = 100


def _clean(tags: list[str]) -> list[str]:
    """Trimmed, inner spaces collapsed (as the portal's tag inputs do), empty ones dropped,
    each once (compared without case, the first spelling kept)."""
    cleaned: dict[str, str] = {}
    for raw in tags:
        tag = " ".join(str(raw).split())
        if len(tag) > MAX_TAG_CHARS:
            raise InvalidCandidate(
                f"'{tag[:30]}…' is too long for a tag: keep each under {MAX_TAG_CHARS} characters.",
                field="tags",
            )
        if tag:
            cleaned.setdefault(tag.casefold(), tag)
    return list(cleaned.values())


def _save(candidate: Candidate, tags: list[str], by: AnyUser, changed: dict[str, int]) -> None:
    candidate.tags = tags
    candidate.save(update_fields=["tags", "updated_at"])
    # Counts and the field's name only: the audit log keeps no personal data.
    audit_record(
        action="candidate.profile_edited",
        actor=by,
        target=candidate,
        details={"fields": ["tags"], **changed},
    )
    emit("candidate.updated", {"candidate_id": candidate.pk, "fields": ["tags"]})


@transaction.atomic
def candidate_tags_add(*, candidate: Candidate, by: AnyUser, tags: list[str]) -> list[str]:
    """Add tags the candidate does not have yet (a tag they have, in any case, is kept as it
    is); returns all of them. The row is locked, so two concurrent adds both count."""
    ensure_can_manage_candidates(by)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    have = {t.casefold() for t in candidate.tags}
    new = [t for t in _clean(tags) if t.casefold() not in have]
    if not new:
        return list(candidate.tags)
    if len(candidate.tags) + len(new) > MAX_TAGS:
        raise InvalidCandidate(
            f"A candidate has at most {MAX_TAGS} tags; they have {len(candidate.tags)}, "
            f"so {MAX_TAGS - len(candidate.tags)} more at most.",
            field="tags",
        )
    _save(candidate, [*candidate.tags, *new], by, {"added": len(new)})
    return list(candidate.tags)


@transaction.atomic
def candidate_tags_remove(*, candidate: Candidate, by: AnyUser, tags: list[str]) -> list[str]:
    """Remove these tags (compared without case); one the candidate does not have is no
    error, so a retry is harmless. Returns the tags left."""
    ensure_can_manage_candidates(by)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    gone = {t.casefold() for t in _clean(tags)}
    kept = [t for t in candidate.tags if t.casefold() not in gone]
    if len(kept) != len(candidate.tags):
        _save(candidate, kept, by, {"removed": len(candidate.tags) - len(kept)})
    return list(candidate.tags)
