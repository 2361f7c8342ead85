"""Offer acceptance from Offer rows (issue 17): an application with sent offers counts each
of them; one without falls back to the Offer stage (docs/portal.md, "Recruiting analytics")."""

from __future__ import annotations

import pytest
from django.utils import timezone

from recruiting.models import Offer
from recruiting.selectors.analytics import AnalyticsFilters, recruiting_analytics

from ..factories import JobFactory
from .analytics_data import six_applications

pytestmark = pytest.mark.django_db


def _offer(application, status: str, *, sent: bool = True) -> Offer:
    return Offer.objects.create(
        application=application, status=status, sent_at=timezone.now() if sent else None
    )


def test_sent_offers_count_and_the_stage_stands_in_where_there_are_none(recruiter):
    job = JobFactory(owner=recruiter)
    a1, _, _, a4, _, _ = six_applications(job)
    # a1 declined a first offer, then accepted a better one, then was hired.
    _offer(a1, Offer.Status.DECLINED)
    _offer(a1, Offer.Status.ACCEPTED)
    # a4's only offer is a draft never sent: its stages count (offer → hired: accepted).
    _offer(a4, Offer.Status.DRAFT, sent=False)
    # a2 has no offer rows: offer → withdrawn is a decline, as before.
    offers = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=job))["offers"]
    assert offers == {
        "extended": 4,
        "accepted": 2,
        "declined": 2,
        "pending": 0,
        "other": 0,
        "acceptance_pct": 50.0,
    }
    (figures,) = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=job))["jobs"]
    assert figures["offer_acceptance_pct"] == 50.0


def test_a_sent_offer_is_pending_and_a_withdrawn_one_is_not_a_decline(recruiter):
    job = JobFactory(owner=recruiter)
    a1, a2, *_ = six_applications(job)
    _offer(a1, Offer.Status.SENT)  # sent, not answered yet (a1 itself was hired later)
    _offer(a2, Offer.Status.WITHDRAWN)  # we took it back after sending
    offers = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=job))["offers"]
    # a4 (no rows) is still accepted from its stages.
    assert offers["pending"] == 1 and offers["other"] == 1
    assert offers["accepted"] == 1 and offers["declined"] == 0
    assert offers["acceptance_pct"] == 100.0
