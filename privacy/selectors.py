"""Reads for privacy pages: bias audit rows, the audit log, a candidate's privacy summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from audit.models import AuditEntry
from recruiting.models import Application, Candidate, FitScore, Job, StageEvent
from recruiting.pipeline import CLOSED_STAGES

from .bias import STAGE_ORDER, AuditRow, BiasReport, bias_report
from .models import CATEGORIES, CandidateErasure, SelfIdentification

DEFAULT_INTERSECTIONS: tuple[tuple[str, str], ...] = (
    ("sex", "race_ethnicity"),
    ("sex", "age_band"),
)
MIN_GROUP_SIZE = 5


@dataclass(frozen=True)
class AuditScope:
    """Which applications the audit covers: one job or all, applied within [start, end]."""

    job: Job | None = None
    start: date | None = None
    end: date | None = None

    def describe(self) -> str:
        what = f"job '{self.job}'" if self.job else "all jobs"
        if self.start or self.end:
            what += f", applied {self.start or '…'} to {self.end or '…'}"
        return what


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _before_day_after(queryset: QuerySet, field: str, day: date) -> QuerySet:
    """Rows up to the end of `day` (the last representable day has no day after it)."""
    if day >= date.max:
        return queryset
    return queryset.filter(**{f"{field}__lt": _day_start(day + timedelta(1))})


def scope_applications(scope: AuditScope) -> QuerySet[Application]:
    applications = Application.objects.all()
    if scope.job is not None:
        applications = applications.filter(job=scope.job)
    if scope.start:
        applications = applications.filter(applied_at__gte=_day_start(scope.start))
    if scope.end:
        applications = _before_day_after(applications, "applied_at", scope.end)
    return applications


def _furthest(stages: list[str]) -> str:
    order = [STAGE_ORDER.index(s) for s in stages if s in STAGE_ORDER]
    return STAGE_ORDER[max(order, default=0)]


def bias_audit_rows(scope: AuditScope) -> list[AuditRow]:
    """One row per application in scope: self-ID groups, furthest stage, latest model score.

    Four queries whatever the size. Candidates without self-identification count as unknown.
    """
    applications = list(scope_applications(scope).values_list("pk", "candidate_id", "stage"))
    ids = [pk for pk, _, _ in applications]
    stages: dict[int, list[str]] = {pk: [stage] for pk, _, stage in applications}
    events = StageEvent.objects.filter(application_id__in=ids).values_list(
        "application_id", "from_stage", "to_stage"
    )
    for application_id, from_stage, to_stage in events:
        stages[application_id] += [from_stage, to_stage]
    scores: dict[int, float] = {}
    latest = FitScore.objects.filter(application_id__in=ids).order_by(
        "application_id", "computed_at", "id"
    )
    for application_id, score in latest.values_list("application_id", "score"):
        scores[application_id] = score  # the last one (newest) wins
    answers = {
        s.candidate_id: s.groups()
        for s in SelfIdentification.objects.filter(candidate_id__in={c for _, c, _ in applications})
    }
    return [
        AuditRow(
            groups=answers.get(candidate_id, {}),
            furthest_stage=_furthest(stages[pk]),
            score=scores.get(pk),
        )
        for pk, candidate_id, _ in applications
    ]


def bias_audit_report(
    scope: AuditScope,
    *,
    threshold: float | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
) -> BiasReport:
    return bias_report(
        bias_audit_rows(scope),
        categories=list(CATEGORIES),
        intersections=DEFAULT_INTERSECTIONS,
        threshold=settings.BIAS_AUDIT_SCORE_THRESHOLD if threshold is None else threshold,
        min_group_size=min_group_size,
    )


# --- the audit log ------------------------------------------------------------------------


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
        entries = entries.filter(at__gte=_day_start(start))
    if end:
        entries = _before_day_after(entries, "at", end)
    return entries.order_by("-at", "-id")


# --- retention ----------------------------------------------------------------------------


def candidate_last_activity(candidate: Candidate) -> datetime:
    agg = Application.objects.filter(candidate=candidate).aggregate(last=Max("updated_at"))
    return max(d for d in (candidate.updated_at, candidate.created_at, agg["last"]) if d)


def candidate_retention_date(candidate: Candidate) -> date:
    """retain_until when set; otherwise CANDIDATE_RETENTION_DAYS after the last activity."""
    if candidate.retain_until:
        return candidate.retain_until
    last = timezone.localdate(candidate_last_activity(candidate))
    return last + timedelta(days=settings.CANDIDATE_RETENTION_DAYS)


def candidate_search(q: str) -> QuerySet[Candidate]:
    match = Q(full_name__icontains=q) | Q(email__icontains=q)
    if q.lstrip("#").isdigit():
        match |= Q(pk=int(q.lstrip("#")))
    return Candidate.objects.filter(match).order_by("-created_at", "-id")


def candidate_erasure(candidate: Candidate) -> CandidateErasure | None:
    return CandidateErasure.objects.filter(candidate=candidate).first()


def candidate_privacy_summary(candidate: Candidate) -> dict[str, Any]:
    """What the privacy panel shows: counts, retention, erasure state; no self-ID answers."""
    from recruiting.models import Note, Resume, ResumeEmbedding, Scorecard

    return {
        "resumes": Resume.objects.filter(candidate=candidate).count(),
        "embeddings": ResumeEmbedding.objects.filter(resume__candidate=candidate).count(),
        "applications": Application.objects.filter(candidate=candidate).count(),
        "scores": FitScore.objects.filter(application__candidate=candidate).count(),
        "notes": Note.objects.filter(candidate=candidate).count(),
        "scorecards": Scorecard.objects.filter(application__candidate=candidate).count(),
        "has_self_id": SelfIdentification.objects.filter(candidate=candidate).exists(),
        "retention_date": candidate_retention_date(candidate),
        "erasure": candidate_erasure(candidate),
        "open_applications": Application.objects.filter(candidate=candidate)
        .exclude(stage__in=CLOSED_STAGES)
        .count(),
    }
