"""Offers in Chromium (issue 17): from the candidate page, draft an offer for the application
at the Offer stage, mark it sent, record the candidate's acceptance; a refused draft keeps
what was typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from recruiting.models import Offer
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_send_and_accept_an_offer_from_the_candidate_page(page):
    from playwright.sync_api import expect

    recruiter = UserFactory(roles=[Role.RECRUITER])
    job = JobFactory(title="Platform Engineer", owner=recruiter)
    candidate = CandidateFactory(full_name="Ilse Marrow", email="ilse@example.com")
    application = ApplicationFactory(job=job, candidate=candidate, stage=Stage.OFFER)
    today = timezone.localdate()

    login(page, recruiter)
    page.goto(f"/candidates/{candidate.pk}/")
    offers = page.locator("#offers")
    expect(offers.get_by_role("heading", name="New offer")).to_be_visible()
    # Refused first: an amount without its currency; what was typed stays.
    page.fill("#id_offer-salary_amount", "64000")
    page.fill("#id_offer-salary_currency", "")
    page.fill("#id_offer-note", "Four days in the office")
    offers.get_by_role("button", name="Draft offer").click()
    expect(page.locator("#offers .field-error")).to_contain_text("ISO 4217")
    expect(page.locator("#id_offer-note")).to_have_value("Four days in the office")

    page.fill("#id_offer-salary_currency", "eur")
    page.fill("#id_offer-start_date", f"{today + timedelta(days=45):%Y-%m-%d}")
    page.fill("#id_offer-expires_on", f"{today + timedelta(days=7):%Y-%m-%d}")
    page.locator("#offers").get_by_role("button", name="Draft offer").click()
    expect(page.locator(".messages")).to_contain_text("Offer drafted for Platform Engineer")
    row = page.locator("#offers li.offer")
    expect(row.locator(".offer-status")).to_have_text("Draft")
    expect(row).to_contain_text("64000.00 EUR")

    row.get_by_role("button", name="Mark as sent").click()
    expect(page.locator(".messages")).to_contain_text("Offer marked as sent")
    expect(page.locator("#offers li.offer .offer-status")).to_have_text("Sent")

    page.locator("#offers li.offer").get_by_role("button", name="Candidate accepted").click()
    expect(page.locator(".messages")).to_contain_text("Offer accepted")
    expect(page.locator("#offers li.offer .offer-status")).to_have_text("Accepted")
    expect(page.locator("#offers")).to_contain_text("hire the candidate from the job")
    page.locator("#offers").scroll_into_view_if_needed()
    screenshot(page, "offers")

    offer = Offer.objects.get()
    assert (offer.application_id, offer.status) == (application.pk, Offer.Status.ACCEPTED)
    assert offer.salary_currency == "EUR" and offer.note == "Four days in the office"
    assert offer.sent_at is not None and offer.decided_at is not None
