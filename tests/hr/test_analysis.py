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

from .conftest import questions
from .factories import close

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
        assert answer.attributions and all(len(pair) == 2 for pair in answer.attributions)
        words = [w for w, _ in answer.attributions]
        assert " ".join(words) == answer.text  # one weight per word, in order
        assert answer.analysis_error == ""
    assert by_text[COMMENTS[0]].sentiment_label == "positive"
    assert by_text[COMMENTS[1]].sentiment_label == "negative"
    assert "pay_benefits" in by_text[COMMENTS[1]].topics

    close(survey)  # results appear once the survey is closed
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    shown = {c["text"]: c for c in data["comments"]}
    assert set(shown) == set(COMMENTS)
    assert shown[COMMENTS[1]]["attributions"] == by_text[COMMENTS[1]].attributions
    sentiment = next(q for q in data["questions"] if q["kind"] == "free_text")["sentiment"]
    assert sentiment["n"] == 3

    client.force_login(hr_admin)
    page = client.get(f"/hr/surveys/{survey.pk}/results/").content.decode()
    assert 'class="attr attr-for"' in page and "exhausted" in page

    # Idempotent: the same version does not analyse again.
    assert services.answers_analyze(answer_ids=[a.pk for a in answers]) == 0


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
