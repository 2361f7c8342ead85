"""Fit scoring: embeddings stored once per text and model version, scores per application.

Every model call goes through `mlcore.matching`; this module decides what to embed, when,
and what to store.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from core.errors import DomainError
from core.events import emit
from core.roles import signed_in
from core.tasks import enqueue_on_commit
from mlcore.parsing.skills import find_skills, matched_and_missing

from ..models import Application, FitScore, Job, JobEmbedding, Resume, ResumeEmbedding
from ..permissions import ensure_can_act_on_application
from ..pipeline import CLOSED_STAGES
from ..tasks import explain_fit_score, score_applications

if TYPE_CHECKING:
    from core.roles import AnyUser


def get_fit_model():
    from mlcore.matching import get_fit_model as load

    return load()


def job_fit_text(job: Job) -> str:
    """Everything a job says about the work, as one text for the model."""
    parts = [job.title, job.description, job.requirements]
    if job.required_skills:
        parts.append("Required skills: " + ", ".join(job.required_skills))
    if job.preferred_skills:
        parts.append("Preferred skills: " + ", ".join(job.preferred_skills))
    return "\n\n".join(p for p in parts if p and p.strip())


def _to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def to_vector(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=np.float32)


def current_resume(candidate_id: int) -> Resume | None:
    """The candidate's newest parsed resume: the one that stands for them."""
    return (
        Resume.objects.filter(candidate_id=candidate_id, parse_status=Resume.ParseStatus.PARSED)
        .exclude(text="")
        .order_by("-parsed_at", "-id")
        .first()
    )


def resume_model_text(resume: Resume) -> str:
    """The blinded, tidied text the active fit model reads: prepared once per resume
    (blinding runs a NER pass that costs as much as the model itself) and stored. Its version
    names the blinding and how much is read, so a model that reads more (a blend reads two
    windows) prepares it again."""
    model = get_fit_model()
    version = model.text_version
    if resume.model_text_version != version:
        resume.model_text, resume.model_text_version = model.prepare_resume(resume.text), version
        # Only onto the parse it was made from: a re-parse meanwhile keeps its own text.
        Resume.objects.filter(pk=resume.pk, parsed_at=resume.parsed_at).update(
            model_text=resume.model_text, model_text_version=version
        )
    return resume.model_text


def resume_embed(*, resume: Resume) -> ResumeEmbedding | None:
    if resume.parse_status != Resume.ParseStatus.PARSED or not resume.text.strip():
        return None
    model = get_fit_model()
    existing = ResumeEmbedding.objects.filter(resume=resume, model_version=model.version).first()
    if existing is not None:
        return existing
    vector = model.embed_resumes([resume_model_text(resume)], prepared=True)[0]
    embedding, _ = ResumeEmbedding.objects.get_or_create(
        resume=resume, model_version=model.version, defaults={"vector": _to_bytes(vector)}
    )
    return embedding


def job_embed(*, job: Job) -> JobEmbedding:
    """The job's embedding for the active model, recomputed when its text changed."""
    model = get_fit_model()
    text = job_fit_text(job)
    digest = hashlib.sha256(text.encode()).hexdigest()
    existing = JobEmbedding.objects.filter(job=job, model_version=model.version).first()
    if existing is not None and existing.text_sha256 == digest:
        return existing
    vector = _to_bytes(model.embed_jobs([text])[0])
    embedding, _ = JobEmbedding.objects.update_or_create(
        job=job,
        model_version=model.version,
        defaults={"vector": vector, "text_sha256": digest},
    )
    return embedding


def _years(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def fit_explanation(*, job: Job, resume: Resume, candidate: Any) -> dict[str, Any]:
    """The reasons shown next to a score: skills matched and missing, years against the
    minimum. Token attributions are added by `fit_attributions_many`."""
    # Compared through the taxonomy's aliases: "Apache Spark" is "Spark", "MS Excel" is "Excel".
    have = [*(candidate.skills or []), *find_skills(resume.text)]
    required = job.required_skills or find_skills(job_fit_text(job))
    preferred = job.preferred_skills or []
    matched, missing = matched_and_missing(required, have)
    years = _years(candidate.years_experience)
    minimum = _years(job.min_years_experience)
    return {
        "matched_skills": matched,
        "missing_skills": missing,
        "matched_preferred": matched_and_missing(preferred, have)[0],
        "years_experience": years,
        "min_years_experience": minimum,
        "meets_min_years": None if years is None or minimum is None else years >= minimum,
        "resume_id": resume.pk,
    }


def _attribution_dict(sides: dict[str, Any], method: str) -> dict:
    """Signed word weights on both texts, as stored with a score and drawn as highlights."""
    return {"method": method, **{side: a.pairs() for side, a in sides.items()}}


def fit_attributions_many(*, job: Job, resumes: list[Resume]) -> list[dict]:
    """Instant (contribution) attributions for many resumes against one job: the job is
    read once, the resumes in batches, from their stored prepared texts."""
    from mlcore.matching.explain import contributions_many

    model = get_fit_model()
    many = contributions_many(
        model,
        model.prepare_job(job_fit_text(job)),
        [resume_model_text(r) for r in resumes],
        prepared=True,
    )
    return [_attribution_dict(sides, "contribution") for sides in many]


def fit_score_deep_explain(*, fit_score_id: int) -> FitScore:
    """Integrated gradients for one score, on request; cached on the score."""
    fit = FitScore.objects.select_related("application__job").get(pk=fit_score_id)
    if "integrated_gradients" in fit.explanation:
        return fit
    from mlcore.matching.explain import integrated_gradients

    resume = Resume.objects.get(pk=fit.explanation["resume_id"])
    model = get_fit_model()
    sides = integrated_gradients(
        model,
        model.prepare_job(job_fit_text(fit.application.job)),
        resume_model_text(resume),
        prepared=True,
    )
    deep = _attribution_dict(sides, "integrated_gradients")
    with transaction.atomic():
        fit = FitScore.objects.select_for_update().get(pk=fit_score_id)
        fit.explanation = {**fit.explanation, "integrated_gradients": deep}
        fit.save(update_fields=["explanation"])
    return fit


def applications_score(*, applications: list[Application]) -> list[FitScore]:
    """Score applications with the active model: one matrix product per job."""
    model = get_fit_model()
    scores: list[FitScore] = []
    by_job: dict[int, list[Application]] = {}
    for application in applications:
        by_job.setdefault(application.job_id, []).append(application)
    for job_applications in by_job.values():
        job = job_applications[0].job
        rows: list[tuple[Application, Resume, np.ndarray]] = []
        for application in job_applications:
            resume = current_resume(application.candidate_id)
            embedding = resume_embed(resume=resume) if resume else None
            if resume is not None and embedding is not None:
                rows.append((application, resume, to_vector(embedding.vector)))
        if not rows:  # nobody with a parsed resume yet: nothing to score
            continue
        job_vec = to_vector(job_embed(job=job).vector)
        values = model.scores_from_embeddings(job_vec, np.stack([r[2] for r in rows]))
        attributions = fit_attributions_many(job=job, resumes=[r[1] for r in rows])
        # Which O*NET occupations each side reads as (a version with occupation profiles):
        # the part of the score that word highlights do not explain.
        job_reads, *resume_reads = model.occupations_of(np.stack([job_vec, *[r[2] for r in rows]]))
        with transaction.atomic():
            for (application, resume, _), value, words, reads in zip(
                rows, values, attributions, resume_reads, strict=True
            ):
                explanation = fit_explanation(
                    job=job, resume=resume, candidate=application.candidate
                )
                explanation["attributions"] = words
                if reads:
                    explanation["occupations"] = {"job": job_reads, "resume": reads}
                score, _ = FitScore.objects.update_or_create(
                    application=application,
                    model_version=model.version,
                    defaults={"score": round(float(value), 2), "explanation": explanation},
                )
                scores.append(score)
                emit(
                    "score.computed",
                    {
                        "fit_score_id": score.pk,
                        "application_id": application.pk,
                        "job_id": job.pk,
                        "candidate_id": application.candidate_id,
                        "score": score.score,
                        "model_version": score.model_version,
                    },
                )
    return scores


def application_score(*, application_id: int) -> FitScore | None:
    application = Application.objects.select_related("job", "candidate").get(pk=application_id)
    scores = applications_score(applications=[application])
    return scores[0] if scores else None


RESCORE_CHUNK = 50


def job_rescore(*, job_id: int) -> int:
    """Re-score every open application of a job (its text or the active model changed).

    The job is embedded once here; the applications go out in chunks so that several
    workers share the work. Returns the number of applications queued.
    """
    job = Job.objects.get(pk=job_id)
    job_embed(job=job)
    ids = list(
        Application.objects.filter(job_id=job_id)
        .exclude(stage__in=CLOSED_STAGES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), RESCORE_CHUNK):
        score_applications.delay(ids[start : start + RESCORE_CHUNK])
    return len(ids)


def applications_score_by_id(*, application_ids: list[int]) -> int:
    applications = list(
        Application.objects.filter(pk__in=application_ids).select_related("job", "candidate")
    )
    return len(applications_score(applications=applications))


def candidate_rescore(*, candidate_id: int) -> int:
    """A new resume was parsed: re-embed it and re-score the candidate's open applications."""
    resume = current_resume(candidate_id)
    if resume is not None:
        resume_embed(resume=resume)
    applications = list(
        Application.objects.filter(candidate_id=candidate_id)
        .exclude(stage__in=CLOSED_STAGES)
        .select_related("job", "candidate")
    )
    return len(applications_score(applications=applications))


@transaction.atomic
def fit_score_override(*, fit_score: FitScore, by: AnyUser, score: float, reason: str) -> FitScore:
    """A person's score in place of the model's, with a reason; the model's score stays."""
    ensure_can_act_on_application(by, fit_score.application)
    try:
        value = float(score)
    except (TypeError, ValueError):
        raise DomainError("The score must be a number from 0 to 100.", field="score") from None
    if not 0 <= value <= 100 or value != value:  # NaN compares unequal to itself
        raise DomainError("The score must be a number from 0 to 100.", field="score")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why you override the model's score.", field="reason")
    fit_score = FitScore.objects.select_for_update().get(pk=fit_score.pk)
    previous = fit_score.override_score
    fit_score.override_score = round(value, 2)
    fit_score.override_reason = reason
    fit_score.overridden_by = signed_in(by)
    fit_score.overridden_at = timezone.now()
    fit_score.save(
        update_fields=["override_score", "override_reason", "overridden_by", "overridden_at"]
    )
    audit_record(
        action="score.overridden",
        actor=by,
        target=fit_score,
        details={
            "application_id": fit_score.application_id,
            "model_score": fit_score.score,
            "model_version": fit_score.model_version,
            "previous_override": previous,
            "override_score": fit_score.override_score,
        },
    )
    return fit_score


def fit_score_request_explanation(*, fit_score: FitScore) -> None:
    """Queue the integrated-gradients explanation unless it is stored already."""
    if "integrated_gradients" not in fit_score.explanation:
        enqueue_on_commit(explain_fit_score, fit_score.pk)


def outcome_pairs() -> list[tuple[str, str, bool]]:
    """(job text, resume text, fit) from this organisation's own decisions.

    Advanced past screening or hired = fit; rejected while applied or in screening = not.
    Withdrawn and still-open early applications say nothing and are left out.
    """
    from ..models import StageEvent
    from ..pipeline import Stage

    advanced = {Stage.INTERVIEW, Stage.OFFER, Stage.HIRED}
    early_reject = StageEvent.objects.filter(
        to_stage=Stage.REJECTED, from_stage__in=[Stage.APPLIED, Stage.SCREENING]
    ).values("application_id")
    pairs = []
    applications = (
        Application.objects.select_related("job")
        .filter(
            Q(stage__in=advanced) | Q(stage_events__to_stage__in=advanced) | Q(pk__in=early_reject)
        )
        .distinct()
    )
    for application in applications:
        resume = current_resume(application.candidate_id)
        if resume is None:
            continue
        fit = (
            application.stage in advanced
            or application.stage_events.filter(to_stage__in=advanced).exists()
        )
        pairs.append((job_fit_text(application.job), resume.text, fit))
    return pairs


def rescore_stale() -> int:
    """Open jobs with no embedding for the active model (it was just activated, or the
    job is new): re-score them. Run by Celery beat, and safe to run any time."""
    from mlcore.matching.calibration import FitCalibration

    version = FitCalibration.active().version
    stale = (
        Job.objects.filter(status=Job.Status.OPEN)
        .exclude(embeddings__model_version=version)
        .values_list("pk", flat=True)
    )
    count = 0
    for job_id in stale:
        count += job_rescore(job_id=job_id)
    return count
