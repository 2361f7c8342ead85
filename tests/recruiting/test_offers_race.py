"""Offers under concurrency (PostgreSQL: SQLite runs one writing transaction at a time): two
people drafting an offer for the same application get one offer and one clear refusal; an
acceptance and a withdrawal of the same offer at once leave one of them, never both."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connections, transaction
from django.db.models.signals import pre_save

from core.roles import Role
from recruiting.errors import OfferAlreadyOpen, OfferStatusRefused
from recruiting.models import Application, Offer
from recruiting.pipeline import Stage
from recruiting.services.offers import (
    OfferTerms,
    offer_accept,
    offer_create,
    offer_send,
    offer_withdraw,
)

from ..factories import ApplicationFactory, JobFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GATE_TIMEOUT_S = 1.5


def _race(calls: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Run the calls in two threads, each save of an Offer held until the other thread got
    there too (or 1.5 s: a row lock makes the other wait, so the first goes on alone)."""
    barrier = threading.Barrier(len(calls))

    def hold(sender, instance, **kwargs) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(GATE_TIMEOUT_S)

    results: list[object] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            results.append(call())
        except BaseException as exc:  # compared by the test
            errors.append(exc)
        finally:
            connections.close_all()

    pre_save.connect(hold, sender=Offer, weak=False, dispatch_uid="offer-race")
    try:
        threads = [threading.Thread(target=run, args=(c,)) for c in calls]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        pre_save.disconnect(sender=Offer, dispatch_uid="offer-race")
    return results, errors


@pytest.fixture
def setting():
    recruiter = UserFactory(roles=[Role.RECRUITER])
    application = ApplicationFactory(job=JobFactory(owner=recruiter), stage=Stage.OFFER)
    return recruiter, application


def test_two_drafts_at_once_make_one_offer(setting):
    recruiter, application = setting

    def draft() -> Offer:
        fresh = Application.objects.get(pk=application.pk)
        return offer_create(application=fresh, by=recruiter, terms=OfferTerms())

    results, errors = _race([draft, draft])
    assert len(results) == 1 and [type(e) for e in errors] == [OfferAlreadyOpen]
    assert Offer.objects.filter(application=application).count() == 1


def test_accept_and_withdraw_at_once_leave_one(setting):
    recruiter, application = setting
    offer = offer_send(
        offer=offer_create(application=application, by=recruiter, terms=OfferTerms()),
        by=recruiter,
    )

    def accept() -> Offer:
        return offer_accept(offer=Offer.objects.get(pk=offer.pk), by=recruiter)

    def withdraw() -> Offer:
        return offer_withdraw(offer=Offer.objects.get(pk=offer.pk), by=recruiter)

    results, errors = _race([accept, withdraw])
    assert len(results) == 1 and [type(e) for e in errors] == [OfferStatusRefused]
    offer.refresh_from_db()
    assert offer.status == results[0].status  # type: ignore[attr-defined]


def test_the_database_holds_one_open_offer_per_application(setting):
    _, application = setting
    Offer.objects.create(application=application, status=Offer.Status.SENT)
    Offer.objects.create(application=application, status=Offer.Status.DECLINED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(application=application, status=Offer.Status.DRAFT)
