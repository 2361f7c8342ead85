"""Application reads: a job's applications (the pipeline board), one application, the API's
lists and an application's scorecards, in fixed queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from mlcore.matching.calibration import FitCalibration

from ..models import Application, FitScore, Job, Scorecard
from ..permissions import visible_applications

if TYPE_CHECKING:
    from core.roles import AnyUser


def job_applications(*, user: AnyUser, job: Job) -> QuerySet[Application]:
    return (
        visible_applications(user)
        .filter(job=job)
        .select_related("candidate")
        .order_by("stage_changed_at", "id")
    )


def application_get(*, user: AnyUser, pk: int) -> Application:
    try:
        return visible_applications(user).select_related("job", "candidate").get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application, or not one you can see.") from exc


def job_board_applications(
    *, user: AnyUser, job: Job, per_column: int | None = None, expanded: str | None = None
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
            column_total=Window(Count("id"), partition_by=[F("stage")]),
            column_rank=Window(
                RowNumber(),
                order_by=[F("stage_changed_at").asc(), F("id").asc()],
                partition_by=[F("stage")],
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


def application_list(*, user: AnyUser) -> QuerySet[Application]:
    """Applications the user may see, each with `active_scores` (the active model's score)."""
    scores = FitScore.objects.filter(model_version=FitCalibration.active().version)
    return (
        visible_applications(user)
        .select_related("candidate", "job")
        .prefetch_related(Prefetch("scores", queryset=scores, to_attr="active_scores"))
    )


def application_detail(*, user: AnyUser, pk: int) -> Application:
    """One application with `active_scores`, so it shows the same fit score as the list."""
    try:
        return application_list(user=user).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application, or not one you can see.") from exc


def application_list_rows(*, user: AnyUser) -> QuerySet[Application]:
    """Applications the user may see, each with `fit_score`: the active model's score, or a
    person's override of it (None until scored). For `values()` lists: no joins, one query."""
    active = FitScore.objects.filter(
        application=OuterRef("pk"), model_version=FitCalibration.active().version
    ).values(value=FitScore.effective_score_expression())[:1]
    return visible_applications(user).annotate(fit_score=Subquery(active))


def application_scorecards(*, application: Application) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(application=application).select_related("interviewer")
