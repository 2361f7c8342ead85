"""Celery tasks of HR: thin wrappers that call services."""

from __future__ import annotations

from celery import shared_task

from core.tasks import TRANSIENT_ERRORS

# Sentiment analysis and its explanations: retried on transient errors, bounded in time.
_ANALYSIS = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "max_retries": 5,
    "soft_time_limit": 600,
    "time_limit": 660,
}


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_survey_link(invitation_id: int, token: str) -> bool:
    """E-mail one survey link. The raw token is in the arguments because it is stored nowhere
    else (only its hash is): the broker must be trusted like the database."""
    from .services.surveys import invitation_send

    return invitation_send(invitation_id=invitation_id, token=token)


@shared_task(**_ANALYSIS)
def analyze_answers(answer_ids: list[str]) -> int:
    from .services.analysis import answers_analyze

    return answers_analyze(answer_ids=answer_ids)


@shared_task(**_ANALYSIS)
def explain_survey_examples(
    survey_id: int, department: int | None = None, period: str | None = None, grain: str = "month"
) -> int:
    """Word attributions for the comments the dashboard quotes with these filters."""
    from datetime import date

    from .services.analysis import survey_examples_explain

    return survey_examples_explain(
        survey_id=survey_id,
        department=department,
        period=date.fromisoformat(period) if period else None,
        grain=grain,
    )


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def reanalyze_stale_answers() -> int:
    """For Celery beat: queue the answers the active sentiment model has not analysed."""
    from mlcore.registry import RegistryError

    from .services.analysis import answers_reanalyze

    try:
        return answers_reanalyze()
    except RegistryError:
        return 0  # no active model yet: nothing to re-analyse with


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def sweep_unsent_survey_links() -> int:
    """For Celery beat: a fresh link for invitations whose e-mail message was lost."""
    from .services.surveys import invitations_resend_unsent

    return invitations_resend_unsent()


@shared_task(**_ANALYSIS)
def explain_survey_examples_method(
    survey_id: int,
    method: str,
    department: int | None = None,
    period: str | None = None,
    grain: str = "month",
) -> int:
    """One explanation method (SHAP, attention) for the comments the dashboard quotes."""
    from datetime import date

    from .services.explanations import survey_examples_explain_method

    return survey_examples_explain_method(
        survey_id=survey_id,
        method=method,
        department=department,
        period=date.fromisoformat(period) if period else None,
        grain=grain,
    )
