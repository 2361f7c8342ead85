"""The dashboard's example comments offer SHAP and attention beside integrated gradients
(issue 21): computed by the real, shipped sentiment model in a task when HR first picks one,
kept with the answer for its version and label, offered most faithful first."""

from __future__ import annotations

import pytest

from hr.analytics import Filters, survey_dashboard
from hr.models import Answer
from hr.selectors.explanations import COMMENT_METHODS, comment_method
from hr.services.analysis import active_model_version
from hr.services.explanations import answers_explain_method, survey_examples_explain_method

from ..factories import DepartmentFactory
from .factories import QuestionFactory, SurveyFactory, close, respond

pytestmark = pytest.mark.django_db

NEGATIVE = "The pay is terrible and my manager ignores me every single week."
POSITIVE = "I love my team, everyone is kind and helpful."


@pytest.fixture(scope="session")
def sentiment_model():
    from mlcore.sentiment import get_model

    return get_model(active_model_version())


@pytest.fixture
def closed_survey(sentiment_model):
    """A closed survey with three comments labelled by the active version."""
    team = DepartmentFactory(name="Team")
    survey = SurveyFactory(min_group_size=3)
    QuestionFactory(survey=survey, kind="free_text", text="Anything else?")
    respond(survey, team, text=NEGATIVE, label="negative")
    respond(survey, team, text=f"{NEGATIVE} Again.", label="negative")
    respond(survey, team, text=POSITIVE, label="positive")
    Answer.objects.update(model_version=sentiment_model.version)
    return close(survey)


def test_methods_are_offered_most_faithful_first_and_unknown_ones_are_refused():
    assert comment_method("").key == "integrated_gradients"  # worked out ahead: the default
    assert {m.key for m in COMMENT_METHODS} == {"integrated_gradients", "shap", "attention"}
    attention = comment_method("attention")
    assert not attention.signed and "not why" in attention.meaning
    from hr.errors import UnknownExplanation

    with pytest.raises(UnknownExplanation, match="no explanation method called 'lime'"):
        comment_method("lime")


def test_picking_shap_computes_it_in_a_task_and_the_page_shows_it(
    client, hr_admin, closed_survey, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    url = f"/hr/surveys/{closed_survey.pk}/results/"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        first = client.get(url, {"explain": "shap"}).content.decode()
    assert len(queued) >= 1  # the task was asked for on commit (eager here)
    assert 'id="reasons-pending"' in first and "SHAP for the comments" in first

    negative = Answer.objects.get(text=NEGATIVE)
    stored = negative.explanations["shap"]
    assert stored["version"] == negative.model_version and stored["label"] == "negative"
    assert " ".join(w for w, _ in stored["pairs"]) == NEGATIVE  # its own words and casing
    weights = dict(stored["pairs"])
    assert max(weights, key=lambda w: weights[w]) in {"terrible", "ignores"}

    page = client.get(url, {"explain": "shap"}).content.decode()
    assert 'id="reasons-pending"' not in page
    assert 'data-method="shap"' in page and 'aria-current="true"' in page
    assert "<strong>SHAP</strong>" in page  # its name and meaning next to the highlights
    assert 'class="attr attr-for"' in page and 'tabindex="0"' in page
    # Methods in the order of COMMENT_METHODS, each a link that keeps the other filters.
    positions = [page.index(f'explain={m.key}#example-comments"') for m in COMMENT_METHODS]
    assert positions == sorted(positions)


def test_attention_is_unsigned_and_labelled_where_the_model_looked(
    client, hr_admin, closed_survey, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    url = f"/hr/surveys/{closed_survey.pk}/results/"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url, {"explain": "attention"})
    pairs = Answer.objects.get(text=POSITIVE).explanations["attention"]["pairs"]
    assert all(0 <= w <= 1 for _, w in pairs) and max(w for _, w in pairs) == 1
    page = client.get(url, {"explain": "attention"}).content.decode()
    assert "where the model looked" in page.lower() and "not a reason" in page
    assert "attr attr-looked" in page and "attr-against" not in page.split("</nav>", 1)[1]


def test_an_unknown_method_says_so_and_shows_the_default(client, hr_admin, closed_survey):
    client.force_login(hr_admin)
    page = client.get(f"/hr/surveys/{closed_survey.pk}/results/", {"explain": "lime"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is no explanation method called &#x27;lime&#x27;" in text
    assert 'data-method="integrated_gradients" aria-current="true"' in text


def test_explanations_are_kept_per_version_and_label_and_computed_once(hr_admin, closed_survey):
    assert survey_examples_explain_method(survey_id=closed_survey.pk, method="shap") == 3
    assert survey_examples_explain_method(survey_id=closed_survey.pk, method="shap") == 0
    assert survey_examples_explain_method(survey_id=closed_survey.pk, method="attention") == 3
    answer = Answer.objects.get(text=POSITIVE)
    assert set(answer.explanations) == {"shap", "attention"}  # one method never drops another
    data = survey_dashboard(user=hr_admin, survey=closed_survey, filters=Filters())
    assert all(set(c["explanations"]) == {"shap", "attention"} for c in data["comments"])

    # A new label (or another version) makes them stale: not shown, computed again.
    Answer.objects.filter(pk=answer.pk).update(sentiment_label="neutral")
    data = survey_dashboard(user=hr_admin, survey=closed_survey, filters=Filters())
    shown = next(c for c in data["comments"] if c["text"] == POSITIVE)
    assert shown["explanations"] == {}
    assert answers_explain_method(answer_ids=[answer.pk], method="shap") == 1
    assert Answer.objects.get(pk=answer.pk).explanations["shap"]["label"] == "neutral"


def test_explanations_go_with_the_answers(hr_admin, closed_survey):
    """Survey answers are anonymous (no person to export or erase them for): their
    explanations are stored on the answer and deleted with it."""
    survey_examples_explain_method(survey_id=closed_survey.pk, method="attention")
    assert Answer.objects.exclude(explanations={}).count() == 3
    closed_survey.delete()
    assert not Answer.objects.exists()
