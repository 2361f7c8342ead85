"""People in a real browser: an HR admin builds a department, adds an employee, imports a CSV
(refused whole for one bad row, then accepted) and opens an employee page."""

from __future__ import annotations

import pytest

from core.roles import Role
from hr.models import Department, Employee

from ..factories import UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "full_name,email,hire_date,title,department,manager_email\n"
    "Alan Turing,alan@example.com,2023-09-18,Backend Engineer,Engineering,ada@example.com\n"
    "Grace Hopper,{grace},2022-01-10,Compiler Engineer,Engineering,\n"
    "Edsger Dijkstra,edsger@example.com,2021-05-03,Architect,Engineering,alan@example.com\n"
)


def test_hr_admin_builds_the_org_and_imports_people(page):
    from playwright.sync_api import expect

    hr = UserFactory(roles=[Role.HR_ADMIN], first_name="Hana", last_name="HR")
    login(page, hr)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page.locator("h1")).to_have_text("People")

    # A department.
    page.get_by_role("navigation", name="People").get_by_role("link", name="Departments").click()
    page.get_by_role("link", name="New department").click()
    page.get_by_label("Name").fill("Engineering")
    page.get_by_role("button", name="Create department").click()
    expect(page.locator(".messages")).to_contain_text("Department 'Engineering' created.")
    expect(page.locator("table.dept-tree")).to_contain_text("Engineering")
    screenshot(page, "departments")

    # An employee: a mistake first, then everything typed is still there to fix.
    page.goto("/hr/people/new/")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Work e-mail").fill("ada-at-example.com")
    page.get_by_label("Job title").fill("Head of Engineering")
    page.get_by_label("Department").select_option(label="Engineering")
    page.get_by_label("Hire date").fill("2021-03-01")
    page.get_by_role("button", name="Add employee").click()
    expect(page.locator(".field-email .errorlist")).to_contain_text("is not an e-mail address")
    expect(page.get_by_label("Full name")).to_have_value("Ada Lovelace")
    expect(page.get_by_label("Job title")).to_have_value("Head of Engineering")
    page.get_by_label("Work e-mail").fill("ada@example.com")
    page.get_by_role("button", name="Add employee").click()
    expect(page.locator("h1")).to_contain_text("Ada Lovelace")

    # A 3-row file with one bad row: nothing is imported and the row is named.
    page.goto("/hr/people/import/")
    page.set_input_files(
        "input[type=file]",
        {
            "name": "people.csv",
            "mimeType": "text/csv",
            "buffer": CSV.format(grace="grace(at)example.com").encode(),
        },
    )
    page.get_by_role("button", name="Import").click()
    errors = page.locator(".import-errors")
    expect(errors).to_contain_text("nothing was imported")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr")).to_contain_text("3")
    expect(errors.locator("tbody tr")).to_contain_text("is not an e-mail address")
    assert Employee.objects.count() == 1
    screenshot(page, "people-import-errors")

    # Fixed: all three come in, with their managers.
    page.set_input_files(
        "input[type=file]",
        {
            "name": "people.csv",
            "mimeType": "text/csv",
            "buffer": CSV.format(grace="grace@example.com").encode(),
        },
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messages")).to_contain_text("3 employees imported.")
    expect(page.locator("#people-count")).to_have_text("4 people")
    screenshot(page, "people")

    # The employee page.
    page.get_by_role("link", name="Alan Turing").first.click()
    expect(page.locator("h1")).to_contain_text("Alan Turing")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Backend Engineer")
    expect(page.locator("#department-path")).to_have_text("Engineering")
    expect(facts).to_contain_text("Ada Lovelace")
    expect(page.locator("#tenure")).to_contain_text("year")
    expect(page.locator("#mobility")).to_contain_text("Not available yet")
    expect(page.locator("section").filter(has_text="Direct reports")).to_contain_text(
        "Edsger Dijkstra"
    )
    screenshot(page, "employee")
    assert Department.objects.count() == 1
