"""Retention: candidates past their retention date are anonymised, once, by a daily task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from recruiting.models import Candidate
from recruiting.pipeline import CLOSED_STAGES
from recruiting.services.search_index import search_index_compact

from ..models import CandidateErasure
from .rights import candidate_anonymise

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class RetentionItem:
    candidate_id: int
    retention_date: date
    action: str  # "anonymise" or "skip"
    reason: str = ""


def candidates_past_retention(today: date) -> list[tuple[Candidate, date]]:
    """Candidates not yet erased whose retention date is before `today`.

    The date is retain_until when set, else CANDIDATE_RETENTION_DAYS after the last activity
    (the candidate's or any of their applications' last change).
    """
    keep = timedelta(days=settings.CANDIDATE_RETENTION_DAYS)
    erased = CandidateErasure.objects.values("candidate_id")
    candidates = (
        Candidate.objects.exclude(pk__in=erased)
        .annotate(last_application=Max("applications__updated_at"))
        .order_by("pk")
    )
    due: list[tuple[Candidate, date]] = []
    for candidate in candidates.iterator(chunk_size=500):
        if candidate.retain_until:
            until = candidate.retain_until
        else:
            moments = [candidate.updated_at, candidate.last_application]
            until = timezone.localdate(max(m for m in moments if m)) + keep
        if until < today:
            due.append((candidate, until))
    return due


def retention_plan(today: date) -> list[RetentionItem]:
    """What a retention run would do today. A candidate with an application still in the
    pipeline is skipped: a person decides first (move it on, or set a later retain_until)."""
    plan = []
    for candidate, until in candidates_past_retention(today):
        if candidate.applications.exclude(stage__in=CLOSED_STAGES).exists():
            plan.append(RetentionItem(candidate.pk, until, "skip", "an application is open"))
        else:
            plan.append(RetentionItem(candidate.pk, until, "anonymise"))
    return plan


def retention_apply(*, today: date | None = None, dry_run: bool = False, by: User | None = None):
    """Anonymise every candidate the plan marks; with dry_run only return the plan."""
    today = today or timezone.localdate()
    plan = retention_plan(today)
    if not dry_run:
        anonymised = 0
        for item in plan:
            if item.action == "anonymise":
                candidate = Candidate.objects.get(pk=item.candidate_id)
                candidate_anonymise(
                    candidate=candidate,
                    by=by,
                    retention_date=item.retention_date,
                    compact_index=False,
                )
                anonymised += 1
        if anonymised:
            # Once for the batch: each merge rewrites the whole search index.
            search_index_compact()
    return plan
