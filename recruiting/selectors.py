"""Recruiting reads: what a user may see, fetched without N+1 queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from .models import Application, Candidate, FitScore, Job, Resume, StageEvent
from .permissions import visible_applications, visible_candidates, visible_jobs
from .pipeline import Stage


def job_list(*, user: Any, status: str | None = None) -> QuerySet[Job]:
    """Jobs the user may see, each annotated with its count of applications per stage."""
    jobs = visible_jobs(user).select_related("department", "owner")
    if status:
        jobs = jobs.filter(status=status)
    counts = {
        f"n_{stage}": Count("applications", filter=Q(applications__stage=stage))
        for stage in Stage.values
    }
    return jobs.annotate(n_applications=Count("applications"), **counts)


def job_get(*, user: Any, pk: int) -> Job:
    try:
        return visible_jobs(user).select_related("department", "owner").get(pk=pk)
    except Job.DoesNotExist as exc:
        raise Http404("No such job, or it is not one of yours.") from exc


def job_applications(*, user: Any, job: Job) -> QuerySet[Application]:
    return (
        visible_applications(user)
        .filter(job=job)
        .select_related("candidate")
        .order_by("stage_changed_at", "id")
    )


def candidate_get(*, user: Any, pk: int) -> Candidate:
    applications = (
        visible_applications(user)
        .select_related("job")
        .prefetch_related(
            Prefetch("stage_events", queryset=StageEvent.objects.select_related("by"))
        )
    )
    try:
        return (
            visible_candidates(user)
            .prefetch_related(Prefetch("applications", queryset=applications), "resumes")
            .get(pk=pk)
        )
    except Candidate.DoesNotExist as exc:
        raise Http404("No such candidate, or not one you can see.") from exc


def application_get(*, user: Any, pk: int) -> Application:
    try:
        return visible_applications(user).select_related("job", "candidate").get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application, or not one you can see.") from exc


def resume_get(*, user: Any, pk: int) -> Resume:
    """A resume of a candidate the user may see (files are never public media)."""
    try:
        return Resume.objects.get(pk=pk, candidate__in=visible_candidates(user))
    except Resume.DoesNotExist as exc:
        raise Http404("No such resume, or not one you can see.") from exc


def candidate_fit_scores(*, user: Any, candidate: Candidate) -> list[FitScore]:
    """The active model's score for each of the candidate's applications the user can see."""
    from mlcore.matching.calibration import FitCalibration

    version = FitCalibration.active().version
    return list(
        FitScore.objects.filter(
            model_version=version,
            application__candidate=candidate,
            application__in=visible_applications(user),
        )
        .select_related("application__job")
        .order_by("-score")
    )


def fit_score_get(*, user: Any, pk: int) -> FitScore:
    try:
        return FitScore.objects.select_related("application").get(
            pk=pk, application__in=visible_applications(user)
        )
    except FitScore.DoesNotExist as exc:
        raise Http404("No such score, or not one you can see.") from exc


def job_board_applications(
    *, user: Any, job: Job, per_column: int | None = None, expanded: str | None = None
) -> list[Application]:
    """The job's applications for the pipeline board, oldest in their stage first, each with
    `active_scores` (the active fit model's score, at most one) and `column_total` (how many
    applications its stage holds), in two queries whatever their number.

    With `per_column`, only the first `per_column` cards of each column are loaded, except
    for the `expanded` column, which comes whole. Only what a card shows is read: the
    candidate's id and name, the score without its explanation.
    """
    from mlcore.matching.calibration import FitCalibration

    scores = FitScore.objects.filter(model_version=FitCalibration.active().version).only(
        "id", "application_id", "score", "override_score"
    )
    in_stage = {"partition_by": [F("stage")]}
    applications = (
        job_applications(user=user, job=job)
        .only(
            "id",
            "job_id",
            "stage",
            "stage_changed_at",
            "candidate_id",
            "candidate__id",
            "candidate__full_name",
            "candidate__email",
        )
        .annotate(
            column_total=Window(Count("id"), **in_stage),
            column_rank=Window(
                RowNumber(), order_by=[F("stage_changed_at").asc(), F("id").asc()], **in_stage
            ),
        )
        .prefetch_related(Prefetch("scores", queryset=scores, to_attr="active_scores"))
    )
    if per_column is not None:
        shown = Q(column_rank__lte=per_column)
        if expanded:
            shown |= Q(stage=expanded)
        applications = applications.filter(shown)
    return list(applications)
