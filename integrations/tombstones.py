"""Tombstones: what sync clients need to mirror deletions and erasures.

A job, candidate or application deleted (by any door: the admin, a cascade) leaves a
`Tombstone`; so does a candidate whose personal data is erased on request or anonymised
after the retention date (privacy keeps the row, emptied). Each also announces
`<object>.deleted`, so a webhook subscriber hears of it at once. Written in the transaction
that deletes or erases (signals), so a tombstone exists exactly when the change committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from core.errors import NotAllowed
from core.events import emit
from core.roles import Role, has_role

from .models import Tombstone

if TYPE_CHECKING:
    from core.roles import AnyUser

EVENTS = {
    Tombstone.ObjectType.JOB: "job.deleted",
    Tombstone.ObjectType.CANDIDATE: "candidate.deleted",
    Tombstone.ObjectType.APPLICATION: "application.deleted",
}


def tombstone_record(*, object_type: str, object_id: int, kind: str) -> Tombstone:
    tombstone = Tombstone.objects.create(object_type=object_type, object_id=object_id, kind=kind)
    data = {f"{object_type}_id": object_id, "kind": kind}
    emit(EVENTS[Tombstone.ObjectType(object_type)], data)
    return tombstone


def tombstone_list(*, user: AnyUser, since: datetime | None = None) -> QuerySet[Tombstone]:
    """Every tombstone, newest first, from `since` (inclusive). For users who see every
    recruiting record (recruiters, HR admins): a hiring manager sees only their jobs', which
    a deleted row can no longer tell."""
    if not has_role(user, Role.RECRUITER, Role.HR_ADMIN):
        raise NotAllowed(
            "The deletions feed lists every job, candidate and application: it needs the "
            "recruiter or HR admin role."
        )
    tombstones = Tombstone.objects.all()
    if since is not None:
        tombstones = tombstones.filter(occurred_at__gte=since)
    return tombstones


def _on_delete(object_type: str) -> Any:
    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        tombstone_record(
            object_type=object_type, object_id=instance.pk, kind=Tombstone.Kind.DELETED
        )

    return receiver


def _on_erasure(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    kind = Tombstone.Kind.ERASED if instance.kind == "erased" else Tombstone.Kind.ANONYMISED
    tombstone_record(
        object_type=Tombstone.ObjectType.CANDIDATE, object_id=instance.candidate_id, kind=kind
    )


_RECEIVERS = {object_type: _on_delete(object_type) for object_type in Tombstone.ObjectType}


def connect() -> None:
    """Called once from IntegrationsConfig.ready()."""
    for object_type, receiver in _RECEIVERS.items():
        model = f"recruiting.{object_type.capitalize()}"
        post_delete.connect(receiver, sender=model, dispatch_uid=f"tombstone-{object_type}")
    post_save.connect(
        _on_erasure, sender="privacy.CandidateErasure", dispatch_uid="tombstone-erasure"
    )
