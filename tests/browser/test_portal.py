"""The recruiter portal in a real browser: upload, ranking, explanation, candidate page,
permissions, blind screening, job creation and the pipeline board."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.roles import Role
from recruiting import services
from recruiting.models import Application, Job, Resume, Scorecard
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, JobFactory, UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRONT_END = (
    "Front End Engineer. Build user interfaces with JavaScript, React, HTML and CSS; "
    "responsive design, REST APIs, Git."
)


@pytest.fixture
def recruiter_user():
    return UserFactory(roles=[Role.RECRUITER], first_name="Rita", last_name="Recruiter")


def _expect():
    from playwright.sync_api import expect

    return expect


def test_recruiter_uploads_ranks_explains_reviews_and_edits(page, recruiter_user, shared_data):
    expect = _expect()
    job = JobFactory(
        title="Front End Engineer",
        description=FRONT_END,
        owner=recruiter_user,
        required_skills=["JavaScript", "React", "HTML", "CSS"],
    )
    # The live server runs in this process: load the models now, not inside the upload click.
    from mlcore.parsing.nlp import get_nlp
    from recruiting.services.scoring import get_fit_model

    get_nlp(), get_fit_model()
    login(page, recruiter_user)
    expect(page.locator("main")).to_contain_text("Front End Engineer")
    screenshot(page, "home")
    page.goto("/jobs/")
    expect(page.locator("main")).to_contain_text("Front End Engineer")
    screenshot(page, "jobs")

    # Bulk upload to the job; parsing and scoring run in-process in tests.
    page.goto(f"/uploads/new/?job={job.pk}")
    pdfs = shared_data / "resume_files" / "pdf"
    page.set_input_files(
        "#files", [str(pdfs / "barry_allen_fe.pdf"), str(pdfs / "alfred_pennyworth_pm.pdf")]
    )
    screenshot(page, "upload")
    # Tasks run in-process in tests: the answer comes once both files are parsed and scored.
    page.get_by_role("button", name="Upload").click(timeout=180_000)
    # upload.js sends the files one by one and shows their status; the batch page lists them.
    expect(page.locator("#upload-summary")).to_contain_text("finished", timeout=180_000)
    page.locator("#upload-batch-link").click()
    expect(page.locator("#upload-progress")).to_contain_text("2 of 2", timeout=120_000)
    expect(page.locator("#upload-progress")).to_contain_text("finished")
    expect(page.locator("#upload-progress")).to_contain_text("Barry Allen")
    screenshot(page, "upload-progress")

    page.goto("/search/?q=JavaScript")
    expect(page.locator("main")).to_contain_text("Barry Allen")
    screenshot(page, "search")

    # The ranked list: the front-end resume first.
    page.goto(f"/jobs/{job.pk}/ranking/")
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Barry Allen")
    screenshot(page, "ranking")

    # The candidate page and the score's explanation.
    rows.first.get_by_role("link", name="Barry Allen").click()
    expect(page.locator("#candidate-name")).to_have_text("Barry Allen")
    page.get_by_text("Why this score").first.click()
    highlights = page.locator(".explanation .attributions .attr")
    expect(highlights.first).to_be_visible()
    assert highlights.count() > 20
    expect(page.locator("iframe.resume-preview")).to_be_visible()
    screenshot(page, "candidate")

    # An interview scorecard.
    page.locator("#scorecard-add summary").click()
    page.select_option("#id_stage", "interview")
    page.select_option("#id_recommendation", "strong_yes")
    page.fill("#id_ratings", "React: 4\nCommunication: 3")
    page.fill("#id_comment", "Built a design system")
    page.get_by_role("button", name="Add scorecard").click()
    expect(page.locator(".messages")).to_contain_text("Scorecard added.")
    expect(page.locator(".scorecards")).to_contain_text("Strong yes")
    expect(page.locator(".scorecards")).to_contain_text("React: 4/4")
    assert Scorecard.objects.get().comment == "Built a design system"

    # A profile edit is kept and marked as edited by a person.
    page.locator("#profile-edit summary").click()
    page.fill("#id_headline", "Senior front-end engineer")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".messages")).to_contain_text("Profile saved")
    expect(page.locator("#edited-fields")).to_contain_text("headline")
    expect(page.locator(".facts")).to_contain_text("Senior front-end engineer")


def test_invalid_scorecard_keeps_what_was_typed(page, recruiter_user):
    expect = _expect()
    application = ApplicationFactory(job__owner=recruiter_user)
    login(page, recruiter_user)
    page.goto(reverse("recruiting:candidate_detail", args=[application.candidate_id]))
    page.locator("#scorecard-add summary").click()
    page.fill("#id_ratings", "Python: 9")
    page.fill("#id_comment", "A long comment I do not want to type twice")
    page.get_by_role("button", name="Add scorecard").click()
    expect(page.locator(".messages")).to_contain_text("scorecard was not added")
    expect(page.locator("#scorecard-add")).to_contain_text("must be 1–4")
    expect(page.locator("#id_comment")).to_have_value("A long comment I do not want to type twice")


def test_hiring_manager_sees_only_their_jobs(page):
    expect = _expect()
    mine_manager = UserFactory(roles=[Role.HIRING_MANAGER])
    other_manager = UserFactory(roles=[Role.HIRING_MANAGER])
    mine = JobFactory(title="Data Engineer", owner=mine_manager)
    other = JobFactory(title="Head of Legal", owner=other_manager)
    login(page, mine_manager)
    page.goto("/jobs/")
    expect(page.locator("main")).to_contain_text(mine.title)
    expect(page.locator("main")).not_to_contain_text(other.title)
    response = page.goto(f"/jobs/{other.pk}/")
    assert response.status in (403, 404)
    expect(page.locator("main")).not_to_contain_text(other.title)


def test_blind_screening_hides_the_name_until_advanced(page, recruiter_user):
    expect = _expect()
    job = JobFactory(title="Security Analyst", blind_screening=True, owner=recruiter_user)
    application = ApplicationFactory(
        job=job,
        candidate__full_name="Zqelina Vexkyle",
        candidate__summary="She is great at incident response.",
        candidate__headline="Security analyst",
        candidate__skills=["Python", "Splunk", "Incident response"],
        candidate__years_experience=5,
        candidate__experience=[
            {"title": "SOC Analyst", "employer": "Wayne Enterprises", "start": "2019-03"}
        ],
    )
    Resume.objects.create(
        candidate=application.candidate,
        file=ContentFile(b"Zqelina Vexkyle", name="selina.txt"),
        original_name="selina.txt",
        content_type="text/plain",
        size=11,
        sha256="c" * 64,
        parse_status=Resume.ParseStatus.PARSED,
        text="Zqelina Vexkyle\nzqelina@example.com · +1 202 555 0147\nShe led incident response.",
    )
    placeholder = f"Candidate #{application.candidate_id}"
    login(page, recruiter_user)

    page.goto(f"/jobs/{job.pk}/")
    card = page.locator(f"#app-{application.pk}")
    expect(card).to_contain_text(placeholder)
    expect(page.locator("main")).not_to_contain_text("Zqelina")
    page.goto(f"/jobs/{job.pk}/ranking/")
    expect(page.locator("table.table")).to_contain_text(placeholder)
    expect(page.locator("main")).not_to_contain_text("Zqelina")
    page.goto(reverse("recruiting:candidate_detail", args=[application.candidate_id]))
    expect(page.locator("#candidate-name")).to_contain_text(placeholder)
    expect(page.locator("main")).to_contain_text("They is great at incident response.")
    expect(page.locator("#resume")).to_contain_text("They led incident response.")
    expect(page.locator("main")).not_to_contain_text("555")
    screenshot(page, "candidate-blind")

    # Screening keeps it hidden; the interview reveals it.
    services.application_move(application=application, to_stage=Stage.SCREENING, by=recruiter_user)
    page.goto(f"/jobs/{job.pk}/")
    card = page.locator(f"#app-{application.pk}")
    expect(card).to_contain_text(placeholder)
    card.locator("select[name=to_stage]").select_option(Stage.INTERVIEW)
    card.get_by_role("button", name="Move").click()
    expect(page.locator(f"#app-{application.pk}")).to_contain_text("Zqelina Vexkyle")
    assert Application.objects.get(pk=application.pk).stage == Stage.INTERVIEW


def test_explicit_reveal_with_a_reason(page, recruiter_user):
    expect = _expect()
    application = ApplicationFactory(
        job=JobFactory(blind_screening=True), candidate__full_name="Oswald Cobblepot"
    )
    login(page, recruiter_user)
    page.goto(reverse("recruiting:candidate_detail", args=[application.candidate_id]))
    expect(page.locator("main")).not_to_contain_text("Oswald")
    page.get_by_text("Reveal identity (logged with your reason)").click()
    page.fill("#reveal-reason", "Needed for a reference check")
    page.get_by_role("button", name="Reveal identity").click()
    expect(page.locator("#candidate-name")).to_have_text("Oswald Cobblepot")


def test_create_a_job(page, recruiter_user):
    expect = _expect()
    login(page, recruiter_user)
    page.goto("/jobs/new/")
    page.fill("#id_title", "Platform Engineer")
    page.fill("#id_description", "Run Kubernetes and PostgreSQL for the product teams.")
    tags = page.locator("#id_required_skills")
    for skill in ("Kubernetes", "PostgreSQL"):
        tags.fill(skill)
        tags.press("Enter")
    tags.press("Enter")  # once more, on an empty entry: adds nothing, submits nothing
    assert page.url.endswith("/jobs/new/") and not Job.objects.filter(title="Platform Engineer")
    screenshot(page, "job-form")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator("h1")).to_contain_text("Platform Engineer")
    job = Job.objects.get(title="Platform Engineer")
    assert job.status == Job.Status.DRAFT and job.required_skills == ["Kubernetes", "PostgreSQL"]


def test_move_across_the_board_by_drag_and_by_keyboard(page, recruiter_user):
    expect = _expect()
    job = JobFactory(title="Board job", owner=recruiter_user)
    dragged = ApplicationFactory(job=job, candidate__full_name="Dick Grayson")
    keyed = ApplicationFactory(job=job, candidate__full_name="Jason Todd")
    login(page, recruiter_user)
    page.goto(f"/jobs/{job.pk}/")
    screenshot(page, "board")

    # Drag: applied → screening.
    page.drag_and_drop(f"#app-{dragged.pk}", '.column[data-stage="screening"]')
    screening = page.locator('.column[data-stage="screening"]')
    expect(screening.locator(f"#app-{dragged.pk}")).to_be_visible()
    expect(page.locator("#board-status")).to_contain_text("moved to Screening")
    assert Application.objects.get(pk=dragged.pk).stage == Stage.SCREENING

    # Keyboard only: the card's "Move to" list (first choice: the next stage), Tab, Enter.
    select = page.locator(f"#to-{keyed.pk}")
    select.focus()
    expect(select).to_have_value(Stage.SCREENING)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Move"
    page.keyboard.press("Enter")
    expect(screening.locator(f"#app-{keyed.pk}")).to_be_visible()
    assert Application.objects.get(pk=keyed.pk).stage == Stage.SCREENING
    assert re.search("Jason Todd", page.locator("#board-status").inner_text())
