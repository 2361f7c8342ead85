"""Reads for the recruiter and hiring-manager home page, in a fixed number of queries."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from core.roles import Role, has_role

from ..models import Application, Job, Resume
from ..permissions import visible_applications, visible_candidates, visible_jobs
from ..pipeline import OPEN_STAGES, Stage

if TYPE_CHECKING:
    from core.roles import AnyUser

DAY = 86400.0


@dataclass
class StageWait:
    """How many applications wait in one stage of a job, and for how long."""

    stage: str
    label: str
    count: int
    median_days: float | None
    oldest_days: float | None


@dataclass
class JobSummary:
    job: Job
    stages: list[StageWait] = field(default_factory=list)

    @property
    def in_pipeline(self) -> int:
        return sum(s.count for s in self.stages)


def my_jobs(*, user: AnyUser) -> QuerySet[Job]:
    """Jobs the user owns or hires for, among those they may see.

    Filtered by id, not by the join itself: joining the hiring team and then counting
    applications would count each application once per team member.
    """
    mine = visible_jobs(user).filter(Q(owner=user) | Q(hiring_team=user)).values("pk")
    return Job.objects.filter(pk__in=mine)


def my_open_jobs(*, user: AnyUser, now: datetime | None = None) -> list[JobSummary]:
    """My open jobs with, per open stage, the count and the median and oldest wait in days.

    Two queries whatever the number of jobs or applications: counts and oldest by
    annotation; the medians from one list of (job, stage, since) rows, as SQLite has no
    median aggregate.
    """
    now = now or timezone.now()
    annotations: dict[str, Any] = {}
    for stage in OPEN_STAGES:
        in_stage = Q(applications__stage=stage)
        annotations[f"n_{stage}"] = Count("applications", filter=in_stage)
        annotations[f"since_{stage}"] = Min("applications__stage_changed_at", filter=in_stage)
    jobs = list(
        my_jobs(user=user)
        .filter(status=Job.Status.OPEN)
        .select_related("department")
        .annotate(**annotations)
        .order_by("title", "pk")
    )
    waits: dict[tuple[int, str], list[float]] = defaultdict(list)
    if jobs:
        rows = Application.objects.filter(
            job__in=[job.pk for job in jobs], stage__in=OPEN_STAGES
        ).values_list("job_id", "stage", "stage_changed_at")
        for job_id, stage, since in rows:
            waits[(job_id, stage)].append(max(0.0, (now - since).total_seconds() / DAY))
    summaries = []
    for job in jobs:
        stages = []
        for stage in OPEN_STAGES:
            oldest = getattr(job, f"since_{stage}")
            days = waits.get((job.pk, stage))
            stages.append(
                StageWait(
                    stage=stage,
                    label=Stage(stage).label,
                    count=getattr(job, f"n_{stage}"),
                    median_days=statistics.median(days) if days else None,
                    oldest_days=max(0.0, (now - oldest).total_seconds() / DAY) if oldest else None,
                )
            )
        summaries.append(JobSummary(job=job, stages=stages))
    return summaries


def new_applicants(
    *, user: AnyUser, days: int = 7, limit: int = 10, now: datetime | None = None
) -> tuple[int, list[Application]]:
    """Applications to my jobs in the last `days` days: how many, and the newest `limit`."""
    since = (now or timezone.now()) - timedelta(days=days)
    recent = visible_applications(user).filter(job__in=my_jobs(user=user), applied_at__gte=since)
    newest = list(recent.select_related("candidate", "job").order_by("-applied_at", "-id")[:limit])
    return recent.count(), newest


def resumes_needing_attention(*, user: AnyUser, limit: int = 10) -> tuple[int, list[Resume]]:
    """Resumes still queued or parsing, or that failed: how many, and the newest `limit`.

    Recruiters look after the whole talent pool; a hiring manager sees only the resumes of
    candidates who applied to their jobs.
    """
    waiting = Resume.objects.filter(
        parse_status__in=[
            Resume.ParseStatus.QUEUED,
            Resume.ParseStatus.PARSING,
            Resume.ParseStatus.FAILED,
        ]
    )
    if not has_role(user, Role.RECRUITER):
        waiting = waiting.filter(candidate__in=visible_candidates(user))
    newest = list(waiting.select_related("candidate").order_by("-created_at", "-id")[:limit])
    return waiting.count(), newest
