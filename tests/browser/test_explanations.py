"""A recruiter reads why a resume got its score: the methods in order of faithfulness, each
named and explained, SHAP and attention computed on request, the words as the resume wrote
them, and the strong words reachable with the keyboard."""

from __future__ import annotations

import pytest

from core.roles import Role
from recruiting import services
from recruiting.models import UploadBatch

from ..factories import JobFactory, UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_candidate_page_offers_explanation_methods_in_order(page, shared_data):
    from playwright.sync_api import expect

    recruiter = UserFactory(roles=[Role.RECRUITER])
    job = JobFactory(
        title="Front End Engineer",
        description="Build user interfaces with JavaScript, React, HTML and CSS; REST APIs.",
        owner=recruiter,
        required_skills=["JavaScript", "React", "HTML", "CSS"],
    )
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.API, job=job)
    name = "barry_allen_fe.pdf"
    data = (shared_data / "resume_files" / "pdf" / name).read_bytes()
    item = services.resume_ingest(batch=batch, data=data, filename=name)
    item.refresh_from_db()

    login(page, recruiter)
    page.goto(f"/candidates/{item.resume.candidate_id}/")
    # The occupation part of the score: what kind of work each side reads as (O*NET).
    kinds = page.locator(".fit .occupations").first
    expect(kinds).to_contain_text("Kind of work")
    expect(kinds.locator(".tag")).to_have_count(6)  # three for the job, three for the resume
    expect(kinds).to_contain_text("Developer")
    page.get_by_text("Why this score").first.click()
    explanation = page.locator(".explanation").first
    headings = explanation.locator(".method h4")
    expect(headings).to_have_text(
        [
            "1. Integrated gradients",
            "2. Word contributions",
            "3. SHAP",
            "4. Attention: where the model looked",
        ]
    )
    expect(explanation.locator(".method-attention .method-meaning")).to_contain_text("not why")
    # The resume's own words and casing: no lower-cased word pieces.
    resume = explanation.locator('.attributions[data-method="attributions"][data-side="resume"]')
    expect(resume).to_contain_text("JavaScript")
    expect(explanation.locator(".legend").first).to_contain_text("pulled it down")

    # SHAP and attention on request (the task runs in-process in tests).
    explanation.get_by_role("button", name="Compute SHAP").click(timeout=180_000)
    page.get_by_text("Why this score").first.click()
    shap = page.locator('.attributions[data-method="shap"]')
    expect(shap.locator("mark.attr").first).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Compute Attention: where the model looked").click()
    page.get_by_text("Why this score").first.click()
    looked = page.locator('.attributions[data-method="attention"][data-side="resume"]')
    expect(looked.locator("mark.attr-looked").first).to_be_visible()
    assert looked.locator('mark[data-sign="down"]').count() == 0  # attention has no sign

    # Keyboard: Tab from the resume box reaches a strong word, which says its weight.
    resume.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.title]")
    assert focused[0] == "MARK" and ("raised" in focused[1] or "lowered" in focused[1])
    screenshot(page, "candidate-explanations")
