"""Reads for upload progress: a batch's items with their live parse status."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from core.roles import Role, has_role

from ..models import UploadBatch, UploadItem

if TYPE_CHECKING:
    from core.roles import AnyUser

FINAL_STATUSES = frozenset({"parsed", "failed", "duplicate", "refused"})


def upload_batch_get(*, user: AnyUser, pk: Any) -> UploadBatch:
    """A batch is visible to the recruiter who sent it, and to every recruiter."""
    if not has_role(user, Role.RECRUITER):
        raise Http404("No such upload.")
    try:
        return UploadBatch.objects.select_related("job").get(pk=pk)
    except (UploadBatch.DoesNotExist, ValueError) as exc:
        raise Http404("No such upload.") from exc


def upload_items(*, batch: UploadBatch) -> QuerySet[UploadItem]:
    return batch.items.select_related("resume__candidate").order_by("created_at", "id")


def upload_items_for(*, user: AnyUser, batch: UploadBatch) -> list[UploadItem]:
    """The batch's items as `user` may see them (blind screening masks file names and the
    parsed resumes of candidates hidden from them)."""
    from ..blind import shown_to

    return shown_to(user, upload_items(batch=batch))


def upload_summary(items: list[UploadItem]) -> dict[str, Any]:
    counts = Counter(item.status for item in items)
    done = sum(n for status, n in counts.items() if status in FINAL_STATUSES)
    return {
        "total": len(items),
        "done": done,
        "finished": done == len(items),
        "percent": round(100 * done / len(items)) if items else 100,
        "counts": dict(counts),
    }


def _rows(items: list[UploadItem]) -> list[dict[str, Any]]:
    return [
        {
            "id": item.pk,
            "filename": item.filename,
            "status": item.status,
            "final": item.status in FINAL_STATUSES,
            "reason": item.reason,
        }
        for item in items
    ]


def upload_item_rows(*, user: AnyUser, items: list[UploadItem]) -> list[dict[str, Any]]:
    """Items as the upload page's script shows them (JSON), masked for blind screening."""
    from ..blind import shown_to

    return _rows(shown_to(user, items))


def upload_status(*, user: AnyUser, batch: UploadBatch) -> dict[str, Any]:
    """A batch's progress for the upload page's script: its summary and every item's status."""
    items = upload_items_for(user=user, batch=batch)
    summary = upload_summary(items)
    return {
        "done": summary["done"],
        "total": summary["total"],
        "finished": summary["finished"],
        "items": _rows(items),
    }
