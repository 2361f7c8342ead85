"""Celery tasks of recruiting: thin wrappers that call services."""

from __future__ import annotations

import smtplib

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

# Transient: the mail server or the network hiccuped. Retried with backoff; anything else
# is a bug and should fail loudly.
TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def notify_stage_change(stage_event_id: int) -> bool:
    from .services.notifications import stage_event_notify

    return stage_event_notify(stage_event_id=stage_event_id)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, ConnectionError),  # storage or database hiccups, not bad files
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=180,
    time_limit=240,
)
def parse_resume(resume_id: int, force: bool = False) -> str:
    from .services.parsing import resume_mark_failed, resume_parse

    try:
        return resume_parse(resume_id=resume_id, force=force).parse_status
    except SoftTimeLimitExceeded:
        reason = "Parsing took longer than 3 minutes and was stopped; the file is kept."
        return resume_mark_failed(resume_id=resume_id, reason=reason).parse_status


# Scoring loads the fit model once per worker process (mlcore caches it).
SCORING_RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**SCORING_RETRY)
def score_application(application_id: int) -> float | None:
    from .services.scoring import application_score

    score = application_score(application_id=application_id)
    return score.score if score else None


@shared_task(**SCORING_RETRY)
def rescore_candidate(candidate_id: int) -> int:
    from .services.scoring import candidate_rescore

    return candidate_rescore(candidate_id=candidate_id)


@shared_task(**SCORING_RETRY)
def rescore_job(job_id: int) -> int:
    from .services.scoring import job_rescore

    return job_rescore(job_id=job_id)


@shared_task(**SCORING_RETRY)
def score_applications(application_ids: list[int]) -> int:
    from .services.scoring import applications_score_by_id

    return applications_score_by_id(application_ids=application_ids)


@shared_task(**SCORING_RETRY)
def explain_fit_score(fit_score_id: int) -> None:
    from .services.scoring import fit_score_deep_explain

    fit_score_deep_explain(fit_score_id=fit_score_id)


@shared_task(acks_late=True)
def rescore_stale() -> int:
    from .services.scoring import rescore_stale as run

    return run()
