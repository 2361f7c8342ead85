"""Reads for the candidate page: notes, scorecards and scores a user may see, in fixed queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from mlcore.matching.calibration import FitCalibration

from .models import Candidate, FitScore, Note, Resume, Scorecard
from .permissions import visible_applications


def _visible_ids(user: Any, candidate: Candidate) -> QuerySet:
    """The candidate's applications the user can see, as a small subquery (the candidate's
    own rows by index, not every application a recruiter may see)."""
    return visible_applications(user).filter(candidate=candidate).values("pk")


def candidate_notes(*, user: Any, candidate: Candidate) -> QuerySet[Note]:
    """Notes on the candidate, and on the applications of theirs the user can see."""
    return (
        Note.objects.filter(candidate=candidate)
        .filter(Q(application__isnull=True) | Q(application__in=_visible_ids(user, candidate)))
        .select_related("author", "application__job")
    )


def candidate_scorecards(*, user: Any, candidate: Candidate) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(application__in=_visible_ids(user, candidate)).select_related(
        "interviewer", "application__job"
    )


def candidate_fit_scores(*, user: Any, candidate: Candidate) -> list[FitScore]:
    """The active model's score per application the user can see, with who overrode it."""
    return list(
        FitScore.objects.filter(
            model_version=FitCalibration.active().version,
            application__in=_visible_ids(user, candidate),
        )
        .select_related("application__job", "overridden_by")
        .order_by("-score")
    )


def current_resume(resumes: list[Resume]) -> Resume | None:
    """The resume that stands for the candidate: the newest parsed one, else the newest."""
    parsed = [r for r in resumes if r.parse_status == Resume.ParseStatus.PARSED]
    pool = parsed or resumes
    if not pool:
        return None
    return max(pool, key=lambda r: (r.parsed_at or r.created_at, r.pk))
