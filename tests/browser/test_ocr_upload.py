"""A recruiter uploads a scanned PDF and a phone photo (PNG) of a resume in Chromium; both are
read by OCR into one scored candidate whose page says so, with the confidence (issue 18)."""

from __future__ import annotations

import pytest

from core.roles import Role
from recruiting.models import FitScore, Resume
from tests import scans

from ..factories import JobFactory, UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scanned_pdf_and_png_become_a_scored_candidate(page, tmp_path):
    from playwright.sync_api import expect

    recruiter = UserFactory(roles=[Role.RECRUITER])
    job = JobFactory(
        title="Front End Engineer",
        description="Front End Engineer. JavaScript, React, HTML and CSS; REST APIs, Git.",
        owner=recruiter,
        required_skills=["JavaScript", "React", "HTML", "CSS"],
    )
    scan, photo = tmp_path / "scan.pdf", tmp_path / "photo.png"
    scan.write_bytes(scans.scanned_pdf())
    photo.write_bytes(scans.scanned_png())
    # The live server runs in this process: load the models now, not inside the upload click.
    from mlcore.parsing.nlp import get_nlp
    from recruiting.services.scoring import get_fit_model

    get_nlp(), get_fit_model()

    login(page, recruiter)
    page.goto(f"/uploads/new/?job={job.pk}")
    page.set_input_files("#files", [str(scan), str(photo)])
    page.get_by_role("button", name="Upload").click(timeout=180_000)
    # upload.js sends the files one by one and shows their status; the batch page lists them.
    expect(page.locator("#upload-summary")).to_contain_text("finished", timeout=180_000)
    page.locator("#upload-batch-link").click()
    progress = page.locator("#upload-progress")
    expect(progress).to_contain_text("2 of 2", timeout=120_000)
    expect(progress).to_contain_text("finished")
    expect(progress).to_contain_text(scans.NAME)

    resume = Resume.objects.filter(original_name="photo.png").get()
    assert resume.parse_status == Resume.ParseStatus.PARSED and resume.ocr_confidence
    assert FitScore.objects.filter(application__job=job, application__candidate=resume.candidate)

    page.goto(f"/candidates/{resume.candidate_id}/")
    expect(page.locator("#candidate-name")).to_have_text(scans.NAME)
    note = page.locator("#resume .ocr-note").first
    expect(note).to_contain_text("Read by OCR (a scan or photo), confidence")
    expect(page.locator("#resume")).to_contain_text("read by OCR, confidence")
    expect(page.locator("main")).to_contain_text(scans.EMAIL)
    screenshot(page, "candidate-ocr")
