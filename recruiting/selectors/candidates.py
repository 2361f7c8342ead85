"""Candidate reads: the candidate page (profile, applications, notes, scorecards and scores
a user may see) and the API's lists, in fixed queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from mlcore.matching.calibration import FitCalibration

from ..models import Candidate, FitScore, Note, Resume, Scorecard, StageEvent
from ..permissions import visible_applications, visible_candidates

if TYPE_CHECKING:
    from core.roles import AnyUser


def candidate_get(*, user: AnyUser, pk: int) -> Candidate:
    applications = (
        visible_applications(user)
        .select_related("job")
        .prefetch_related(
            # A job's own stage by its name, in the heading and the history: no query per row.
            "job__stages",
            Prefetch("stage_events", queryset=StageEvent.objects.select_related("by")),
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


def resume_get(*, user: AnyUser, pk: int) -> Resume:
    """A resume of a candidate the user may see (files are never public media)."""
    try:
        return Resume.objects.get(pk=pk, candidate__in=visible_candidates(user))
    except Resume.DoesNotExist as exc:
        raise Http404("No such resume, or not one you can see.") from exc


def candidate_list(*, user: AnyUser) -> QuerySet[Candidate]:
    return visible_candidates(user)


def candidate_resumes(*, candidate: Candidate) -> QuerySet[Resume]:
    return Resume.objects.filter(candidate=candidate)


def _visible_ids(user: AnyUser, candidate: Candidate) -> QuerySet:
    """The candidate's applications the user can see, as a small subquery (the candidate's
    own rows by index, not every application a recruiter may see)."""
    return visible_applications(user).filter(candidate=candidate).values("pk")


def candidate_notes(*, user: AnyUser, candidate: Candidate) -> QuerySet[Note]:
    """Notes on the candidate, and on the applications of theirs the user can see."""
    return (
        Note.objects.filter(candidate=candidate)
        .filter(Q(application__isnull=True) | Q(application__in=_visible_ids(user, candidate)))
        .select_related("author", "application__job")
    )


def candidate_scorecards(*, user: AnyUser, candidate: Candidate) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(application__in=_visible_ids(user, candidate)).select_related(
        "interviewer", "application__job"
    )


def candidate_fit_scores(*, user: AnyUser, candidate: Candidate) -> list[FitScore]:
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
