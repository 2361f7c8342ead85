"""Offers under the candidate's rights (issue 17): the export carries each application's
offers; erasure deletes them (salary and start date are about the person)."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest

from core.roles import Role
from privacy.services import candidate_erase, candidate_export
from recruiting.models import Application, Offer
from recruiting.pipeline import Stage
from recruiting.services.offers import OfferTerms, offer_create, offer_send

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(candidate):
    application = Application.objects.filter(candidate=candidate).get()
    Application.objects.filter(pk=application.pk).update(stage=Stage.OFFER)
    recruiter = UserFactory(roles=[Role.RECRUITER])
    terms = OfferTerms(salary_amount=Decimal("58000.50"), salary_currency="GBP", note="Hybrid")
    return offer_send(
        offer=offer_create(application=application, by=recruiter, terms=terms), by=recruiter
    )


def test_the_export_carries_the_offers(candidate, offer, hr_admin):
    archive = zipfile.ZipFile(io.BytesIO(candidate_export(candidate=candidate, by=hr_admin)))
    data = json.loads(archive.read("candidate.json"))
    (application,) = data["applications"]
    (exported,) = application["offers"]
    assert exported["status"] == "sent"
    assert exported["salary_amount"] == 58000.5 and exported["salary_currency"] == "GBP"
    assert exported["note"] == "Hybrid" and exported["sent_at"]
    assert "created_by" not in exported


def test_erasure_deletes_the_offers(candidate, offer, hr_admin):
    erasure = candidate_erase(candidate=candidate, by=hr_admin, reason="Request 12")
    assert not Offer.objects.filter(pk=offer.pk).exists()
    assert erasure.removed["offers"] == 1
    assert Application.objects.filter(candidate=candidate).exists()  # kept, anonymous


def test_the_privacy_panel_counts_offers_and_other_documents(candidate, offer, hr_admin, client):
    from privacy.selectors import candidate_privacy_summary
    from recruiting.models import CandidateAttachment

    CandidateAttachment.objects.create(
        candidate=candidate,
        kind=CandidateAttachment.Kind.OTHER,
        file="attachments/x.txt",
        original_name="portfolio.txt",
        content_type="text/plain",
        size=3,
    )
    summary = candidate_privacy_summary(candidate)
    assert summary["offers"] == 1 and summary["attachments"] == 1
    assert summary["interviews"] == 0 and summary["emails"] == 0

    client.force_login(hr_admin)
    page = client.get(f"/privacy/candidates/{candidate.pk}/").content.decode()
    assert "0 interviews, 1 offer" in page and "1 other document " in page
