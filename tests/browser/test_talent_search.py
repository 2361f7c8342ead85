"""Chromium: a recruiter types a plain-language search, sees its filters as chips, removes
one and sees the count change; a search that finds nobody offers filters to remove."""

from __future__ import annotations

import pytest

from core.roles import Role
from recruiting.selectors import fit

from ..factories import CandidateFactory, UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pool():
    fit._POOL_CACHE.clear()  # no stored embeddings here: keywords rank
    for years, location, skills in [
        (6, "London", ["Python", "Django"]),
        (8, "London", ["Python"]),
        (2, "London", ["Python"]),
        (7, "Leeds", ["Python"]),
    ]:
        CandidateFactory(
            headline="Python developer", skills=skills, location=location, years_experience=years
        )


def test_chips_are_read_removed_and_relaxed(page, pool):
    from playwright.sync_api import expect

    recruiter = UserFactory(roles=[Role.RECRUITER])
    login(page, recruiter)
    page.goto("/search/")
    page.locator("#id_q").fill("Python developers in London with 5+ years")
    page.get_by_role("button", name="Search").click()
    chips = page.locator(".chip-list .chip")
    expect(chips).to_have_count(4)
    expect(chips).to_contain_text(["Python", "Developer", "in London", "5+ years"])
    expect(page.locator("#result-count")).to_contain_text("2 candidates found")
    screenshot(page, "talent-search")

    page.get_by_role("link", name="Remove filter 5+ years").click()
    expect(chips).to_have_count(3)
    expect(page.locator("#result-count")).to_contain_text("3 candidates found")
    expect(page.locator("#id_q")).to_have_value("Python developers in London with 5+ years")

    page.locator("#id_q").fill("Python developers in Manchester")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#no-results")).to_contain_text("No candidate matches")
    relax = page.locator("#no-results").get_by_role("link", name="without in Manchester")
    expect(relax).to_be_visible()
    relax.click()
    expect(page.locator("#result-count")).to_contain_text("candidates found")
