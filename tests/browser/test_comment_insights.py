"""Comment insights (issue 19) in a real browser: on the demo survey's dashboard, with the
comments embedded by the real base encoder and flagged by the real phrase lists, an HR admin
sees summaries quoting only groups large enough on their own, the eNPS drivers, a comment
that needs attention (no department or date with it), and the topic x sentiment bubbles."""

from __future__ import annotations

import pytest

from core.roles import Role
from hr.models import Answer
from mlcore.sentiment.attention import attention_flags
from mlcore.sentiment.insights import embed, vector_bytes

from ..factories import UserFactory
from .conftest import login, screenshot
from .test_survey_results import demo_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLAGGED = "The fire exit is blocked with boxes every week and nobody moves them."
# The demo's groups too small to quote over the whole survey: People (3) and Engineering's
# direct members (2), and the siblings hidden with them (Operations, Data).
HIDDEN = ("People", "Operations", "Engineering", "Data")

BUBBLES = """
() => {
  const chart = Chart.getChart(document.getElementById("chart-topic-bubbles"));
  return {
    datasets: chart.data.datasets.map((d) => ({ label: d.label, points: d.data.length })),
    xTicks: chart.scales.x.ticks.map((t) => t.label),
    yTicks: chart.scales.y.ticks.map((t) => t.label),
  };
}
"""


def analyse_for_insights(survey):
    """What hr.services.analysis stores for insights: embeddings and flags, by mlcore."""
    answers = list(Answer.objects.filter(response__survey=survey).exclude(text=""))
    backend = next(a for a in answers if a.response.department.name == "Backend")
    backend.text = FLAGGED
    for answer, vector in zip(answers, embed([a.text for a in answers]), strict=True):
        answer.embedding = vector_bytes(vector)
        answer.attention = attention_flags(answer.text)
        answer.save()
    hidden = {a.text for a in answers if a.response.department.name in HIDDEN}
    return hidden


def test_hr_admin_sees_comment_insights_from_large_enough_groups_only(page):
    from playwright.sync_api import expect

    hr = UserFactory(roles=[Role.HR_ADMIN], first_name="Hana", last_name="HR")
    survey = demo_survey(hr)
    hidden_texts = analyse_for_insights(survey)
    login(page, hr)
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"/hr/surveys/{survey.pk}/results/")

    section = page.locator("#comment-insights")
    expect(section).to_contain_text("Comment insights")
    summaries = section.locator(".insight-summary")
    expect(summaries.first).to_be_visible()
    expect(summaries.first).to_contain_text("What is going well, and what should change?")
    quotes = section.locator(".insight-summary blockquote").all_inner_texts()
    assert len(quotes) >= 3
    assert not set(quotes) & hidden_texts, "a group too small was quoted"

    drivers = page.locator("#enps-drivers tbody tr")
    expect(drivers).to_have_count(3)  # the demo's three agreement questions
    expect(drivers.first).not_to_contain_text("No driver")

    attention = page.locator("#needs-attention")
    expect(attention).to_contain_text(FLAGGED)
    expect(attention).to_contain_text("Health and safety")
    expect(attention).not_to_contain_text("Backend")
    expect(page.locator("#insights-pending")).to_have_count(0)

    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('chart-topic-bubbles'))"
    )
    bubbles = page.evaluate(BUBBLES)
    assert [d["label"] for d in bubbles["datasets"]] == ["negative", "neutral", "positive"]
    assert sum(d["points"] for d in bubbles["datasets"]) >= 2
    assert bubbles["yTicks"] == ["negative", "neutral", "positive"]
    assert bubbles["xTicks"][0] == ["Culture"]  # one tick per topic, named
    screenshot(page, "survey-comment-insights")

    # A department hidden to protect anonymity shows no insight at all.
    people = page.locator("select[name=department] option", has_text="People")
    page.select_option("select[name=department]", people.get_attribute("value"))
    page.click("form.results-filters button[type=submit]")
    expect(page.locator("#comment-insights")).to_contain_text("hidden to protect anonymity")
    expect(page.locator("#needs-attention")).to_have_count(0)
