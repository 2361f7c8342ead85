"""Reads for the bias audit: the applications in scope, one row each, and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import QuerySet

from recruiting.models import Application, FitScore, Job, StageEvent

from ..bias import STAGE_ORDER, AuditRow, BiasReport, bias_report
from ..models import CATEGORIES, SelfIdentification
from ._dates import before_day_after, day_start

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


def scope_applications(scope: AuditScope) -> QuerySet[Application]:
    applications = Application.objects.all()
    if scope.job is not None:
        applications = applications.filter(job=scope.job)
    if scope.start:
        applications = applications.filter(applied_at__gte=day_start(scope.start))
    if scope.end:
        applications = before_day_after(applications, "applied_at", scope.end)
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
