"""The results dashboard of issue 19: the group's own trend line, hidden series in words,
example comments from groups large enough, and a truthful demo response rate."""

from __future__ import annotations

from datetime import date

import pytest

from demo.survey import demo_survey_seed
from hr.analytics import Filters, survey_dashboard
from hr.models import Answer, Employee, Invitation

from ..factories import DepartmentFactory
from .factories import QuestionFactory, SurveyFactory, close, respond

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = date(2026, 10, 5), date(2026, 11, 9)


def closed_survey(k: int = 5):
    survey = SurveyFactory(min_group_size=k)
    QuestionFactory(survey=survey, kind="enps", text="Recommend us?")
    QuestionFactory(survey=survey, kind="free_text", text="Anything else?")
    return survey


def test_the_company_line_is_drawn_when_every_department_is_hidden_per_month(hr_admin):
    """Four departments of 3-4 people over two months: no department-month reaches 5, the
    company does; the company's series has numbers and the hidden ones are named."""
    survey = closed_survey()
    depts = [DepartmentFactory(name=name) for name in ("Sales", "Support", "Legal", "Design")]
    for n, dept in enumerate(depts):
        for i in range(3 + n % 2):
            day = OCTOBER if i % 2 == 0 else NOVEMBER
            respond(survey, dept, day=day, enps=8, text=f"comment {n} {i}", label="positive")
    close(survey)
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    trend = data["trend"]
    assert trend["name"] == "Whole company"
    assert [p["suppressed"] for p in trend["overall"]] == [False, False]
    assert all(p["net_sentiment"] == 100 for p in trend["overall"])
    assert all(v["suppressed"] for s in trend["by_department"] for v in s["values"])
    assert sorted(trend["hidden_series"]) == ["Design", "Legal", "Sales", "Support"]
    assert trend["partly_hidden_series"] == []


def test_the_page_names_the_hidden_series_in_words(client, hr_admin):
    survey = closed_survey()
    for name in ("Sales", "Support"):
        dept = DepartmentFactory(name=name)
        for i in range(3):
            respond(survey, dept, day=OCTOBER, enps=8, text=f"{name} {i}", label="positive")
    close(survey)
    client.force_login(hr_admin)
    page = client.get(f"/hr/surveys/{survey.pk}/results/").content.decode()
    note = page[page.index('id="trend-note"') :]
    note = note[: note.index("</p>")]
    assert "The thick line: Whole company." in note
    assert "Not drawn, to protect anonymity" in note and "Sales, Support" in note


def test_a_group_of_six_over_two_months_is_quoted_for_the_whole_survey(hr_admin):
    """Six comments in Backend, four in October and two in November: its month cells are
    hidden, its whole-survey group of 6 >= 5 is not, so its comments are examples; the October
    view, where Backend's cell is hidden, quotes only Ops (5 in October)."""
    survey = closed_survey()
    backend, sales, ops = (DepartmentFactory(name=n) for n in ("Backend", "Sales", "Ops"))
    for i in range(6):
        day = OCTOBER if i < 4 else NOVEMBER
        respond(survey, backend, day=day, enps=9, text=f"backend {i}", label="positive")
    for i in range(6):
        day = OCTOBER if i < 3 else NOVEMBER
        respond(survey, sales, day=day, enps=9, text=f"sales {i}", label="negative")
    for i in range(5):
        respond(survey, ops, day=OCTOBER, enps=9, text=f"ops {i}", label="neutral")
    close(survey)

    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    texts = {c["text"].split()[0] for c in data["comments"]}
    assert texts == {"backend", "sales", "ops"}
    assert len(data["comments"]) == 9  # three per label
    only_backend = survey_dashboard(
        user=hr_admin, survey=survey, filters=Filters(department=backend.pk)
    )
    assert [c["label"] for c in only_backend["comments"]] == ["positive"] * 3

    october = survey_dashboard(
        user=hr_admin, survey=survey, filters=Filters(period=OCTOBER.replace(day=1))
    )
    assert {c["text"].split()[0] for c in october["comments"]} == {"ops"}


def test_a_group_below_the_minimum_is_never_quoted(hr_admin):
    survey = closed_survey()
    big, small = DepartmentFactory(name="Big"), DepartmentFactory(name="Small")
    for i in range(7):
        respond(survey, big, day=OCTOBER, enps=9, text=f"big {i}", label="positive")
    for i in range(4):
        respond(survey, small, day=OCTOBER, enps=9, text=f"small {i}", label="positive")
    close(survey)
    for filters in (Filters(), Filters(department=small.pk), Filters(period=date(2026, 10, 1))):
        data = survey_dashboard(user=hr_admin, survey=survey, filters=filters)
        assert not [c for c in data["comments"] if c["text"].startswith("small")]


DEMO_TREE = {
    "Engineering": ("Backend", "Frontend", "Data"),
    None: ("Product", "Operations", "People"),
}


def demo_departments():
    eng = DepartmentFactory(name="Engineering")
    for name in ("Backend", "Frontend", "Data"):
        DepartmentFactory(name=name, parent=eng)
    for name in ("Product", "Operations", "People"):
        DepartmentFactory(name=name)
    return eng


def test_the_demo_survey_invites_the_whole_demo_company(hr_admin):
    demo_departments()
    survey = demo_survey_seed(by=hr_admin, analyze=False)
    assert Employee.objects.filter(status=Employee.Status.ACTIVE).count() == 46
    assert Invitation.objects.filter(survey=survey).count() == 46
    assert Invitation.objects.filter(survey=survey, used=True).count() == 40
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert data["overview"]["responses"] == 40 and data["overview"]["invited"] == 46
    assert data["overview"]["response_rate"] == 87.0
    for row in data["breakdown"]:
        if not row["suppressed"]:
            assert row["responses"] <= row["invited"], row
    # A second seed changes nothing.
    demo_survey_seed(by=hr_admin, analyze=False)
    assert Employee.objects.count() == 46 and Invitation.objects.count() == 46


def test_the_demo_dashboard_quotes_comments_and_draws_the_company_line(hr_admin):
    demo_departments()
    survey = demo_survey_seed(by=hr_admin, analyze=False)
    for answer in Answer.objects.filter(response__survey=survey).exclude(text=""):
        label = "negative" if "not" in answer.text or "never" in answer.text else "positive"
        answer.sentiment_label = label
        answer.sentiment_probs = {"negative": 0.1, "neutral": 0.1, "positive": 0.1, label: 0.8}
        answer.model_version = "test-data"
        answer.save()
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert len(data["comments"]) == 6  # three per label present
    assert all(
        not p["suppressed"] and p["net_sentiment"] is not None for p in data["trend"]["overall"]
    )
    assert data["trend"]["hidden_series"]  # every department-month of the demo is too small
