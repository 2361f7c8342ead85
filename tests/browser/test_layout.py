"""Layout a recruiter on a 1366 px laptop sees: board columns wide enough to read the "Move
to" choices, and the jobs list's actions inside their rows."""

from __future__ import annotations

import pytest

from core.roles import Role

from ..factories import ApplicationFactory, JobFactory, UserFactory
from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    return page


def test_board_columns_and_job_actions_fit_a_laptop(laptop):
    recruiter = UserFactory(roles=[Role.RECRUITER])
    job = JobFactory(title="Layout job", owner=recruiter)
    application = ApplicationFactory(job=job)
    login(laptop, recruiter)

    laptop.goto(f"/jobs/{job.pk}/")
    widths = laptop.eval_on_selector_all(
        ".board .column", "cols => cols.map(c => c.getBoundingClientRect().width)"
    )
    assert len(widths) == 7 and min(widths) >= 200, widths
    select = laptop.locator(f"#to-{application.pk}")
    # The chosen option's label is not cut: the select is wider than its text needs.
    assert laptop.evaluate("s => s.scrollWidth <= s.clientWidth + 1", select.element_handle())

    laptop.goto("/jobs/")
    row, cell = laptop.locator("table tbody tr").first, laptop.locator("td.row-actions").first
    row_box, cell_box = row.bounding_box(), cell.bounding_box()
    assert row_box["y"] - 1 <= cell_box["y"]
    assert cell_box["y"] + cell_box["height"] <= row_box["y"] + row_box["height"] + 1
