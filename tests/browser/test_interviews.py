"""Interviews and candidate e-mail in Chromium: from the board, schedule an interview (the
invitations go out with their .ics), reschedule it, cancel it, then reject the candidate
with a standard reason after previewing the rejection e-mail."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from core.roles import Role
from recruiting.models import Application, Interview
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed() -> None:
    """Transactional tests start with empty tables: seed what migration 0015 seeds."""
    migration = importlib.import_module("recruiting.migrations.0015_interviews_emails")
    migration.seed(apps, None)


def _ics(message) -> str:
    (attachment,) = [a for a in message.attachments if a[0] == "invite.ics"]
    return str(attachment[1])


def test_schedule_reschedule_cancel_then_reject_with_a_reason(page):
    from playwright.sync_api import expect

    _seed()
    recruiter = UserFactory(roles=[Role.RECRUITER], first_name="Rita", last_name="Recruiter")
    manager = UserFactory(roles=[Role.HIRING_MANAGER], first_name="Hana", last_name="Manager")
    job = JobFactory(title="Platform Engineer", owner=recruiter)
    job.hiring_team.add(manager)
    candidate = CandidateFactory(full_name="Zqelina Vexkyle", email="zqelina@example.com")
    application = ApplicationFactory(job=job, candidate=candidate, stage=Stage.INTERVIEW)
    day = (timezone.now() + timedelta(days=10)).date()

    login(page, recruiter)
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_role("link", name="Interviews, e-mail, reject (Zqelina Vexkyle)").click()
    expect(page.get_by_role("heading", name="Schedule an interview")).to_be_visible()
    page.fill("#id_starts_at", f"{day:%Y-%m-%d}T10:00")
    page.select_option("#id_time_zone", "Europe/Paris")
    page.fill("#id_duration_minutes", "45")
    page.get_by_label("Hana Manager").check()
    page.fill("#id_location", "Room 4, 12 rue de la Paix")
    page.get_by_role("button", name="Schedule and send invitations").click()

    expect(page.locator(".messages")).to_contain_text("Interview scheduled")
    emails = page.locator("#interview-emails")
    expect(emails).to_contain_text("zqelina@example.com")
    expect(emails.locator(".email-status")).to_have_text(["Sent", "Sent"])
    screenshot(page, "interview")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["zqelina@example.com", manager.email])
    interview = Interview.objects.get()
    invitation = _ics(mail.outbox[0])
    assert "METHOD:REQUEST" in invitation and f"UID:{interview.uid}@smarthr" in invitation
    assert f"DTSTART;TZID=Europe/Paris:{day:%Y%m%d}T100000" in invitation

    # Reschedule: an hour later, the same event with SEQUENCE 1.
    page.fill("#id_starts_at", f"{day:%Y-%m-%d}T11:00")
    page.get_by_role("button", name="Reschedule and send updates").click()
    expect(page.locator(".messages")).to_contain_text("Interview rescheduled")
    expect(page.locator(".interview-facts")).to_contain_text("11:00")
    update = _ics(mail.outbox[-1])
    assert "SEQUENCE:1" in update and f"UID:{interview.uid}@smarthr" in update
    assert f"DTSTART;TZID=Europe/Paris:{day:%Y%m%d}T110000" in update

    # Cancel: everyone gets METHOD:CANCEL for the same UID.
    page.fill("#id_reason", "The role's scope changed")
    page.get_by_role("button", name="Cancel interview and tell everyone").click()
    expect(page.locator(".interview-status")).to_contain_text("Cancelled")
    cancellations = [_ics(m) for m in mail.outbox[-2:]]
    assert all("METHOD:CANCEL" in c and "SEQUENCE:2" in c for c in cancellations)
    assert all(f"UID:{interview.uid}@smarthr" in c for c in cancellations)

    # Reject with a standard reason, after previewing the rejection e-mail.
    page.get_by_role("link", name="All interviews of this application").click()
    page.get_by_role("link", name="Reject with a reason").click()
    page.select_option("#id_category", label="Not enough relevant experience")
    page.fill("#id_details", "Needs more Kubernetes")
    page.select_option("#id_template", label="Rejection")
    sent_before = len(mail.outbox)
    page.get_by_role("button", name="Preview the e-mail").click()
    preview = page.locator("#email-preview")
    expect(preview).to_contain_text("Dear Zqelina Vexkyle")
    expect(preview.locator("#preview-subject")).to_have_text(
        "Your application for Platform Engineer"
    )
    screenshot(page, "rejection-preview")
    assert len(mail.outbox) == sent_before  # a preview sends nothing
    page.get_by_role("button", name="Reject", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "Application rejected (Not enough relevant experience) and the rejection e-mail"
    )
    application = Application.objects.get(pk=application.pk)
    assert application.stage == Stage.REJECTED
    assert application.rejection_category.code == "experience"
    assert mail.outbox[-1].subject == "Your application for Platform Engineer"
    assert "Kubernetes" not in mail.outbox[-1].body

    # The candidate's page shows the e-mails sent to them.
    page.goto(f"/candidates/{candidate.pk}/")
    timeline = page.locator("#emails")
    expect(timeline).to_contain_text("Your application for Platform Engineer")
    expect(timeline).to_contain_text("Interview cancelled")
