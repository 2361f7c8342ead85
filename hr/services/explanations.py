"""Survey comments' explanations computed on request: SHAP and attention rollout.

Integrated gradients are worked out ahead for the comments the dashboard quotes
(`hr.services.analysis.answers_explain`, stored in `Answer.attributions`). The other methods
are computed in the Celery task `explain_survey_examples_method` when HR first picks one for a
group's example comments, and kept in `Answer.explanations[method]` with the model version
and label they explain: a re-analysis by another version, or a new label, makes them stale
(`hr.selectors.explanations.stored_explanations`) and the next request computes them again.
They live and die with the answer (anonymous: no person to export or erase them for).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from core.tasks import enqueue_on_commit

from ..analytics import Filters, example_answer_ids
from ..anonymity import results_visible
from ..errors import UnknownExplanation
from ..models import Answer, Question, Survey
from ..selectors.explanations import COMMENT_METHODS, stored_explanations
from ..tasks import explain_survey_examples_method
from .analysis import active_model_version, answers_explain

log = logging.getLogger(__name__)

ON_REQUEST = tuple(m.key for m in COMMENT_METHODS if m.on_request)


def _check(method: str) -> None:
    if method not in {m.key for m in COMMENT_METHODS}:
        raise UnknownExplanation(method, [m.key for m in COMMENT_METHODS])


def answers_explain_method(*, answer_ids: Iterable[Any], method: str) -> int:
    """One method's word weights for these answers' labels, by the active model; returns how
    many were computed. Idempotent: answers that hold a current one are skipped. No usable
    model: nothing is stored (the page shows the comment plain and asks again)."""
    from mlcore.registry import RegistryError
    from mlcore.sentiment import SentimentError, get_model

    _check(method)
    if method not in ON_REQUEST:
        return answers_explain(answer_ids=answer_ids)
    try:
        version = active_model_version()
        answers = [
            a
            for a in Answer.objects.filter(
                pk__in=list(answer_ids),
                question__kind=Question.Kind.FREE_TEXT,
                model_version=version,
            )
            .exclude(text="")
            .exclude(sentiment_label="")
            .only("id", "text", "sentiment_label", "explanations", "model_version")
            if method
            not in stored_explanations(a.explanations, version=version, label=a.sentiment_label)
        ]
        if not answers:
            return 0
        words = get_model(version).explain(
            [a.text for a in answers], labels=[a.sentiment_label for a in answers], method=method
        )
    except (RegistryError, SentimentError) as exc:
        log.warning("Explanations unavailable: %s", exc)
        return 0
    for answer, pairs in zip(answers, words, strict=True):
        entry = {
            "version": version,
            "label": answer.sentiment_label,
            "pairs": [[w, None if x is None else round(float(x), 4)] for w, x in pairs],
        }
        with transaction.atomic():  # another method may be stored at the same time
            locked = Answer.objects.select_for_update().only("id", "explanations").get(pk=answer.pk)
            locked.explanations = {**(locked.explanations or {}), method: entry}
            locked.save(update_fields=["explanations"])
    return len(answers)


def survey_examples_explain_method(
    *,
    survey_id: int,
    method: str,
    department: int | None = None,
    period: Any = None,
    grain: str = "month",
) -> int:
    """One method for the comments the dashboard quotes with these filters (closed survey)."""
    _check(method)
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or not results_visible(survey.status):
        return 0
    filters = Filters(department=department, period=period, grain=grain)
    ids = example_answer_ids(survey=survey, filters=filters)
    return answers_explain_method(answer_ids=ids, method=method)


def survey_examples_explain_method_later(*, survey: Survey, filters: Filters, method: str) -> None:
    """Queue `survey_examples_explain_method` for a dashboard view that asks for a method
    some of its quoted comments do not have yet."""
    _check(method)
    enqueue_on_commit(
        explain_survey_examples_method,
        survey.pk,
        method,
        filters.department,
        filters.period.isoformat() if filters.period else None,
        filters.grain,
    )
