"""Offers (issue 17): the state machine, the terms' rules, one open offer per application,
who may do what, the audit trail and the webhook events."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from core import events
from core.errors import NotAllowed
from core.roles import Role
from recruiting import services
from recruiting.errors import (
    InvalidOffer,
    OfferAlreadyAccepted,
    OfferAlreadyOpen,
    OfferStatusRefused,
)
from recruiting.models import Offer
from recruiting.pipeline import Stage
from recruiting.selectors.offers import candidate_offers, offer_get, offers_visible
from recruiting.services.offers import (
    OfferTerms,
    offer_accept,
    offer_create,
    offer_decline,
    offer_send,
    offer_withdraw,
)

from ..factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(recruiter):
    job = JobFactory(owner=recruiter, title="Data Engineer")
    candidate = CandidateFactory(full_name="Orsolya Quint", email="orsolya@example.com")
    return ApplicationFactory(job=job, candidate=candidate, stage=Stage.OFFER)


def _terms(**changes) -> OfferTerms:
    today = timezone.localdate()
    values = {
        "salary_amount": Decimal("65000.00"),
        "salary_currency": "eur",
        "start_date": today + timedelta(days=40),
        "expires_on": today + timedelta(days=7),
        "note": "Remote two days a week.",
    }
    values.update(changes)
    return OfferTerms(**values)


@pytest.fixture
def emitted(django_capture_on_commit_callbacks):
    seen: list[tuple[str, dict]] = []

    def handler(event, data):
        seen.append((event, data))

    events.subscribe(handler)
    yield seen
    events.unsubscribe(handler)


def test_the_whole_way_to_acceptance_then_hire(
    application, recruiter, emitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_create(application=application, by=recruiter, terms=_terms())
        assert offer.status == Offer.Status.DRAFT and offer.created_by == recruiter
        assert offer.salary_currency == "EUR" and offer.salary_amount == Decimal("65000.00")
        offer = offer_send(offer=offer, by=recruiter)
        assert offer.status == Offer.Status.SENT and offer.sent_at is not None
        offer = offer_accept(offer=offer, by=recruiter)
    assert offer.status == Offer.Status.ACCEPTED and offer.decided_at is not None
    assert [e for e, _ in emitted] == ["offer.created", "offer.updated", "offer.updated"]
    assert emitted[-1][1] == {
        "offer_id": offer.pk, "application_id": application.pk, "status": "accepted"
    }  # fmt: skip
    actions = list(
        AuditEntry.objects.filter(target_id=str(offer.pk), action__startswith="offer.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["offer.created", "offer.sent", "offer.accepted"]
    # Accepted: no other offer; the recruiter hires through the existing service.
    with pytest.raises(OfferAlreadyAccepted, match="hire them"):
        offer_create(application=application, by=recruiter, terms=_terms())
    application = services.application_hire(application=application, by=recruiter)
    assert application.stage == Stage.HIRED


def test_declined_and_withdrawn_close_the_offer_and_a_new_one_may_follow(application, recruiter):
    first = offer_send(
        offer=offer_create(application=application, by=recruiter, terms=_terms()), by=recruiter
    )
    offer_decline(offer=first, by=recruiter)
    second = offer_create(
        application=application, by=recruiter, terms=_terms(salary_amount=Decimal("70000"))
    )
    withdrawn = offer_withdraw(offer=second, by=recruiter)
    assert withdrawn.status == Offer.Status.WITHDRAWN and withdrawn.sent_at is None
    third = offer_create(application=application, by=recruiter, terms=OfferTerms())
    assert third.salary_amount is None and third.salary_currency == ""
    assert Offer.objects.filter(application=application).count() == 3


def test_one_open_offer_per_application(application, recruiter):
    offer_create(application=application, by=recruiter, terms=_terms())
    with pytest.raises(OfferAlreadyOpen, match="already has an open offer"):
        offer_create(application=application, by=recruiter, terms=_terms())


@pytest.mark.parametrize(
    ("step", "from_status", "message"),
    [
        (offer_accept, "draft", "only a sent offer can be accepted"),
        (offer_decline, "draft", "only a sent offer can be declined"),
        (offer_send, "sent", "only a draft offer can be sent"),
        (offer_withdraw, "accepted", "only a draft or a sent offer can be withdrawn"),
        (offer_accept, "declined", "only a sent offer can be accepted"),
    ],
)
def test_the_state_machine_refuses_other_steps(application, recruiter, step, from_status, message):
    offer = offer_create(application=application, by=recruiter, terms=_terms())
    Offer.objects.filter(pk=offer.pk).update(status=from_status)
    with pytest.raises(OfferStatusRefused, match=message) as caught:
        step(offer=offer, by=recruiter)
    assert caught.value.http_status == 409
    offer.refresh_from_db()
    assert offer.status == from_status


@pytest.mark.parametrize("stage", [Stage.INTERVIEW, Stage.HIRED, Stage.REJECTED])
def test_an_offer_is_made_at_the_offer_stage_only(recruiter, stage):
    application = ApplicationFactory(stage=stage)
    with pytest.raises(InvalidOffer, match="move the application to Offer first"):
        offer_create(application=application, by=recruiter, terms=_terms())
    assert not Offer.objects.exists()


def test_an_offer_cannot_be_accepted_once_the_application_left_offer(application, recruiter):
    offer = offer_send(
        offer=offer_create(application=application, by=recruiter, terms=_terms()), by=recruiter
    )
    services.application_move(
        application=application, to_stage=Stage.REJECTED, by=recruiter, reason="Budget cut"
    )
    with pytest.raises(InvalidOffer, match="no longer at the Offer stage"):
        offer_accept(offer=offer, by=recruiter)
    assert offer_withdraw(offer=offer, by=recruiter).status == Offer.Status.WITHDRAWN


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"salary_amount": Decimal("0")}, "salary_amount", "more than 0"),
        ({"salary_amount": Decimal("-5")}, "salary_amount", "more than 0"),
        ({"salary_amount": Decimal("1.234")}, "salary_amount", "at most 2 decimals"),
        ({"salary_amount": Decimal("1e12")}, "salary_amount", "at most"),
        ({"salary_currency": ""}, "salary_currency", "ISO 4217"),
        ({"salary_currency": "EURO"}, "salary_currency", "ISO 4217"),
        ({"salary_amount": None, "salary_currency": "EUR"}, "salary_amount", "amount"),
        ({"expires_on": timezone.localdate() - timedelta(days=1)}, "expires_on", "past"),
        (
            {"start_date": timezone.localdate() + timedelta(days=2)},
            "expires_on",
            "on or before the start date",
        ),
        ({"note": "x" * 20_001}, "note", "at most"),
    ],
)
def test_terms_are_checked_with_a_message_by_the_field(
    application, recruiter, changes, field, message
):
    with pytest.raises(InvalidOffer, match=message) as caught:
        offer_create(application=application, by=recruiter, terms=_terms(**changes))
    assert caught.value.field == field


def test_an_offer_that_expired_as_a_draft_cannot_be_sent(application, recruiter):
    offer = offer_create(application=application, by=recruiter, terms=_terms())
    Offer.objects.filter(pk=offer.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(InvalidOffer, match="expired before it was sent"):
        offer_send(offer=offer, by=recruiter)


def test_only_recruiters_make_offers_and_the_hiring_team_sees_them(application, recruiter):
    manager = UserFactory(roles=[Role.HIRING_MANAGER])
    application.job.hiring_team.add(manager)
    outsider = UserFactory(roles=[Role.HIRING_MANAGER])
    with pytest.raises(NotAllowed, match="Only recruiters"):
        offer_create(application=application, by=manager, terms=_terms())
    offer = offer_create(application=application, by=recruiter, terms=_terms())
    for step in (offer_send, offer_withdraw):
        with pytest.raises(NotAllowed):
            step(offer=offer, by=manager)
    assert offer_get(user=manager, pk=offer.pk) == offer
    assert [o.pk for o in candidate_offers(user=manager, candidate=application.candidate)] == [
        offer.pk
    ]
    assert not offers_visible(outsider).exists()
    assert offers_visible(UserFactory(roles=[Role.HR_ADMIN])).count() == 1


def test_only_applications_at_offer_with_no_open_or_accepted_offer_are_ready_for_one():
    from types import SimpleNamespace as Row

    from recruiting.services.offers import applications_ready_for_offer

    at_offer, declined_before, open_one, interviewing = (
        Row(pk=1, stage=Stage.OFFER),
        Row(pk=2, stage=Stage.OFFER),
        Row(pk=3, stage=Stage.OFFER),
        Row(pk=4, stage=Stage.INTERVIEW),
    )
    offers = [
        Row(application_id=2, status=Offer.Status.DECLINED),
        Row(application_id=3, status=Offer.Status.SENT),
    ]
    ready = applications_ready_for_offer(
        [at_offer, declined_before, open_one, interviewing], offers
    )
    assert ready == [at_offer, declined_before]
