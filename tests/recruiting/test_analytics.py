"""Recruiting analytics (issue 20): the figures on a hand-built history, the filters, the roles,
the page, its CSV and its query budget. The fixture is analytics_data.six_applications."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from recruiting.pipeline import Stage
from recruiting.selectors.analytics import (
    AnalyticsFilters,
    InvalidAnalyticsFilter,
    analytics_filters,
    recruiting_analytics,
)

from ..factories import JobFactory, UserFactory
from .analytics_data import LEAK_NAME, T0, journey, reason, six_applications

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(recruiter, hiring_manager):
    job = JobFactory(title="Data Engineer", owner=recruiter)
    job.hiring_team.add(hiring_manager)
    six_applications(job)
    return job


@pytest.fixture
def other_job():
    """Someone else's job: one hire, applied on day 20."""
    other = JobFactory(title="Office Manager")
    journey(
        other,
        source="Indeed",
        applied=20,
        steps=[(Stage.SCREENING, 21), (Stage.OFFER, 22), (Stage.HIRED, 30)],
    )
    return other


def _stages(result):
    return {s["stage"]: s for s in result["stages"]}


def test_pass_through_and_median_days_in_stage(recruiter, job):
    result = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=job))
    stages = _stages(result)
    assert result["applications"] == 6
    assert (result["hires"], result["rejected"], result["withdrawn"]) == (2, 2, 1)
    reached = {s: stages[s]["reached"] for s in stages}
    assert reached == {"applied": 6, "screening": 5, "interview": 3, "offer": 3, "hired": 2}
    # a4 skipped screening: it passed through it.
    pass_through = {s: stages[s]["pass_through_pct"] for s in stages}
    assert pass_through == {
        "applied": 83.3,
        "screening": 60.0,
        "interview": 100.0,
        "offer": 66.7,
        "hired": None,
    }
    # Finished stays only: applied 2,4,1,2,1,1; screening 3,4,1 (a5 still there);
    # interview 5,4,3; offer 4,1,3.
    medians = {s: stages[s]["median_days_in_stage"] for s in stages}
    assert medians == {
        "applied": 1.5,
        "screening": 3.0,
        "interview": 4.0,
        "offer": 3.0,
        "hired": None,
    }
    assert [stages[s]["stays"] for s in ("applied", "screening", "interview", "offer")] == [
        6,
        3,
        3,
        3,
    ]
    assert stages["screening"]["in_stage_now"] == 1 and stages["hired"]["in_stage_now"] == 2


def test_time_to_hire_and_offer_acceptance(recruiter, job):
    result = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=job))
    # a1: day 0 → 14; a4: day 1 → 9.
    assert result["time_to_hire"] == {
        "hires": 2,
        "median_days": 11.0,
        "mean_days": 11.0,
        "min_days": 8.0,
        "max_days": 14.0,
    }
    # a1, a4 accepted; a2 withdrew from the offer (declined).
    assert result["offers"] == {
        "extended": 3,
        "accepted": 2,
        "declined": 1,
        "pending": 0,
        "other": 0,
        "acceptance_pct": 66.7,
    }


def test_offer_declined_pending_and_ended_otherwise(recruiter):
    job = JobFactory(owner=recruiter)
    S = Stage
    journey(
        job,
        source="x",
        applied=0,
        steps=[(S.OFFER, 1), (S.REJECTED, 2)],
        category="candidate_declined",
    )
    journey(
        job, source="x", applied=0, steps=[(S.OFFER, 1), (S.REJECTED, 2)], category="compensation"
    )
    journey(job, source="x", applied=0, steps=[(S.OFFER, 1), (S.INTERVIEW, 2)])  # moved back
    journey(job, source="x", applied=0, steps=[(S.INTERVIEW, 1), (S.OFFER, 2)])  # waiting
    offers = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=job))["offers"]
    assert offers == {
        "extended": 4,
        "accepted": 0,
        "declined": 1,
        "pending": 1,
        "other": 2,
        "acceptance_pct": 0.0,
    }


def test_source_effectiveness_and_rejection_reasons(recruiter, job):
    result = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=job))
    sources = {s["source"]: s for s in result["sources"]}
    assert [s["source"] for s in result["sources"]] == ["LinkedIn", "Referral", "Job board"]
    assert sources["LinkedIn"] == {
        "source": "LinkedIn",
        "applications": 3,
        "reached_screening": 2,
        "reached_interview": 2,
        "offers": 2,
        "hires": 1,
        "interview_pct": 66.7,
        "hire_pct": 33.3,
    }
    assert (sources["Referral"]["reached_screening"], sources["Referral"]["hire_pct"]) == (2, 50.0)
    # a5 has no source of its own: the candidate's is used.
    assert sources["Job board"]["applications"] == 1 and sources["Job board"]["hires"] == 0
    assert result["rejection_reasons"] == [
        {"code": "skills", "label": reason("skills").label, "count": 1, "share_pct": 50.0},
        {"code": "", "label": "No standard reason", "count": 1, "share_pct": 50.0},
    ]
    [row] = result["jobs"]
    assert row == {
        "job": job.pk,
        "title": "Data Engineer",
        "status": "open",
        "applications": 6,
        "hires": 2,
        "hire_pct": 33.3,
        "median_days_to_hire": 11.0,
        "offer_acceptance_pct": 66.7,
    }


def test_period_and_source_filters(recruiter, job, other_job):
    everything = recruiting_analytics(user=recruiter, filters=AnalyticsFilters())
    assert everything["applications"] == 7
    assert [j["title"] for j in everything["jobs"]] == ["Data Engineer", "Office Manager"]
    # Applied on day 1 or 2: a3, a4, a5.
    day = T0.date()
    period = analytics_filters(since=day + timedelta(days=1), until=day + timedelta(days=2))
    result = recruiting_analytics(user=recruiter, filters=period)
    assert result["applications"] == 3 and result["hires"] == 1
    assert result["filters"] == {
        "job": None,
        "since": "2026-03-03",
        "until": "2026-03-04",
        "source": None,
    }
    linkedin = recruiting_analytics(user=recruiter, filters=analytics_filters(source=" LinkedIn "))
    assert linkedin["applications"] == 3 and linkedin["filters"]["source"] == "LinkedIn"
    by_candidate = recruiting_analytics(
        user=recruiter, filters=analytics_filters(source="Job board")
    )
    assert by_candidate["applications"] == 1
    nothing = recruiting_analytics(user=recruiter, filters=analytics_filters(source="Fax"))
    assert nothing["applications"] == 0 and nothing["time_to_hire"]["median_days"] is None
    assert all(s["pass_through_pct"] is None for s in nothing["stages"])


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(InvalidAnalyticsFilter, match="ends before it starts"):
        analytics_filters(since=date(2026, 3, 5), until=date(2026, 3, 4))


def test_a_hiring_manager_counts_only_their_jobs(hiring_manager, job, other_job):
    result = recruiting_analytics(user=hiring_manager, filters=AnalyticsFilters())
    assert result["applications"] == 6
    assert [j["job"] for j in result["jobs"]] == [job.pk]
    assert "Indeed" not in {s["source"] for s in result["sources"]}


def test_no_portal_role_counts_nothing(no_role_user, job):
    assert recruiting_analytics(user=no_role_user, filters=AnalyticsFilters())["applications"] == 0


# --- the page and the CSV ------------------------------------------------------------------


def test_the_page_shows_the_figures_and_no_candidate(client, recruiter, job):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:analytics"), {"job": job.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="analytics-data"' in html and 'id="chart-funnel"' in html
    assert "66.7%" in html and "Data Engineer" in html
    assert LEAK_NAME not in html
    assert "<script>" not in html.replace('<script id="analytics-data"', "")  # CSP: no inline JS
    assert reverse("recruiting:analytics") in html  # in the nav


def test_the_page_refuses_a_backwards_period_with_a_message(client, recruiter, job):
    client.force_login(recruiter)
    response = client.get(
        reverse("recruiting:analytics"), {"since": "2026-03-05", "until": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    bad = client.get(reverse("recruiting:analytics"), {"since": "yesterday"})
    assert bad.status_code == 400 and "Enter a valid date." in bad.content.decode()


def test_a_manager_gets_404_for_another_job_and_no_role_403(
    client, hiring_manager, no_role_user, job, other_job
):
    client.force_login(hiring_manager)
    assert client.get(reverse("recruiting:analytics"), {"job": other_job.pk}).status_code == 404
    assert client.get(reverse("recruiting:analytics_csv"), {"job": other_job.pk}).status_code == 404
    page = client.get(reverse("recruiting:analytics")).content.decode()
    assert "Data Engineer" in page and "Office Manager" not in page and "Indeed" not in page
    client.force_login(no_role_user)
    assert client.get(reverse("recruiting:analytics")).status_code == 403


def test_the_csv_has_every_figure(client, recruiter, job):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:analytics_csv"), {"job": job.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert LEAK_NAME not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "item", "metric", "value"]
    cells = {(r[0], r[1], r[2]): r[3] for r in rows[1:]}
    assert cells[("filters", "", "job")] == str(job.pk)
    assert cells[("stage", "screening", "pass_through_pct")] == "60.0"
    assert cells[("stage", "hired", "pass_through_pct")] == ""
    assert cells[("time_to_hire", "", "median_days")] == "11.0"
    assert cells[("offers", "", "acceptance_pct")] == "66.7"
    assert cells[("source", "LinkedIn", "hires")] == "1"
    assert cells[("rejection_reason", "none", "count")] == "1"
    assert cells[("job", str(job.pk), "title")] == "Data Engineer"


def test_the_csv_does_not_run_a_typed_formula(client, recruiter):
    job = JobFactory(title="=HYPERLINK(1)", owner=recruiter)
    journey(job, source="+cmd", applied=0, steps=[])
    client.force_login(recruiter)
    text = client.get(reverse("recruiting:analytics_csv")).content.decode()
    assert "'=HYPERLINK(1)" in text and "'+cmd" in text


def test_the_csv_refuses_bad_filters(client, recruiter):
    client.force_login(recruiter)
    response = client.get(
        reverse("recruiting:analytics_csv"), {"since": "2026-03-05", "until": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("recruiting:analytics")).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_applications(client, django_assert_max_num_queries):
    manager = UserFactory(roles=[Role.HIRING_MANAGER])
    client.force_login(manager)
    job = JobFactory(owner=manager)
    six_applications(job)
    few = _page_queries(client)
    for n in range(3):
        more = JobFactory(owner=manager)
        six_applications(more)
        journey(more, source=f"Fair {n}", applied=5, steps=[(Stage.OFFER, 6), (Stage.HIRED, 7)])
    assert _page_queries(client) == few
    # session, user, roles, job choices, sources, applications, events
    with django_assert_max_num_queries(8):
        client.get(reverse("recruiting:analytics"))


def test_a_jobs_own_stage_is_measured_when_that_job_is_chosen(recruiter):
    from recruiting import services

    job = JobFactory(owner=recruiter)
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    S = Stage
    journey(job, source="x", applied=0, steps=[(S.INTERVIEW, 1), (test.key, 3), (S.OFFER, 7)])
    journey(job, source="x", applied=0, steps=[(S.INTERVIEW, 2), (test.key, 3), (S.REJECTED, 4)])
    journey(job, source="x", applied=0, steps=[(S.INTERVIEW, 2), (S.OFFER, 5)])  # skipped it
    one_job = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=job))
    stages = _stages(one_job)
    assert list(stages) == ["applied", "screening", "interview", test.key, "offer", "hired"]
    assert stages[test.key]["label"] == "Technical test"
    assert (stages[test.key]["reached"], stages[test.key]["moved_on"]) == (3, 2)
    assert stages[test.key]["median_days_in_stage"] == 2.5  # 4 and 1 days
    assert stages["interview"]["median_days_in_stage"] == 2.0  # 2, 1 and 3 days
    # Across jobs the default stages are shown; the job's own is passed over.
    overall = _stages(recruiting_analytics(user=recruiter, filters=AnalyticsFilters()))
    assert list(overall) == ["applied", "screening", "interview", "offer", "hired"]
    assert overall["interview"]["reached"] == 3 and overall["offer"]["reached"] == 2
