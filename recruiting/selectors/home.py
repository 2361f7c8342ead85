"""Reads for the recruiter and hiring-manager home page, in a fixed number of queries."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.roles import Role, has_role

from ..models import Application, Job, JobStage, Resume
from ..permissions import visible_applications, visible_candidates, visible_jobs
from ..pipeline import CLOSED_STAGES, OPEN_STAGES, Stage
from .stages import pipeline_from_rows

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
    """One open job and its open stages in order, its own stages (`custom`) included."""

    job: Job
    stages: list[StageWait] = field(default_factory=list)

    @property
    def in_pipeline(self) -> int:
        return sum(s.count for s in self.stages)

    @property
    def default_stages(self) -> list[StageWait]:
        """The default template's stages (the home table's columns), in template order."""
        by_key = {s.stage: s for s in self.stages}
        return [
            by_key.get(key) or StageWait(key, Stage(key).label, 0, None, None)
            for key in OPEN_STAGES
        ]

    @property
    def own_stages(self) -> list[StageWait]:
        """The job's own stages (e.g. "Technical test"), in pipeline order."""
        return [s for s in self.stages if s.stage not in OPEN_STAGES]


def my_jobs(*, user: AnyUser) -> QuerySet[Job]:
    """Jobs the user owns or hires for, among those they may see.

    Filtered by id, not by the join itself: joining the hiring team and then counting
    applications would count each application once per team member.
    """
    mine = visible_jobs(user).filter(Q(owner=user) | Q(hiring_team=user)).values("pk")
    return Job.objects.filter(pk__in=mine)


def my_open_jobs(*, user: AnyUser, now: datetime | None = None) -> list[JobSummary]:
    """My open jobs with, per open stage of each job's pipeline (its own stages included),
    the count and the median and oldest wait in days.

    Three queries whatever the number of jobs, stages or applications: the jobs, their stage
    rows (prefetched), and one list of (job, stage, since) rows of applications still in the
    pipeline, counted here (SQLite has no median aggregate).
    """
    now = now or timezone.now()
    jobs = list(
        my_jobs(user=user)
        .filter(status=Job.Status.OPEN)
        .select_related("department")
        .prefetch_related(Prefetch("stages", queryset=JobStage.objects.order_by("position", "id")))
        .order_by("title", "pk")
    )
    waits: dict[tuple[int, str], list[float]] = defaultdict(list)
    if jobs:
        rows = (
            Application.objects.filter(job__in=[job.pk for job in jobs])
            .exclude(stage__in=CLOSED_STAGES)
            .values_list("job_id", "stage", "stage_changed_at")
        )
        for job_id, stage, since in rows:
            waits[(job_id, stage)].append(max(0.0, (now - since).total_seconds() / DAY))
    summaries = []
    for job in jobs:
        pipeline = pipeline_from_rows(list(job.stages.all()))
        stages = []
        for stage in pipeline.open:
            days = waits.get((job.pk, stage), [])
            stages.append(
                StageWait(
                    stage=stage,
                    label=pipeline.label(stage),
                    count=len(days),
                    median_days=statistics.median(days) if days else None,
                    oldest_days=max(days) if days else None,
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
    newest = list(
        recent.select_related("candidate", "job")
        .prefetch_related("job__stages")  # a job's own stage by its name, no query per row
        .order_by("-applied_at", "-id")[:limit]
    )
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
