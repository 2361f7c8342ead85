"""Fit rankings and recommendations, read from stored embeddings and scores.

Web requests never load the model: they rank stored vectors with one matrix product and
the active model's calibration.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.fields.json import KeyTransform
from django.http import Http404

from core.roles import Role, has_role
from hr.models import Employee
from mlcore.matching.calibration import FitCalibration
from mlcore.parsing.skills import matched_and_missing, skill_key

from ..models import Application, Candidate, FitScore, Job, JobEmbedding, ResumeEmbedding
from ..permissions import visible_applications, visible_jobs
from ..services.scoring import to_vector

# The score bands every page colours a fit score by (docs/fit.md, "Score bands"). Scores are
# calibrated, so 70 means the same on every job and one rule holds on every page.
STRONG_FIT = 70
WEAK_FIT = 40


def score_band(score: float | None) -> str:
    """ "high" (70 and over), "mid" (40 to 69), "low" (under 40), or "none" (not scored yet)."""
    if score is None:
        return "none"
    return "high" if score >= STRONG_FIT else "mid" if score >= WEAK_FIT else "low"


class _ExplanationKeys(TypedDict):
    """What `_active_scores` reads from a score's explanation in the database."""

    has_skills: bool
    x_matched: Any
    x_missing: Any
    x_years: Any
    x_min_years: Any


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from core.roles import AnyUser

    ShownScore = WithAnnotations[FitScore, _ExplanationKeys]


@dataclass
class Ranked:
    obj: Any
    score: float | None
    fit: FitScore | None = None
    # The job's required skills the candidate has and lacks (from the score's explanation,
    # or from the parsed profile while the score is not computed yet).
    matched_skills: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)
    # From the score's explanation: the candidate's years of experience and the job's minimum.
    years_experience: Any = None
    min_years_experience: Any = None


def _calibration() -> FitCalibration:
    return FitCalibration.active()


def _skills_at_a_glance(
    job: Job, candidate: Candidate, fit: ShownScore | None
) -> tuple[list[str], list[str]]:
    if fit is not None and fit.has_skills:
        return fit.x_matched or [], fit.x_missing or []
    matched, missing = matched_and_missing(job.required_skills or [], candidate.skills or [])
    return matched, missing


def _active_scores(version: str) -> Any:
    """The active model's scores with the few explanation keys a ranking shows, read in the
    database: the explanation's word attributions (most of it) are never decoded here."""
    return (
        FitScore.objects.filter(model_version=version)
        .only("id", "application_id", "score", "override_score", "model_version")
        .annotate(
            has_skills=ExpressionWrapper(
                Q(explanation__has_any_keys=["matched_skills", "missing_skills"]),
                output_field=BooleanField(),
            ),
            x_matched=KeyTransform("matched_skills", "explanation"),
            x_missing=KeyTransform("missing_skills", "explanation"),
            x_years=KeyTransform("years_experience", "explanation"),
            x_min_years=KeyTransform("min_years_experience", "explanation"),
        )
    )


def ranked_applicants(
    *,
    user: AnyUser,
    job: Job,
    stage: str | None = None,
    min_score: float | None = None,
    skill: str | None = None,
    location: str | None = None,
) -> list[Ranked]:
    """The job's applications, best fit first (those not scored yet at the end), by the
    effective score (a person's override, else the model's).

    Filters: stage, minimum effective score (unscored applications are left out when it is set), a
    skill the candidate lists (whole name, case-insensitive) and a location (substring).
    Reads only the columns a ranking shows (two queries whatever the number).
    """
    version = _calibration().version
    applications = (
        visible_applications(user)
        .filter(job=job)
        .select_related("candidate")
        .only(
            "id",
            "job_id",
            "stage",
            "candidate_id",
            "candidate__id",
            "candidate__full_name",
            "candidate__email",
            "candidate__location",
            "candidate__skills",
        )
        .prefetch_related(
            Prefetch("scores", queryset=_active_scores(version), to_attr="active_scores")
        )
    )
    if stage:
        applications = applications.filter(stage=stage)
    if location:
        applications = applications.filter(candidate__location__icontains=location)
    if skill:
        # The database narrows by substring; the exact (whole name) check is below.
        applications = applications.filter(candidate__skills__icontains=skill.strip('"'))
    # Every application's stage by its name (a job's own stage too) from one read of the
    # job's stage rows, not one query per row.
    prefetch_related_objects([job], "stages")
    ranked = []
    for application in applications:
        application.job = job
        if skill and skill_key(skill) not in {
            skill_key(str(s)) for s in application.candidate.skills or []
        }:
            continue
        shown: list[ShownScore] = application.active_scores  # type: ignore[assignment]
        fit = shown[0] if shown else None
        # The score people work with: a person's override first, as on the board and the API.
        score = fit.effective_score if fit else None
        if min_score is not None and (score is None or score < min_score):
            continue
        matched, missing = _skills_at_a_glance(job, application.candidate, fit)
        ranked.append(
            Ranked(
                application,
                score,
                fit,
                matched,
                missing,
                fit.x_years if fit else None,
                fit.x_min_years if fit else None,
            )
        )
    ranked.sort(key=lambda r: (r.score is None, -(r.score or 0), r.obj.pk))
    return ranked


def _newest_vectors(
    rows: Sequence[tuple[int, Any, bytes | memoryview]],
) -> tuple[list[int], np.ndarray]:
    """One vector per owner: rows come as (owner id, parsed at, vector), newest kept.

    The vectors are decoded in one go (a single buffer) rather than row by row: at 10,000
    candidates that is most of the difference to the bare matrix product.
    """
    newest: dict[int, tuple[Any, bytes | memoryview]] = {}
    for owner, parsed_at, vector in rows:
        kept = newest.get(owner)
        if kept is None or (parsed_at and (kept[0] is None or parsed_at > kept[0])):
            newest[owner] = (parsed_at, vector)
    if not newest:
        return [], np.zeros((0, 0), dtype=np.float32)
    owners = list(newest)
    buffer = b"".join(bytes(newest[o][1]) for o in owners)
    return owners, np.frombuffer(buffer, dtype=np.float32).reshape(len(owners), -1)


_POOL_LOCK = threading.Lock()


_POOL_CACHE: dict[str, tuple[tuple[int, int], list[int], np.ndarray]] = {}


def _pool_matrix(version: str) -> tuple[list[int], np.ndarray]:
    """Every candidate's newest resume vector for `version`, kept in process memory.

    Fetching 10,000 vectors from the database costs ~200 ms, mostly the transfer; the pool
    changes far less often than it is ranked. A cheap stamp (count and newest id of the
    stored embeddings) tells when to fetch again: a new or re-parsed resume adds a row, an
    erasure removes one.
    """
    stamp_row = ResumeEmbedding.objects.filter(model_version=version).aggregate(
        n=Count("id"), last=Max("id")
    )
    stamp = (stamp_row["n"] or 0, stamp_row["last"] or 0)
    with _POOL_LOCK:
        cached = _POOL_CACHE.get(version)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
    rows = list(
        ResumeEmbedding.objects.filter(
            model_version=version, resume__candidate__isnull=False
        ).values_list("resume__candidate_id", "resume__parsed_at", "vector")
    )
    owners, matrix = _newest_vectors(rows)
    with _POOL_LOCK:
        _POOL_CACHE.clear()  # one model version at a time is enough
        _POOL_CACHE[version] = (stamp, owners, matrix)
    return owners, matrix


def _job_vector(job: Job, version: str) -> np.ndarray | None:
    row = JobEmbedding.objects.filter(job=job, model_version=version).first()
    return to_vector(row.vector) if row else None


def talent_pool_matches(*, user: AnyUser, job: Job, limit: int = 20) -> list[Ranked]:
    """Best candidates in the whole talent pool for a job, applicants excluded."""
    if not has_role(user, Role.RECRUITER):
        return []
    calibration = _calibration()
    job_vec = _job_vector(job, calibration.version)
    if job_vec is None:
        return []
    owners, matrix = _pool_matrix(calibration.version)
    if not owners:
        return []
    applied = set(Application.objects.filter(job=job).values_list("candidate_id", flat=True))
    scores = calibration.scores(job_vec, matrix)
    if applied:
        scores = np.where(np.isin(np.array(owners), list(applied)), -1.0, scores)
    # The top `limit` by a partial sort, then only those rows, and only what is shown.
    if len(scores) > limit:
        best = np.argpartition(-scores, limit)[:limit]
        best = best[np.argsort(-scores[best], kind="stable")]
    else:
        best = np.argsort(-scores, kind="stable")
    top = [int(i) for i in best if scores[i] >= 0]
    candidates = Candidate.objects.only("id", "full_name", "email").in_bulk(
        [owners[i] for i in top]
    )
    # A candidate erased since the matrix was read is simply left out.
    return [
        Ranked(candidates[owners[i]], round(float(scores[i]), 2))
        for i in top
        if owners[i] in candidates
    ]


def jobs_for_candidate(*, user: AnyUser, candidate: Candidate, limit: int = 5) -> list[Ranked]:
    """The open jobs a candidate fits best (whether or not they applied)."""
    calibration = _calibration()
    rows = list(
        ResumeEmbedding.objects.filter(
            model_version=calibration.version, resume__candidate=candidate
        ).values_list("resume__candidate_id", "resume__parsed_at", "vector")
    )
    _, matrix = _newest_vectors(rows)
    if not len(matrix):
        return []
    # Ids and vectors only (one buffer), then the `limit` best jobs' rows.
    job_rows = list(
        JobEmbedding.objects.filter(
            model_version=calibration.version,
            job__in=visible_jobs(user).filter(status=Job.Status.OPEN),
        ).values_list("job_id", "vector")
    )
    if not job_rows:
        return []
    job_ids = [job_id for job_id, _ in job_rows]
    buffer = b"".join(bytes(vector) for _, vector in job_rows)
    job_matrix = np.frombuffer(buffer, dtype=np.float32).reshape(len(job_rows), -1)
    scores = calibration.scores(matrix[0], job_matrix)
    order = np.argsort(-scores, kind="stable")[:limit]
    jobs = Job.objects.in_bulk([job_ids[i] for i in order])
    return [
        Ranked(jobs[job_ids[i]], round(float(scores[i]), 2)) for i in order if job_ids[i] in jobs
    ]


def internal_candidates(*, user: AnyUser, job: Job, limit: int = 10) -> list[Ranked]:
    """Active employees whose profile (the resume they were hired with) fits the job."""
    if not has_role(user, Role.RECRUITER, Role.HR_ADMIN):
        return []
    calibration = _calibration()
    job_vec = _job_vector(job, calibration.version)
    if job_vec is None:
        return []
    employees = {
        e.hired_from_id: e
        for e in Employee.objects.filter(
            status=Employee.Status.ACTIVE, hired_from__isnull=False
        ).select_related("department")
    }
    rows = list(
        ResumeEmbedding.objects.filter(
            model_version=calibration.version, resume__candidate_id__in=list(employees)
        ).values_list("resume__candidate_id", "resume__parsed_at", "vector")
    )
    owners, matrix = _newest_vectors(rows)
    if not owners:
        return []
    scores = calibration.scores(job_vec, matrix)
    order = np.argsort(-scores)[:limit]
    return [Ranked(employees[owners[i]], round(float(scores[i]), 2)) for i in order]


def fit_score_get(*, user: AnyUser, pk: int) -> FitScore:
    try:
        return FitScore.objects.select_related("application").get(
            pk=pk, application__in=visible_applications(user)
        )
    except FitScore.DoesNotExist as exc:
        raise Http404("No such score, or not one you can see.") from exc


def application_fit_scores(*, application: Application) -> QuerySet[FitScore]:
    return FitScore.objects.filter(application=application).order_by("-computed_at", "-id")
