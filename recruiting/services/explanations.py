"""Fit explanations computed on request (integrated gradients, SHAP, attention rollout).

Each is computed in the Celery task `explain_fit_score_method` and stored on the score's
`explanation` under the method's key, next to the instant word contributions; like them it
is personal data of the candidate (exported and erased with the score). Every model call goes
through `mlcore.matching.explain`.
"""

from __future__ import annotations

from django.db import transaction

from core.errors import DomainError
from core.tasks import enqueue_on_commit

from ..models import FitScore, Resume
from ..tasks import explain_fit_score_method
from .scoring import get_fit_model, job_fit_text, resume_model_text

# Where each on-request method is stored in `FitScore.explanation`.
ON_REQUEST = ("shap", "integrated_gradients", "attention")


class UnknownExplanation(DomainError):
    def __init__(self, method: str) -> None:
        super().__init__(f"There is no explanation method called {method!r}.")


def fit_score_request_method(*, fit_score: FitScore, method: str) -> bool:
    """Queue one method's explanation unless it is stored already; True when queued."""
    if method not in ON_REQUEST:
        raise UnknownExplanation(method)
    if method in fit_score.explanation:
        return False
    enqueue_on_commit(explain_fit_score_method, fit_score.pk, method)
    return True


def fit_score_explain_method(*, fit_score_id: int, method: str) -> FitScore:
    """Compute one method's word attributions for a score and store them (idempotent)."""
    if method not in ON_REQUEST:
        raise UnknownExplanation(method)
    fit = FitScore.objects.select_related("application__job").get(pk=fit_score_id)
    if method in fit.explanation:
        return fit
    from mlcore.matching.explain import explain

    resume = Resume.objects.get(pk=fit.explanation["resume_id"])
    model = get_fit_model()
    sides = explain(
        model,
        method,
        model.prepare_job(job_fit_text(fit.application.job)),
        resume_model_text(resume),
        prepared=True,
    )
    stored = {"method": method, **{side: a.pairs() for side, a in sides.items()}}
    with transaction.atomic():
        fit = FitScore.objects.select_for_update().get(pk=fit_score_id)
        fit.explanation = {**fit.explanation, method: stored}
        fit.save(update_fields=["explanation"])
    return fit
