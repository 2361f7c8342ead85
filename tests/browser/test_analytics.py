"""Recruiting analytics in a real browser: a hiring manager opens the page from the nav, the
four charts are drawn by Chart.js from the page's json_script (no console error, no CSP
violation), and changing the period redraws the figures for the applications in it."""

from __future__ import annotations

import pytest

from core.roles import Role

from ..factories import JobFactory, UserFactory
from ..recruiting.analytics_data import LEAK_NAME, six_applications
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ["chart-funnel", "chart-time", "chart-sources", "chart-reasons"]
DRAWN = """
(ids) => ids.map((id) => {
  const el = document.getElementById(id);
  const chart = el && Chart.getChart(el);
  return chart ? chart.data.datasets[0].data.length : -1;
})
"""


def test_a_manager_sees_the_charts_and_changes_the_period(page):
    from playwright.sync_api import expect

    manager = UserFactory(roles=[Role.HIRING_MANAGER])
    job = JobFactory(title="Data Engineer", owner=manager)
    six_applications(job)
    JobFactory(title="Office Manager")  # not theirs
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    login(page, manager)
    page.emulate_media(reduced_motion="reduce")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Analytics").click()
    expect(page.locator("h1")).to_have_text("Recruiting analytics")
    expect(page.locator("#kpi-applications")).to_have_text("6")
    page.wait_for_function("() => typeof Chart !== 'undefined'")
    page.wait_for_function(
        f"() => {CHARTS!r}.every((id) => Chart.getChart(document.getElementById(id)))"
    )
    # Five stages in the funnel, four with a median, three sources, two kinds of reason.
    assert page.evaluate(DRAWN, CHARTS) == [5, 4, 3, 2]
    assert page.locator("canvas").count() == 4
    expect(page.locator("#f-job option")).to_have_count(2)  # "All my jobs" and theirs
    assert LEAK_NAME not in page.content()
    screenshot(page, "recruiting-analytics")

    # Applied on 3 or 4 March: a3, a4 and a5 (one hire, one rejection, one in screening).
    page.fill("#f-since", "2026-03-03")
    page.fill("#f-until", "2026-03-04")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**since=2026-03-03**")
    expect(page.locator("#kpi-applications")).to_have_text("3")
    expect(page.locator("#kpi-hires")).to_have_text("1")
    page.wait_for_function(
        f"() => {CHARTS!r}.every((id) => Chart.getChart(document.getElementById(id)))"
    )
    assert page.evaluate(DRAWN, CHARTS) == [5, 4, 2, 1]
    href = page.locator("#analytics-csv").get_attribute("href")
    assert "since=2026-03-03" in href and "until=2026-03-04" in href
    assert errors == []
