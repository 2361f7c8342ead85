"""Celery tasks of recruiting: thin wrappers that call services."""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from core.tasks import TRANSIENT_ERRORS


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


# The hard limit (prefork pool only: `--pool=solo` ignores both) kills the worker process;
# the resume sweeper treats a resume "parsing" for longer than this as interrupted.
PARSE_TIME_LIMIT_S = 240


@shared_task(
    acks_late=True,
    autoretry_for=(*TRANSIENT_ERRORS, OSError),  # storage or database hiccups, not bad files
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=180,
    time_limit=PARSE_TIME_LIMIT_S,
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
    "autoretry_for": (*TRANSIENT_ERRORS, OSError),
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


@shared_task(**SCORING_RETRY)
def explain_fit_score_method(fit_score_id: int, method: str) -> None:
    """SHAP, integrated gradients or attention rollout for one score, stored on it."""
    from .services.explanations import fit_score_explain_method

    fit_score_explain_method(fit_score_id=fit_score_id, method=method)


@shared_task(acks_late=True)
def rescore_stale() -> int:
    from .services.scoring import rescore_stale as run

    return run()


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def sweep_pending_resumes() -> int:
    """For Celery beat: queue again the resumes whose parse message was lost or interrupted."""
    from .services.parsing import resumes_requeue_stuck

    return resumes_requeue_stuck()


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def sweep_stage_notifications() -> int:
    """For Celery beat: queue again the stage e-mails whose message was lost."""
    from .services.notifications import stage_events_notify_pending

    return stage_events_notify_pending()


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=4,  # then the sweeper tries again every PENDING_WORK_DEADLINE_S
)
def send_outbound_email(email_id: int) -> bool:
    """One recorded candidate or interviewer e-mail (claimed before it is sent)."""
    from .services.emails import outbound_email_deliver

    return outbound_email_deliver(email_id=email_id)


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def sweep_outbound_emails() -> int:
    """For Celery beat: queue again the e-mails whose message was lost or whose send failed."""
    from .services.emails import outbound_emails_requeue_pending

    return outbound_emails_requeue_pending()
