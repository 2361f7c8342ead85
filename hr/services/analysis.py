"""Sentiment, topics and reasons for free-text answers, by the active model version.

The model lives in mlcore (no Django); this module only feeds it texts and stores its results
as JSON on each answer, with the version that produced them. Answers analysed by another
version than the active one are re-analysed by `answers_reanalyze` (a command and a
beat-friendly task), so switching the active model re-labels old surveys.

Analysis gives every answer its label, probabilities and topics, and no reasons: word
attributions (integrated gradients through the whole ensemble) cost about a hundred times a
prediction, and only the few comments the dashboard quotes are ever read with them. Those are
explained when they are first needed: the company-wide examples once a closed survey's
answers are all analysed, any other group's when HR first opens it
(`survey_examples_explain_later`). See docs/sentiment.md, "Speed".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db.models.functions import Length
from django.utils import timezone

from core.events import emit
from core.tasks import enqueue, enqueue_on_commit

from ..analytics import Filters, example_answer_ids
from ..anonymity import results_visible
from ..models import Answer, Question, Survey
from ..tasks import analyze_answers, explain_survey_examples

log = logging.getLogger(__name__)

BATCH_SIZE = 64  # answers per Celery task: one forward pass batch, a few seconds of work
LOOKUP_CHUNK = 2000  # answer ids per query when ordering a large enqueue by length


def active_model_version() -> str:
    """The sentiment version the registry marks active; raises RegistryError if none."""
    from mlcore.registry import Registry

    return Registry().active("sentiment").version


def _analysable() -> Any:
    return Answer.objects.filter(question__kind=Question.Kind.FREE_TEXT).exclude(text="")


def answers_enqueue_analysis(*, answer_ids: Iterable[Any], batch_size: int = BATCH_SIZE) -> int:
    """One `analyze_answers` task per batch; returns how many tasks.

    More answers than one batch go longest first, so each task's answers are of similar
    lengths and its forward passes pad little (a batch of a short and a 300-token comment
    costs as much as two long ones).

    A broker that is down leaves the answers unanalysed (never an error for the employee who
    sent them): `reanalyze_stale_answers` queues them again.
    """
    ids = [str(pk) for pk in answer_ids]
    if len(ids) > batch_size:
        ids = _longest_first(ids)
    for start in range(0, len(ids), batch_size):
        if not enqueue(analyze_answers, ids[start : start + batch_size]):
            break
    return (len(ids) + batch_size - 1) // batch_size


def _longest_first(ids: list[str]) -> list[str]:
    """`ids` by their answers' text length, longest first (ids not found last, kept)."""
    sizes: dict[str, int] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        rows = (
            Answer.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK])
            .annotate(size=Length("text"))
            .values_list("pk", "size")
        )
        sizes.update((str(pk), int(size)) for pk, size in rows)
    return sorted(ids, key=lambda pk: -sizes.get(pk, -1))


def answers_analyze(*, answer_ids: Iterable[Any]) -> int:
    """Analyse these answers with the active model; returns how many were analysed.

    Idempotent: answers already analysed by the active version are skipped. When there is no
    usable model the reason is recorded on each answer (and `answers_reanalyze` retries them
    once a model is active); nothing is raised, so a submission never fails because of it.
    An answer the model refuses (a blank text) gets its own error and the others go on.

    One model call for the batch (`SentimentModel.analyse`: label, probabilities, topics and
    the comment-insights embedding, the latter from the sentiment pass itself where the
    version allows) and a fixed number of queries, however many answers.
    """
    from mlcore.registry import RegistryError
    from mlcore.sentiment import SentimentError, get_model

    pending = _analysable().filter(pk__in=list(answer_ids))
    try:
        version = active_model_version()
        # Answers analysed before comment insights existed have no embedding: done again.
        answers = list(
            pending.exclude(model_version=version, embedding__isnull=False).only("id", "text")
        )
        if not answers:
            return 0
        model = get_model(version)  # by name: a newly activated version is picked up
        analysed, refused = _analyse(model, answers)
    except (RegistryError, SentimentError) as exc:
        log.warning("Sentiment analysis unavailable: %s", exc)
        pending.filter(model_version="").update(analysis_error=str(exc)[:500])
        return 0
    _store(analysed, version=version)
    if refused:
        Answer.objects.bulk_update(refused, ["analysis_error"])
    done = [answer for answer, _result, _vector in analysed]
    if done:
        _announce(done)
        _explain_finished_surveys(done, version=version)
    return len(done)


def _analyse(model: Any, answers: list[Answer]) -> tuple[list[Any], list[Answer]]:
    """(answer, result, embedding) for each answer the model analysed, and the answers it
    refused, each with its `analysis_error` set. One batched call; only if the model refuses
    the batch, one call per answer to find which (and still analyse the rest)."""
    refused = []
    for answer in answers:
        if not answer.text.strip():
            answer.analysis_error = "The comment is blank: there is nothing to analyse."
            refused.append(answer)
    ok = [a for a in answers if a.text.strip()]
    if not ok:
        return [], refused
    try:
        results, vectors = model.analyse([a.text for a in ok])
        return list(zip(ok, results, vectors, strict=True)), refused
    except (ValueError, RuntimeError) as exc:  # an input the model cannot take: find it
        log.warning("Analysing %d answers one by one after: %s", len(ok), exc)
    analysed = []
    for answer in ok:
        try:
            (result,), (vector,) = model.analyse([answer.text])
        except (ValueError, RuntimeError) as exc:
            log.warning("Answer %s not analysed: %s", answer.pk, exc)
            answer.analysis_error = f"Not analysed: {exc}"[:500]
            refused.append(answer)
        else:
            analysed.append((answer, result, vector))
    return analysed, refused


def _store(analysed: list[Any], *, version: str) -> None:
    """Each answer's analysis, in one bulk update."""
    from mlcore.sentiment.attention import attention_flags
    from mlcore.sentiment.insights import vector_bytes

    today = timezone.localdate()
    answers = []
    for answer, result, vector in analysed:
        answer.embedding = vector_bytes(vector)
        answer.attention = attention_flags(answer.text)
        answer.sentiment_label = result.label
        answer.sentiment_probs = {k: round(float(v), 4) for k, v in result.probs.items()}
        answer.topics = list(result.topics)
        answer.attributions = None  # a new label needs new reasons: explained on demand
        answer.model_version = result.model_version or version
        answer.analyzed_on = today
        answer.analysis_error = ""
        answers.append(answer)
    Answer.objects.bulk_update(
        answers,
        [
            "sentiment_label",
            "sentiment_probs",
            "topics",
            "attributions",
            "model_version",
            "analyzed_on",
            "analysis_error",
            "embedding",
            "attention",
        ],
    )


def _explain_finished_surveys(answers: list[Answer], *, version: str) -> None:
    """Queue the company-wide examples of each closed survey these answers finish.

    Checked after this batch is saved, so of several batches of one survey at least the last
    to finish sees none left (two may both queue: explaining is idempotent).
    """
    survey_ids = set(
        Answer.objects.filter(pk__in=[a.pk for a in answers])
        .filter(question__survey__status=Survey.Status.CLOSED)
        .values_list("question__survey_id", flat=True)
    )
    for survey_id in survey_ids:
        left = _analysable().filter(question__survey_id=survey_id).exclude(model_version=version)
        if not left.exists():
            enqueue_on_commit(explain_survey_examples, survey_id)


def _announce(answers: list[Answer]) -> None:
    """One event per survey and batch, without response ids: an event sent seconds after a
    submission must not let a subscriber tie one response to the person who just answered."""
    per_survey: dict[Any, int] = {}
    for survey_id in Answer.objects.filter(pk__in=[a.pk for a in answers]).values_list(
        "question__survey_id", flat=True
    ):
        per_survey[survey_id] = per_survey.get(survey_id, 0) + 1
    for survey_id, count in per_survey.items():
        emit("survey.response_analyzed", {"survey_id": survey_id, "answers_analyzed": count})


def answers_stale_ids(*, version: str) -> list[Any]:
    stale = _analysable().exclude(model_version=version, embedding__isnull=False)
    return list(stale.values_list("pk", flat=True))


def answers_reanalyze(*, batch_size: int = BATCH_SIZE) -> int:
    """Queue every free-text answer not analysed by the active version; returns how many."""
    ids = answers_stale_ids(version=active_model_version())
    answers_enqueue_analysis(answer_ids=ids, batch_size=batch_size)
    return len(ids)


# --- reasons (word attributions) for the comments the dashboard quotes ------------------------


def answers_explain(*, answer_ids: Iterable[Any]) -> int:
    """Word attributions for these answers' labels, by the active model; returns how many.

    Idempotent: answers that have them, or that the active version has not labelled (they are
    re-analysed first), are skipped. No usable model: nothing is stored, the page shows the
    comment without highlights, and the next view asks again.
    """
    from mlcore.registry import RegistryError
    from mlcore.sentiment import SentimentError, get_model

    try:
        version = active_model_version()
        answers = list(
            _analysable()
            .filter(pk__in=list(answer_ids), model_version=version, attributions__isnull=True)
            .exclude(sentiment_label="")
            .only("id", "text", "sentiment_label")
        )
        if not answers:
            return 0
        reasons = get_model(version).explain(
            [a.text for a in answers], labels=[a.sentiment_label for a in answers]
        )
    except (RegistryError, SentimentError) as exc:
        log.warning("Explanations unavailable: %s", exc)
        return 0
    for answer, words in zip(answers, reasons, strict=True):
        answer.attributions = [[word, round(float(w), 4)] for word, w in words]
    Answer.objects.bulk_update(answers, ["attributions"])
    return len(answers)


def survey_examples_explain(
    *, survey_id: int, department: int | None = None, period: Any = None, grain: str = "month"
) -> int:
    """Explain the comments the dashboard quotes for these filters (a closed survey only)."""
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or not results_visible(survey.status):
        return 0
    filters = Filters(department=department, period=period, grain=grain)
    return answers_explain(answer_ids=example_answer_ids(survey=survey, filters=filters))


def survey_examples_explain_later(*, survey: Survey, filters: Filters) -> None:
    """Queue `survey_examples_explain` for a dashboard view that quotes unexplained comments."""
    enqueue_on_commit(
        explain_survey_examples,
        survey.pk,
        filters.department,
        filters.period.isoformat() if filters.period else None,
        filters.grain,
    )
