"""Reads for the audit log page and its CSV."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from audit.models import AuditEntry

from ._dates import before_day_after, day_start


def audit_entries(
    *,
    action: str = "",
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditEntry]:
    entries: QuerySet[AuditEntry] = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_label__iexact=actor)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if start:
        entries = entries.filter(at__gte=day_start(start))
    if end:
        entries = before_day_after(entries, "at", end)
    return entries.order_by("-at", "-id")
