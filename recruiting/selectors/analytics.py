"""Recruiting analytics: pass-through, time in stage, time to hire, offers, sources and
rejection reasons, per job and overall, for the applications a user may see.

One typed result (`RecruitingAnalytics`) is built here and only rendered by the portal page,
its CSV and `GET /api/v1/analytics/recruiting/`, whose schema is generated from these types.
Three queries whatever the number of applications: the applications (with their job, source
and rejection reason joined), their stage events and their sent offers; the figures are
computed in Python, as SQLite has no median. Only counts and durations leave this module:
no candidate is named.
Definitions: docs/portal.md, "Recruiting analytics".
"""

# No `from __future__ import annotations`: drf-spectacular reads these TypedDicts' hints.
import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404

from core.errors import DomainError

from ..models import Application, Job, Offer, StageEvent
from ..permissions import visible_applications, visible_jobs
from ..pipeline import DEFAULT_PIPELINE, Pipeline, Stage
from .stages import job_pipeline

if TYPE_CHECKING:
    from core.roles import AnyUser

DECLINED_CODE = "candidate_declined"  # a RejectionReason seeded by migration 0015
# A sent offer's status, as an analytics outcome: withdrawn by us is not the candidate's no.
OFFER_OUTCOMES: dict[str, str] = {
    Offer.Status.SENT: "pending",
    Offer.Status.ACCEPTED: "accepted",
    Offer.Status.DECLINED: "declined",
    Offer.Status.WITHDRAWN: "other",
}
DAY = 86400.0


class InvalidAnalyticsFilter(DomainError):
    code = "invalid_analytics_filter"


@dataclass(frozen=True)
class AnalyticsFilters:
    """Which applications: of one job (else every job the user sees), applied within
    [since, until] (dates, both included), from one source (exact, as recorded)."""

    job: Job | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    source: str = ""


# --- the result ----------------------------------------------------------------------------


class FiltersApplied(TypedDict):
    job: int | None
    since: str | None  # YYYY-MM-DD
    until: str | None
    source: str | None


class StageFigures(TypedDict):
    stage: str
    label: str
    reached: int  # applications that got to this stage or past it
    moved_on: int | None  # of those, how many got past it (none for hired, the end)
    pass_through_pct: float | None  # moved_on / reached, in %
    in_stage_now: int  # still waiting in it
    stays: int  # finished stays measured for the median
    median_days_in_stage: float | None


class TimeToHire(TypedDict):
    hires: int
    median_days: float | None
    mean_days: float | None
    min_days: float | None
    max_days: float | None


class OfferFigures(TypedDict):
    # Offers made: the sent Offer rows of an application that has any, else one per
    # application that reached the Offer stage (then: accepted = offer → hired; declined =
    # offer → withdrawn or rejected with "Candidate declined"; pending = still at Offer).
    extended: int
    accepted: int
    declined: int
    pending: int  # sent and not answered
    other: int  # withdrawn by us (or, from stages: rejected for another reason, moved back)
    acceptance_pct: float | None  # accepted / (accepted + declined), in %


class SourceFigures(TypedDict):
    source: str  # "" when no source was recorded
    applications: int
    reached_screening: int
    reached_interview: int
    offers: int
    hires: int
    interview_pct: float | None  # reached_interview / applications, in %
    hire_pct: float | None  # hires / applications, in %


class ReasonFigures(TypedDict):
    code: str  # "" for rejections without a standard reason
    label: str
    count: int
    share_pct: float  # of all rejections in scope


class JobFigures(TypedDict):
    job: int
    title: str
    status: str
    applications: int
    hires: int
    hire_pct: float | None
    median_days_to_hire: float | None
    offer_acceptance_pct: float | None


class RecruitingAnalytics(TypedDict):
    """Every figure for one scope; rates in % (1 decimal), durations in days (1 decimal)."""

    filters: FiltersApplied
    applications: int
    hires: int
    rejected: int
    withdrawn: int
    stages: list[StageFigures]
    time_to_hire: TimeToHire
    offers: OfferFigures
    sources: list[SourceFigures]
    rejection_reasons: list[ReasonFigures]
    jobs: list[JobFigures]


# --- reading -------------------------------------------------------------------------------


def analytics_job(*, user: "AnyUser", pk: int) -> Job:
    """A job the user may see, else 404 (its existence is not revealed)."""
    job = visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404(f"There is no job {pk}.")
    return job


def analytics_filters(
    *,
    job: Job | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    source: str = "",
) -> AnalyticsFilters:
    """The filters, checked: a period must not end before it starts."""
    if since and until and since > until:
        raise InvalidAnalyticsFilter("The period ends before it starts.", field="until")
    return AnalyticsFilters(job=job, since=since, until=until, source=source.strip())


def analytics_sources(*, user: "AnyUser") -> list[str]:
    """The sources recorded on the applications the user sees (for the filter's choices)."""
    rows = (
        _with_source(visible_applications(user))
        .exclude(effective_source="")
        .values_list("effective_source", flat=True)
        .distinct()
        .order_by("effective_source")
    )
    return list(rows)


def analytics_job_choices(*, user: "AnyUser") -> list[tuple[int, str]]:
    return list(visible_jobs(user).order_by("title", "pk").values_list("pk", "title"))


def _with_source(applications: QuerySet[Application]) -> QuerySet[Any]:
    # The application's own source, else the candidate's (how they first came to us).
    return applications.annotate(
        effective_source=Coalesce(
            NullIf(F("source"), Value("")),
            F("candidate__source"),
            Value(""),
            output_field=CharField(),
        )
    )


def _scoped(user: "AnyUser", filters: AnalyticsFilters) -> QuerySet[Any]:
    applications = _with_source(visible_applications(user))
    if filters.job is not None:
        applications = applications.filter(job=filters.job)
    if filters.since is not None:
        applications = applications.filter(applied_at__date__gte=filters.since)
    if filters.until is not None:
        applications = applications.filter(applied_at__date__lte=filters.until)
    if filters.source:
        applications = applications.filter(effective_source=filters.source)
    return applications


@dataclass
class Journey:
    """One application's way through the pipeline, from its stage events."""

    job_id: int
    job_title: str
    job_status: str
    source: str
    stage: str
    applied_at: datetime.datetime
    hired_at: datetime.datetime | None
    reason_code: str
    reason_label: str
    # (stage, entered at), in order; the last is where it is now.
    stays: list[tuple[str, datetime.datetime]] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)  # (from, to)
    furthest: int = 0  # the furthest point of the funnel reached (an index in it)
    # The statuses of its Offer rows that reached the candidate (sent_at set).
    sent_offers: list[str] = field(default_factory=list)

    def reach(self, funnel: tuple[str, ...]) -> None:
        """Set `furthest`; a stage not in the funnel (another job's own) is passed over."""
        seen = [funnel.index(s) for s, _ in self.stays if s in funnel]
        if self.stage in funnel:
            seen.append(funnel.index(self.stage))
        self.furthest = max(seen, default=0)

    def reached(self, stage: str, funnel: tuple[str, ...]) -> bool:
        if stage in funnel:
            return self.furthest >= funnel.index(stage)
        return any(s == stage for s, _ in self.stays)

    def hired_after_days(self) -> float | None:
        if self.stage != Stage.HIRED:
            return None
        entered = [at for s, at in self.stays if s == Stage.HIRED]
        when = entered[-1] if entered else self.hired_at
        return None if when is None else max(0.0, (when - self.applied_at).total_seconds() / DAY)

    def offer_outcomes(self) -> list[str]:
        """One outcome per offer made (accepted, declined, pending or other). From the Offer
        rows that were sent when there are any; else the Offer stage stands for one offer
        (history from before offers existed, integrations that do not send them)."""
        if self.sent_offers:
            return [OFFER_OUTCOMES[status] for status in self.sent_offers]
        outcome = self.offer_outcome()
        return [] if outcome is None else [outcome]

    def offer_outcome(self) -> str | None:
        """From the stages: accepted, declined, pending or other; None when no offer was made."""
        if not any(s == Stage.OFFER for s, _ in self.stays) and self.stage != Stage.OFFER:
            return None
        if self.stage == Stage.OFFER:
            return "pending"
        left = [to for frm, to in self.moves if frm == Stage.OFFER]
        last = left[-1] if left else ""
        if last == Stage.HIRED:
            return "accepted"
        if last == Stage.WITHDRAWN or (
            last == Stage.REJECTED and self.reason_code == DECLINED_CODE
        ):
            return "declined"
        return "other"


def _journeys(applications: QuerySet[Any]) -> list[Journey]:
    """Three queries: the applications, their stage events in order, their sent offers."""
    rows = applications.values_list(
        "pk",
        "job_id",
        "job__title",
        "job__status",
        "effective_source",
        "stage",
        "applied_at",
        "hired_at",
        "rejection_category__code",
        "rejection_category__label",
    )
    journeys: dict[int, Journey] = {}
    for pk, job_id, title, status, source, stage, applied, hired, code, label in rows:
        journeys[pk] = Journey(
            job_id, title, status, source or "", stage, applied, hired, code or "", label or ""
        )
    if not journeys:
        return []
    events = (
        StageEvent.objects.filter(application__in=applications.values("pk"))
        .order_by("application_id", "at", "id")
        .values_list("application_id", "from_stage", "to_stage", "at")
    )
    for application_id, from_stage, to_stage, at in events:
        journey = journeys.get(application_id)
        if journey is None:
            continue
        if not journey.stays:
            # History that does not start with "applied" (imported): the first stage ran
            # from the application date.
            journey.stays.append((from_stage or to_stage, journey.applied_at))
            if not from_stage:
                continue
        journey.stays.append((to_stage, at))
        journey.moves.append((from_stage, to_stage))
    for journey in journeys.values():
        if not journey.stays:
            journey.stays.append((journey.stage, journey.applied_at))
    offers = (
        Offer.objects.filter(application__in=applications.values("pk"), sent_at__isnull=False)
        .order_by("application_id", "id")
        .values_list("application_id", "status")
    )
    for application_id, status in offers:
        if application_id in journeys:
            journeys[application_id].sent_offers.append(status)
    return list(journeys.values())


# --- figures -------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _median(values: list[float]) -> float | None:
    return _days(statistics.median(values)) if values else None


def _stage_figures(journeys: list[Journey], pipeline: Pipeline) -> list[StageFigures]:
    funnel = (*pipeline.open, Stage.HIRED)
    reached = [0] * len(funnel)
    for journey in journeys:
        for i in range(journey.furthest + 1):
            reached[i] += 1
    durations: dict[str, list[float]] = defaultdict(list)
    now_in: dict[str, int] = defaultdict(int)
    for journey in journeys:
        for (stage, entered), (_, left) in zip(journey.stays, journey.stays[1:], strict=False):
            durations[stage].append(max(0.0, (left - entered).total_seconds() / DAY))
        now_in[journey.stage] += 1
    figures: list[StageFigures] = []
    for i, stage in enumerate(funnel):
        last = i == len(funnel) - 1
        moved_on = None if last else reached[i + 1]
        figures.append(
            {
                "stage": stage,
                "label": pipeline.label(stage),
                "reached": reached[i],
                "moved_on": moved_on,
                "pass_through_pct": None if moved_on is None else _pct(moved_on, reached[i]),
                "in_stage_now": now_in[stage],
                "stays": 0 if last else len(durations[stage]),
                "median_days_in_stage": None if last else _median(durations[stage]),
            }
        )
    return figures


def _time_to_hire(journeys: Iterable[Journey]) -> TimeToHire:
    days = [d for d in (j.hired_after_days() for j in journeys) if d is not None]
    return {
        "hires": len(days),
        "median_days": _median(days),
        "mean_days": _days(statistics.fmean(days)) if days else None,
        "min_days": _days(min(days)) if days else None,
        "max_days": _days(max(days)) if days else None,
    }


def _offers(journeys: Iterable[Journey]) -> OfferFigures:
    counts: dict[str, int] = defaultdict(int)
    for journey in journeys:
        for outcome in journey.offer_outcomes():
            counts[outcome] += 1
    accepted, declined = counts["accepted"], counts["declined"]
    return {
        "extended": sum(counts.values()),
        "accepted": accepted,
        "declined": declined,
        "pending": counts["pending"],
        "other": counts["other"],
        "acceptance_pct": _pct(accepted, accepted + declined),
    }


def _sources(journeys: list[Journey], funnel: tuple[str, ...]) -> list[SourceFigures]:
    by_source: dict[str, list[Journey]] = defaultdict(list)
    for journey in journeys:
        by_source[journey.source].append(journey)
    figures: list[SourceFigures] = []
    for source, group in by_source.items():
        n = len(group)
        hires = sum(1 for j in group if j.stage == Stage.HIRED)
        at_interview = sum(1 for j in group if j.reached(Stage.INTERVIEW, funnel))
        figures.append(
            {
                "source": source,
                "applications": n,
                "reached_screening": sum(1 for j in group if j.reached(Stage.SCREENING, funnel)),
                "reached_interview": at_interview,
                "offers": sum(1 for j in group if j.reached(Stage.OFFER, funnel)),
                "hires": hires,
                "interview_pct": _pct(at_interview, n),
                "hire_pct": _pct(hires, n),
            }
        )
    figures.sort(key=lambda s: (-s["applications"], s["source"] == "", s["source"]))
    return figures


def _rejection_reasons(journeys: list[Journey]) -> list[ReasonFigures]:
    rejected = [j for j in journeys if j.stage == Stage.REJECTED]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for journey in rejected:
        counts[(journey.reason_code, journey.reason_label or "No standard reason")] += 1
    reasons: list[ReasonFigures] = [
        {"code": code, "label": label, "count": n, "share_pct": _pct(n, len(rejected)) or 0.0}
        for (code, label), n in counts.items()
    ]
    reasons.sort(key=lambda r: (-r["count"], r["code"] == "", r["label"]))
    return reasons


def _jobs(journeys: list[Journey]) -> list[JobFigures]:
    by_job: dict[int, list[Journey]] = defaultdict(list)
    for journey in journeys:
        by_job[journey.job_id].append(journey)
    figures: list[JobFigures] = []
    for job_id, group in by_job.items():
        hire = _time_to_hire(group)
        figures.append(
            {
                "job": job_id,
                "title": group[0].job_title,
                "status": group[0].job_status,
                "applications": len(group),
                "hires": hire["hires"],
                "hire_pct": _pct(hire["hires"], len(group)),
                "median_days_to_hire": hire["median_days"],
                "offer_acceptance_pct": _offers(group)["acceptance_pct"],
            }
        )
    figures.sort(key=lambda j: (-j["applications"], j["title"], j["job"]))
    return figures


def recruiting_analytics(*, user: "AnyUser", filters: AnalyticsFilters) -> RecruitingAnalytics:
    """Every figure for the applications the user may see within `filters` (docs/portal.md,
    "Recruiting analytics", defines each). Two queries, whatever the number of rows, and
    the job's stages when one job is chosen: its own stages are measured then; across jobs,
    the default ones."""
    journeys = _journeys(_scoped(user, filters))
    pipeline = job_pipeline(job=filters.job) if filters.job is not None else DEFAULT_PIPELINE
    funnel = (*pipeline.open, Stage.HIRED)
    for journey in journeys:
        journey.reach(funnel)
    return {
        "filters": {
            "job": filters.job.pk if filters.job else None,
            "since": filters.since.isoformat() if filters.since else None,
            "until": filters.until.isoformat() if filters.until else None,
            "source": filters.source or None,
        },
        "applications": len(journeys),
        "hires": sum(1 for j in journeys if j.stage == Stage.HIRED),
        "rejected": sum(1 for j in journeys if j.stage == Stage.REJECTED),
        "withdrawn": sum(1 for j in journeys if j.stage == Stage.WITHDRAWN),
        "stages": _stage_figures(journeys, pipeline),
        "time_to_hire": _time_to_hire(journeys),
        "offers": _offers(journeys),
        "sources": _sources(journeys, funnel),
        "rejection_reasons": _rejection_reasons(journeys),
        "jobs": _jobs(journeys),
    }
