"""A job's own stages in a real browser at 1366×768: add "Technical test", move a card from
Applied straight to Interview, move one back with a reason, and the Move-to choices read in
full."""

from __future__ import annotations

import pytest

from core.roles import Role
from recruiting.models import Application, JobStage, StageEvent
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, JobFactory, UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How much wider than its longest choice a select must be: its padding and the arrow.
SELECT_CHROME_PX = 16

CLIPPED_SELECTS = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const clipped = [];
  for (const select of document.querySelectorAll(".move-row select")) {
    const style = getComputedStyle(select);
    canvas.font = style.font;
    const longest = Math.max(...[...select.options].map(o => canvas.measureText(o.text).width));
    if (select.scrollWidth > select.clientWidth || longest + %d > select.clientWidth) {
      clipped.push([select.id, longest, select.clientWidth, select.scrollWidth]);
    }
  }
  return clipped;
}""".replace("%d", str(SELECT_CHROME_PX))


@pytest.fixture
def small_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 768})
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(120_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_custom_stage_skip_forward_and_back_with_a_reason_at_1366(small_page):
    from playwright.sync_api import expect

    page = small_page
    recruiter = UserFactory(roles=[Role.RECRUITER], first_name="Rita", last_name="Recruiter")
    job = JobFactory(title="Stages job", owner=recruiter)
    strong = ApplicationFactory(job=job, candidate__full_name="Barbara Gordon")
    later = ApplicationFactory(
        job=job, candidate__full_name="Cassandra Cain", stage=Stage.INTERVIEW
    )
    login(page, recruiter)

    # Add "Technical test" (before Offer, the default place) from the job page.
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_role("link", name="Stages").click()
    page.fill("#new-stage-name", "Technical test")
    page.get_by_role("button", name="Add stage").click()
    expect(page.locator("body")).to_contain_text("“Technical test” added.")
    stage = JobStage.objects.get(job=job, custom=True)
    page.get_by_role("link", name="← Back to the board").click()
    column = page.locator(f'.column[data-stage="{stage.key}"]')
    expect(column.locator("h3")).to_contain_text("Technical test")
    screenshot(page, "board-stages")

    # The board scrolls sideways rather than squeezing the columns; choices read in full.
    board = page.locator(".board")
    assert board.evaluate("b => b.scrollWidth > b.clientWidth")
    assert page.evaluate(CLIPPED_SELECTS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366

    # Applied straight to Interview: screening is recorded as skipped.
    page.select_option(f"#to-{strong.pk}", label="Interview")
    page.locator(f"#app-{strong.pk} button", has_text="Move").click()
    interview = page.locator('.column[data-stage="interview"]')
    expect(interview.locator(f"#app-{strong.pk}")).to_be_visible()
    expect(page.locator("#board-status")).to_contain_text("moved to Interview")
    event = StageEvent.objects.filter(application=strong).last()
    assert event is not None and event.skipped_stages == [Stage.SCREENING]

    # Back to Screening: the board asks why before anything moves.
    page.select_option(f"#to-{later.pk}", label="Screening")
    page.locator(f"#app-{later.pk} button", has_text="Move").click()
    dialog = page.locator("#move-reason-dialog")
    expect(dialog).to_be_visible()
    assert Application.objects.get(pk=later.pk).stage == Stage.INTERVIEW
    page.fill("#move-reason-input", "The panel asked for a second screen")
    dialog.get_by_role("button", name="Move").click()
    screening = page.locator('.column[data-stage="screening"]')
    expect(screening.locator(f"#app-{later.pk}")).to_be_visible()
    back = StageEvent.objects.filter(application=later).last()
    assert back is not None and back.note == "The panel asked for a second screen"
    # The custom stage is a move for the cards now, and still reads in full.
    expect(page.locator(f"#to-{strong.pk} option", has_text="Technical test")).to_have_count(1)
    assert page.evaluate(CLIPPED_SELECTS) == []
