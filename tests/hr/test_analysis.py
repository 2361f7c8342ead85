"""Sentiment analysis of comments with the real, shipped sentiment model (few, small texts)."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from hr import services
from hr.analytics import Filters, survey_dashboard
from hr.models import Answer
from hr.services.analysis import active_model_version

from ..factories import DepartmentFactory
from .conftest import questions
from .factories import QuestionFactory, SurveyFactory, close, respond

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})/")

COMMENTS = [
    "I love my team, everyone is kind and helpful and I am proud of our work.",
    "The pay is terrible, my manager ignores me and I am exhausted every week.",
    "Great colleagues and a manager who really supports my growth.",
]


@pytest.fixture(scope="session")
def sentiment_model():
    """The active model from mlcore's registry, loaded once for the session."""
    from mlcore.sentiment import get_model

    return get_model(active_model_version())


def submit_comments(hr_admin, survey, org, capture, texts):
    with capture(execute=True):
        services.survey_invite(by=hr_admin, survey=survey, departments=[org["backend"]])
    tokens = [LINK.search(m.body).group(1) for m in mail.outbox]
    enps, likert, choice, text = questions(survey)
    for token, comment in zip(tokens, texts, strict=False):
        with capture(execute=True):  # the analysis task runs on commit (eager here)
            services.response_submit(
                token=token,
                answers={enps.pk: 8, likert.pk: 4, choice.pk: "Pay", text.pk: comment},
            )
    return list(Answer.objects.filter(question=text))


def test_submitted_comments_are_analysed_and_shown_with_reasons(
    client, hr_admin, survey, org, django_capture_on_commit_callbacks, sentiment_model
):
    answers = submit_comments(hr_admin, survey, org, django_capture_on_commit_callbacks, COMMENTS)
    assert len(answers) == 3
    by_text = {a.text: a for a in answers}
    for answer in answers:
        assert answer.model_version == sentiment_model.version
        assert answer.analyzed_on == timezone.localdate()
        assert answer.sentiment_label in {"negative", "neutral", "positive"}
        assert abs(sum(answer.sentiment_probs.values()) - 1) < 1e-3
        assert answer.attributions is None  # reasons only for comments that are quoted
        assert answer.analysis_error == ""
    assert by_text[COMMENTS[0]].sentiment_label == "positive"
    assert by_text[COMMENTS[1]].sentiment_label == "negative"
    assert "pay_benefits" in by_text[COMMENTS[1]].topics

    # Results appear once the survey is closed; closing explains the quoted comments.
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_close(by=hr_admin, survey=survey)
    for answer in answers:
        answer.refresh_from_db()
        assert answer.attributions and all(len(pair) == 2 for pair in answer.attributions)
        assert " ".join(w for w, _ in answer.attributions) == answer.text  # a weight per word
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    shown = {c["text"]: c for c in data["comments"]}
    assert set(shown) == set(COMMENTS)
    assert shown[COMMENTS[1]]["attributions"] == by_text[COMMENTS[1]].attributions
    assert data["reasons_pending"] is False
    sentiment = next(q for q in data["questions"] if q["kind"] == "free_text")["sentiment"]
    assert sentiment["n"] == 3

    client.force_login(hr_admin)
    page = client.get(f"/hr/surveys/{survey.pk}/results/").content.decode()
    assert 'class="attr attr-for"' in page and "exhausted" in page
    assert 'id="reasons-pending"' not in page

    # Idempotent: the same version does not analyse again.
    assert services.answers_analyze(answer_ids=[a.pk for a in answers]) == 0


def test_only_quoted_comments_get_reasons_and_a_view_asks_for_missing_ones(
    client, hr_admin, sentiment_model, django_capture_on_commit_callbacks
):
    """Seven positive comments in one group: the dashboard quotes three, only they are
    explained; a group first opened later gets its own examples explained on that view."""
    eng = DepartmentFactory(name="Engineering")
    backend = DepartmentFactory(name="Backend", parent=eng)
    frontend = DepartmentFactory(name="Frontend", parent=eng)
    survey = SurveyFactory(min_group_size=5)
    QuestionFactory(survey=survey, kind="free_text", text="Anything else?")
    texts = [f"I really like working with my team, week {n}." for n in range(7)]
    for n, text in enumerate(texts):
        respond(survey, backend if n < 5 else frontend, text=text, label="positive")
    for n, text in enumerate(["The tools are slow.", "Meetings all day."] * 3):
        respond(survey, frontend, text=f"{text} {n}", label="negative")
    # Distinct confidences (ties would be broken by random UUIDs): Frontend's two positive
    # comments are the most confident, so the company view quotes them and one of Backend's,
    # and Backend's own view quotes two that the company view did not.
    for n, text in enumerate(texts):
        conf = round(0.6 + 0.05 * n, 2)
        rest = round((1 - conf) / 2, 3)
        Answer.objects.filter(text=text).update(
            sentiment_probs={"positive": conf, "neutral": rest, "negative": rest}
        )
    Answer.objects.update(model_version=sentiment_model.version, attributions=None)
    close(survey)

    assert services.survey_examples_explain(survey_id=survey.pk) == 6  # 3 positive, 3 negative
    explained = Answer.objects.filter(attributions__isnull=False)
    assert explained.count() == 6
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert {c["text"] for c in data["comments"]} == set(explained.values_list("text", flat=True))
    assert not data["reasons_pending"]

    # Backend's own examples include comments the company view did not quote.
    backend_view = survey_dashboard(
        user=hr_admin, survey=survey, filters=Filters(department=backend.pk)
    )
    assert backend_view["reasons_pending"]
    client.force_login(hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"/hr/surveys/{survey.pk}/results/", {"department": backend.pk})
    assert 'id="reasons-pending"' in page.content.decode()
    after = survey_dashboard(user=hr_admin, survey=survey, filters=Filters(department=backend.pk))
    assert not after["reasons_pending"]
    assert all(c["attributions"] for c in after["comments"])
    quoted = {c["text"] for c in data["comments"]} | {c["text"] for c in after["comments"]}
    assert len(quoted) > 6
    assert Answer.objects.filter(attributions__isnull=True).count() == 13 - len(quoted) > 0


def test_answers_of_another_model_version_are_reanalysed(
    hr_admin, survey, org, django_capture_on_commit_callbacks, sentiment_model
):
    (answer,) = submit_comments(
        hr_admin, survey, org, django_capture_on_commit_callbacks, COMMENTS[1:2]
    )
    Answer.objects.filter(pk=answer.pk).update(model_version="sentiment-old", sentiment_label="x")
    out = io.StringIO()
    call_command("reanalyze_answers", stdout=out)
    assert "1 answer(s) queued" in out.getvalue()
    answer.refresh_from_db()
    assert answer.model_version == sentiment_model.version
    assert answer.sentiment_label == "negative"


def test_without_an_active_model_the_submission_still_succeeds(
    hr_admin, survey, org, django_capture_on_commit_callbacks, monkeypatch, tmp_path
):
    monkeypatch.setenv("SMARTHR_MODEL_DIR", str(tmp_path))  # an empty registry
    (answer,) = submit_comments(
        hr_admin, survey, org, django_capture_on_commit_callbacks, ["Fine, thanks."]
    )
    assert answer.model_version == "" and answer.sentiment_label == ""
    assert "No active sentiment model" in answer.analysis_error


# --- one batch: bounded queries, a blank or refused answer does not stop the others ---------


def _free_text_answers(texts, *, closed=False):
    """Unanalysed free-text answers of one survey, as a submission or import leaves them."""
    survey = SurveyFactory(min_group_size=3)
    QuestionFactory(survey=survey, kind="free_text", text="Anything else?")
    for text in texts:
        respond(survey, text=text)
    if closed:
        close(survey)
    return list(Answer.objects.filter(question__survey=survey).order_by("text"))


MORE = [f"{text} (team {n})" for n in range(4) for text in COMMENTS]  # 12 answers


def test_a_batch_takes_the_same_few_queries_however_many_answers(sentiment_model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for texts in (COMMENTS, MORE):
        ids = [a.pk for a in _free_text_answers(texts, closed=True)]
        with CaptureQueriesContext(connection) as queries:
            assert services.answers_analyze(answer_ids=ids) == len(texts)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8  # read, one bulk update, announce, finished surveys


def test_a_blank_answer_gets_its_error_and_the_others_are_analysed(sentiment_model):
    answers = _free_text_answers([*COMMENTS, "   \n "])
    assert services.answers_analyze(answer_ids=[a.pk for a in answers]) == 3
    by_text = {a.text: a for a in Answer.objects.filter(pk__in=[a.pk for a in answers])}
    blank = by_text.pop("   \n ")
    assert blank.model_version == "" and "blank" in blank.analysis_error
    assert blank.embedding is None
    for answer in by_text.values():
        assert answer.model_version == sentiment_model.version and answer.analysis_error == ""
        assert answer.embedding is not None and len(bytes(answer.embedding)) == 768
    assert by_text[COMMENTS[1]].sentiment_label == "negative"


def test_an_answer_the_model_refuses_does_not_stop_the_batch(sentiment_model, monkeypatch):
    """Fault injection: the real model, refusing any batch that holds one given text."""
    poison = "A comment the model cannot take."
    real = type(sentiment_model).analyse

    def refusing(self, texts, **kwargs):
        if poison in texts:
            raise ValueError("cannot take this text")
        return real(self, texts, **kwargs)

    monkeypatch.setattr(type(sentiment_model), "analyse", refusing)
    answers = _free_text_answers([*COMMENTS, poison])
    assert services.answers_analyze(answer_ids=[a.pk for a in answers]) == 3
    stored = {a.text: a for a in Answer.objects.filter(pk__in=[a.pk for a in answers])}
    assert stored[poison].model_version == ""
    assert "cannot take this text" in stored[poison].analysis_error
    assert stored[COMMENTS[0]].sentiment_label == "positive"
    assert all(stored[t].model_version == sentiment_model.version for t in COMMENTS)


def test_the_batch_stores_what_one_answer_at_a_time_stores(sentiment_model):
    """Same labels, probabilities, topics and embeddings as each answer analysed alone."""
    together = _free_text_answers(MORE[:6])
    alone = _free_text_answers(MORE[:6])
    services.answers_analyze(answer_ids=[a.pk for a in together])
    for answer in alone:
        services.answers_analyze(answer_ids=[answer.pk])
    from mlcore.sentiment.insights import vectors_from_bytes

    for a, b in zip(together, alone, strict=True):
        a.refresh_from_db()
        b.refresh_from_db()
        assert a.text == b.text
        assert (a.sentiment_label, a.topics) == (b.sentiment_label, b.topics)
        assert a.sentiment_probs == pytest.approx(b.sentiment_probs, abs=2e-4)
        vectors = vectors_from_bytes([bytes(a.embedding), bytes(b.embedding)])
        assert abs(vectors[0] - vectors[1]).max() < 2e-3  # one float16 step


def test_a_large_enqueue_groups_answers_of_similar_length(monkeypatch):
    from hr.services import analysis

    texts = ["short", "a bit longer text", "x" * 300, "medium length text here", "y" * 120]
    answers = _free_text_answers(texts)
    sent = []
    monkeypatch.setattr(analysis, "enqueue", lambda task, ids: sent.append(ids) or True)
    ids = [a.pk for a in answers] + ["00000000-0000-0000-0000-000000000000"]  # gone since
    assert analysis.answers_enqueue_analysis(answer_ids=ids, batch_size=2) == 3
    by_id = {str(a.pk): a.text for a in answers}
    assert [[by_id.get(pk, "gone") for pk in batch] for batch in sent] == [
        ["x" * 300, "y" * 120],
        ["medium length text here", "a bit longer text"],
        ["short", "gone"],
    ]
