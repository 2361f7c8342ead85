"""Offers on the candidate page (issue 17): draft, send, record the answer, withdraw; a
refused draft keeps what was typed with the message by its field; the hiring team sees
offers without the buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from recruiting.models import Offer
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(recruiter):
    job = JobFactory(owner=recruiter, title="Data Engineer")
    candidate = CandidateFactory(full_name="Ilse Marrow")
    return ApplicationFactory(job=job, candidate=candidate, stage=Stage.OFFER)


def _page(client, application):
    return client.get(reverse("recruiting:candidate_detail", args=[application.candidate_id]))


def _draft(client, application, **changes):
    data = {
        "application": application.pk,
        "salary_amount": "61000",
        "salary_currency": "eur",
        "start_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "expires_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "note": "Hybrid, Berlin office",
    }
    data.update(changes)
    url = reverse("recruiting:offer_create", args=[application.candidate_id])
    return client.post(url, {f"offer-{name}": value for name, value in data.items()})


def test_draft_send_and_accept_from_the_candidate_page(client, recruiter, application):
    client.force_login(recruiter)
    page = _page(client, application)
    assert page.status_code == 200 and b"New offer" in page.content
    response = _draft(client, application)
    assert response.status_code == 302 and response["Location"].endswith("#offers")
    offer = Offer.objects.get()
    assert (offer.status, offer.salary_currency) == ("draft", "EUR")
    page = _page(client, application).content.decode()
    assert "61000.00 EUR" in page and "Mark as sent" in page and "New offer" not in page
    for action, status in (("send", "sent"), ("accept", "accepted")):
        done = client.post(reverse("recruiting:offer_step", args=[offer.pk, action]))
        assert done.status_code == 302
        offer.refresh_from_db()
        assert offer.status == status
    page = _page(client, application).content.decode()
    assert "Offer accepted: you can now hire the candidate." in page
    assert "hire the candidate from the job" in page and "New offer" not in page


def test_a_refused_draft_keeps_what_was_typed(client, recruiter, application):
    client.force_login(recruiter)
    response = _draft(client, application, salary_currency="", note="Keep this note")
    assert response.status_code == 400
    body = response.content.decode()
    assert "three-letter ISO 4217 code" in body and "Keep this note" in body
    assert not Offer.objects.exists()


def test_a_refused_step_says_why(client, recruiter, application):
    client.force_login(recruiter)
    _draft(client, application)
    offer = Offer.objects.get()
    response = client.post(reverse("recruiting:offer_step", args=[offer.pk, "accept"]), follow=True)
    assert "only a sent offer can be accepted" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == "draft"


def test_the_hiring_team_sees_offers_without_buttons(client, recruiter, application):
    client.force_login(recruiter)
    _draft(client, application)
    manager = UserFactory(roles=[Role.HIRING_MANAGER])
    application.job.hiring_team.add(manager)
    client.force_login(manager)
    page = _page(client, application).content.decode()
    assert "61000.00 EUR" in page and "Mark as sent" not in page and "New offer" not in page
    offer = Offer.objects.get()
    refused = client.post(reverse("recruiting:offer_step", args=[offer.pk, "send"]))
    assert refused.status_code == 403
    outsider = UserFactory(roles=[Role.HIRING_MANAGER])
    client.force_login(outsider)
    assert client.post(reverse("recruiting:offer_step", args=[offer.pk, "send"])).status_code == 404


def test_no_form_before_the_offer_stage(client, recruiter):
    client.force_login(recruiter)
    application = ApplicationFactory(
        job=JobFactory(owner=recruiter), candidate=CandidateFactory(), stage=Stage.INTERVIEW
    )
    page = _page(client, application).content.decode()
    assert "New offer" not in page and "once an application is at the Offer stage" in page
    refused = _draft(client, application)
    assert refused.status_code == 400 and not Offer.objects.exists()
