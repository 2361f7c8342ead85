"""Recruiting reads for the REST API: lists an integration pages through, in fixed queries."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from mlcore.matching.calibration import FitCalibration

from .models import Application, Candidate, FitScore, Job, Resume, Scorecard
from .permissions import visible_applications, visible_candidates, visible_jobs


def job_list_api(*, user: Any) -> QuerySet[Job]:
    return visible_jobs(user).select_related("department", "owner")


def candidate_list(*, user: Any) -> QuerySet[Candidate]:
    return visible_candidates(user)


def candidate_resumes(*, candidate: Candidate) -> QuerySet[Resume]:
    return Resume.objects.filter(candidate=candidate)


def application_list(*, user: Any) -> QuerySet[Application]:
    """Applications the user may see, each with `active_scores` (the active model's score)."""
    scores = FitScore.objects.filter(model_version=FitCalibration.active().version)
    return (
        visible_applications(user)
        .select_related("candidate", "job")
        .prefetch_related(Prefetch("scores", queryset=scores, to_attr="active_scores"))
    )


def application_list_rows(*, user: Any) -> QuerySet[Application]:
    """Applications the user may see, each with `fit_score`: the active model's score, or a
    person's override of it (None until scored). For `values()` lists: no joins, one query."""
    active = FitScore.objects.filter(
        application=OuterRef("pk"), model_version=FitCalibration.active().version
    ).values(value=FitScore.effective_score_expression())[:1]
    return visible_applications(user).annotate(fit_score=Subquery(active))


def application_scorecards(*, application: Application) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(application=application).select_related("interviewer")


def application_fit_scores(*, application: Application) -> QuerySet[FitScore]:
    return FitScore.objects.filter(application=application).order_by("-computed_at", "-id")
