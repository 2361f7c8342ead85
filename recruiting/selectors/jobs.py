"""Job reads: the jobs a user may see, listed, filtered and counted."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ..models import Application, Job, JobStage
from ..permissions import visible_jobs
from ..pipeline import Stage
from .search import MAX_TERMS

if TYPE_CHECKING:
    from core.roles import AnyUser


def job_list(*, user: AnyUser, status: str | None = None) -> QuerySet[Job]:
    """Jobs the user may see, each annotated with its count of applications per stage."""
    jobs = visible_jobs(user).select_related("department", "owner")
    if status:
        jobs = jobs.filter(status=status)
    counts = {
        f"n_{stage}": Count("applications", filter=Q(applications__stage=stage))
        for stage in Stage.values
    }
    return jobs.annotate(n_applications=Count("applications"), **counts)


def job_get(*, user: AnyUser, pk: int) -> Job:
    try:
        return visible_jobs(user).select_related("department", "owner").get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404("No such job, or it is not one of yours.") from exc


def job_list_api(*, user: AnyUser) -> QuerySet[Job]:
    return visible_jobs(user).select_related("department", "owner")


def jobs_filtered(
    *,
    user: AnyUser,
    status: str | None = None,
    department_id: int | None = None,
    owner_id: int | None = None,
    text: str = "",
) -> QuerySet[Job]:
    """Jobs the user may see, filtered, newest first. Count a page's applications per stage
    with `with_stage_counts` once it is paginated: annotating here would count every job's
    applications before the page is cut."""
    visible = visible_jobs(user)
    if visible.query.where or visible.query.distinct:
        # By id: the hiring-team join of visible_jobs would repeat rows.
        jobs = Job.objects.filter(pk__in=visible.values("pk"))
    else:
        jobs = visible  # every job: no `pk IN (every id)` to compute
    if status:
        jobs = jobs.filter(status=status)
    if department_id:
        jobs = jobs.filter(department_id=department_id)
    if owner_id:
        jobs = jobs.filter(owner_id=owner_id)
    for term in text.split()[:MAX_TERMS]:
        jobs = jobs.filter(
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(location__icontains=term)
            | Q(department__name__icontains=term)
        )
    return jobs.select_related("department", "owner").order_by("-created_at", "-id")


def with_stage_counts(jobs: Iterable[Job]) -> list[Job]:
    """`jobs`, each with `n_applications`, `n_<stage>` for every default stage and
    `own_stages`, its own stages in order as (name, count) pairs: two queries for all of
    them (a page of the list), the counts and the jobs' own stage rows."""
    jobs = list(jobs)
    counts: dict[int, dict[str, int]] = {job.pk: {} for job in jobs}
    own: dict[int, list[JobStage]] = {job.pk: [] for job in jobs}
    if jobs:
        rows = (
            Application.objects.filter(job_id__in=list(counts))
            .order_by()
            .values_list("job_id", "stage")
            .annotate(n=Count("id"))
        )
        for job_id, stage, n in rows:
            counts[job_id][stage] = n
        custom = JobStage.objects.filter(
            job_id__in=list(counts), custom=True, removed_at__isnull=True
        ).order_by("position", "id")
        for row in custom:
            own[row.job_id].append(row)
    for job in jobs:
        for stage in Stage.values:
            setattr(job, f"n_{stage}", counts[job.pk].get(stage, 0))
        job.own_stages = [  # type: ignore[attr-defined]
            (row.name, counts[job.pk].get(row.key, 0)) for row in own[job.pk]
        ]
        job.n_applications = sum(counts[job.pk].values())  # type: ignore[attr-defined]
    return jobs
