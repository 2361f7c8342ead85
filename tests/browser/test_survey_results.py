"""A closed survey's results in a real browser: an HR admin opens the demo survey's dashboard
and sees the company-wide sentiment trend (every department-month there is too small to
draw), the hidden series named in words, example comments, a response rate from invitations,
and chart labels that fit their axis."""

from __future__ import annotations

import pytest

from core.roles import Role
from demo.survey import COMMENTS, demo_survey_seed
from hr.models import Answer, Department

from ..factories import UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABEL_OF_TONE = {"pos": "positive", "neg": "negative", "mix": "neutral"}


def demo_survey(hr):
    """The demo's departments and closed survey, its comments labelled as the analysis task
    would leave them (labels from the tone each demo comment was written with)."""
    eng = Department.objects.create(name="Engineering")
    for name in ("Backend", "Frontend", "Data"):
        Department.objects.create(name=name, parent=eng)
    for name in ("Product", "Operations", "People"):
        Department.objects.create(name=name)
    survey = demo_survey_seed(by=hr, analyze=False)
    tone = {text: LABEL_OF_TONE[t] for t, text in COMMENTS if text}
    for n, answer in enumerate(Answer.objects.filter(response__survey=survey).exclude(text="")):
        label = tone[answer.text]
        probs = {"negative": 0.1, "neutral": 0.1, "positive": 0.1}
        probs[label] = 0.7 + n / 1000
        answer.sentiment_label, answer.sentiment_probs = label, probs
        answer.topics = ["culture", "workload"] if label == "negative" else ["culture"]
        answer.model_version = "demo-labels"
        answer.save()
    return survey


CHART_STATE = """
() => {
  const chart = (id) => Chart.getChart(document.getElementById(id));
  const trend = chart("chart-trend");
  const labelsFit = ["chart-enps", "chart-likert", "chart-topics"].map((id) => {
    const y = chart(id).scales.y;
    return { id, widest: y._labelSizes.widest.width, axis: y.width, left: y.left };
  });
  return {
    trend: trend.data.datasets.map((d) => ({ label: d.label, data: d.data })),
    labelsFit,
  };
}
"""


def test_hr_admin_sees_the_company_trend_and_example_comments(page):
    from playwright.sync_api import expect

    hr = UserFactory(roles=[Role.HR_ADMIN], first_name="Hana", last_name="HR")
    survey = demo_survey(hr)
    login(page, hr)
    page.emulate_media(reduced_motion="reduce")  # charts drawn whole at once, no animation
    page.goto(f"/hr/surveys/{survey.pk}/results/")
    expect(page.locator("h1")).to_contain_text("Engagement pulse (demo)")

    kpis = page.locator(".kpis")
    expect(kpis).to_contain_text("Response rate")
    expect(kpis).to_contain_text("87.0%")
    expect(kpis).to_contain_text("of 46 invited")

    note = page.locator("#trend-note")
    expect(note).to_contain_text("The thick line: Whole company.")
    expect(note).to_contain_text("Not drawn, to protect anonymity")

    comments = page.locator("blockquote.comment")
    expect(comments.first).to_be_visible()
    assert comments.count() == 9  # three per label
    expect(page.get_by_text("No comments to show for this group.")).to_have_count(0)

    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('chart-trend'))"
    )
    page.wait_for_function("() => Chart.getChart(document.getElementById('chart-likert'))")
    state = page.evaluate(CHART_STATE)
    company = state["trend"][0]
    assert company["label"] == "Whole company"
    assert len(company["data"]) == 2 and all(v is not None for v in company["data"])
    for fit in state["labelsFit"]:
        assert fit["widest"] <= fit["axis"] and fit["left"] >= 0, fit
    screenshot(page, "survey-results")
