"""The dashboard's numbers on known data: eNPS, Likert, choices, sentiment, topics, rates."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

import pytest

from hr.analytics import Filters, InvalidFilter, enps_figures, survey_dashboard
from hr.models import Invitation

from ..factories import DepartmentFactory, EmployeeFactory
from .factories import close, respond

pytestmark = pytest.mark.django_db


def dashboard(user, survey, **filters):
    close(survey)  # figures appear once the survey is closed (anonymity rule 4)
    return survey_dashboard(user=user, survey=survey, filters=Filters(**filters))


def question(data, kind):
    return next(q for q in data["questions"] if q["kind"] == kind)


def test_enps_counts_promoters_passives_and_detractors():
    figures = enps_figures(Counter([10, 10, 9, 9, 8, 7, 6, 5, 0, 3]))
    assert (figures["promoters"], figures["passives"], figures["detractors"]) == (4, 2, 4)
    assert figures["score"] == 0
    figures = enps_figures(Counter([10] * 6 + [7] * 2 + [2] * 2))
    assert figures["score"] == 40
    assert figures["promoters_pct"] == 60.0 and figures["detractors_pct"] == 20.0


def test_survey_figures_on_known_answers(hr_admin, survey):
    dept = DepartmentFactory(name="Ops")
    scores = [10, 10, 10, 10, 10, 10, 8, 7, 3, 0]
    likerts = [5, 5, 4, 4, 4, 3, 3, 2, 1, 1]
    choices = ["Pay"] * 5 + ["Growth"] * 3 + ["Workload"] * 2
    for enps, likert, choice in zip(scores, likerts, choices, strict=True):
        respond(survey, dept, enps=enps, likert=likert, choice=choice)
    for n in range(20):
        employee = EmployeeFactory(department=dept)
        Invitation.objects.create(
            survey=survey, employee=employee, token_hash=hashlib.sha256(str(n).encode()).hexdigest()
        )
    data = dashboard(hr_admin, survey)
    assert data["overview"] == {
        "suppressed": False,
        "responses": 10,
        "invited": 20,
        "response_rate": 50.0,
        "enps": 40,
        "net_sentiment": None,
    }
    enps = question(data, "enps")
    assert enps["score"] == 40 and enps["promoters"] == 6 and enps["detractors"] == 2
    assert enps["distribution"]["10"] == 6 and enps["distribution"]["9"] == 0
    likert = question(data, "likert")
    assert likert["distribution"] == {"1": 2, "2": 1, "3": 2, "4": 3, "5": 2}
    assert likert["mean"] == 3.2 and likert["favourable_pct"] == 50.0
    assert question(data, "single_choice")["distribution"] == {
        "Pay": 5,
        "Growth": 3,
        "Workload": 2,
    }


def test_sentiment_and_topics_count_people_once(hr_admin, survey):
    dept = DepartmentFactory(name="Ops")
    for label, topics in [
        ("positive", ["team"]),
        ("positive", ["team", "pay_benefits"]),
        ("positive", ["team"]),
        ("negative", ["pay_benefits", "workload"]),
        ("negative", ["pay_benefits"]),
        ("negative", ["pay_benefits", "team"]),
        ("neutral", ["pay_benefits"]),
        ("neutral", []),
    ]:
        respond(survey, dept, enps=8, text=f"comment about {topics}", label=label, topics=topics)
    data = dashboard(hr_admin, survey)
    sentiment = question(data, "free_text")["sentiment"]
    assert sentiment["distribution"] == {"negative": 3, "neutral": 2, "positive": 3}
    assert sentiment["net"] == 0
    topics = {t["topic"]: t for t in data["topics"]}
    # pay 5 people, team 4; "workload" (1 person) is below the minimum of 3: not listed at all.
    assert [t["topic"] for t in data["topics"]] == ["pay_benefits", "team"]
    assert topics["pay_benefits"]["people"] == 5
    assert topics["pay_benefits"]["net_sentiment"] == round(100 * (1 - 3) / 5)
    assert topics["team"]["net_sentiment"] == round(100 * (3 - 1) / 4)
    assert "workload" not in topics


def test_department_filter_includes_sub_departments(hr_admin, survey):
    eng = DepartmentFactory(name="Engineering")
    backend = DepartmentFactory(name="Backend", parent=eng)
    frontend = DepartmentFactory(name="Frontend", parent=eng)
    sales = DepartmentFactory(name="Sales")
    for dept, n, score in ((backend, 4, 10), (frontend, 3, 0), (sales, 5, 8)):
        for _ in range(n):
            respond(survey, dept, enps=score)
    data = dashboard(hr_admin, survey, department=eng.pk)
    assert data["overview"]["responses"] == 7
    assert question(data, "enps")["promoters"] == 4 and question(data, "enps")["detractors"] == 3
    names = [row["name"] for row in data["breakdown"]]
    assert names == ["Backend", "Frontend"]
    with pytest.raises(InvalidFilter):
        dashboard(hr_admin, survey, department=999999)


def test_trend_by_month_and_period_filter(hr_admin, survey):
    dept = DepartmentFactory(name="Ops")
    for day, label in [(date(2026, 3, 2), "negative")] * 3 + [(date(2026, 4, 7), "positive")] * 4:
        respond(survey, dept, day=day, enps=9, text="fine", label=label)
    data = dashboard(hr_admin, survey)
    assert data["periods"] == ["2026-03-01", "2026-04-01"]
    assert [p["net_sentiment"] for p in data["trend"]["overall"]] == [-100, 100]
    april = dashboard(hr_admin, survey, period=date(2026, 4, 1))
    assert april["overview"]["responses"] == 4
    assert "response_rate" not in april["overview"]  # invitations have no period
    weekly = dashboard(hr_admin, survey, grain="week")
    assert weekly["periods"] == ["2026-03-02", "2026-04-06"]  # Mondays
    with pytest.raises(InvalidFilter):
        dashboard(hr_admin, survey, period=date(2026, 3, 15))


def test_dashboard_json_queries_do_not_grow_with_answers(
    client, hr_admin, survey, django_assert_max_num_queries
):
    depts = [DepartmentFactory(name=f"Team {n}") for n in range(4)]
    client.force_login(hr_admin)
    url = f"/hr/surveys/{survey.pk}/results.json"

    def seed(n):
        for i in range(n):
            respond(
                survey,
                depts[i % 4],
                enps=i % 11,
                likert=1 + i % 5,
                choice="Pay",
                text="Good team",
                label="positive",
                topics=["team"],
            )

    seed(20)
    with django_assert_max_num_queries(14) as small:
        assert client.get(url).status_code == 200
    seed(100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.json()["overview"]["responses"] == 120
