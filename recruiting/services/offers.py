"""Offers (issue 17): make one for an application at the Offer stage, send it, record the
candidate's answer, or withdraw it. Every step is audited and announced to webhooks.

The status moves only forward:

    draft --send--> sent --accept--> accepted
      |               +--decline--> declined
      +----------+----withdraw--> withdrawn

An application holds at most one open (draft or sent) offer; accepted, declined and
withdrawn offers stay as its history, and a new offer may follow a declined or withdrawn one
(not an accepted one: the hire follows that).
An accepted offer leaves the application at Offer: the recruiter hires through
`application_hire`, as before (hired only from Offer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from core.events import emit
from core.roles import signed_in
from core.text import NOTE_MAX_CHARS, ensure_length

from ..errors import InvalidOffer, OfferAlreadyAccepted, OfferAlreadyOpen, OfferStatusRefused
from ..models import Application, Offer
from ..permissions import ensure_can_manage_offers
from ..pipeline import Stage

if TYPE_CHECKING:
    from core.roles import AnyUser

# Up to 9,999,999,999.99 in the currency given (the column's 12 digits, 2 after the point).
MAX_SALARY = Decimal("9999999999.99")
CURRENCY = re.compile(r"[A-Z]{3}")
# An application with an offer in one of these gets no new one: an open offer is answered
# or withdrawn first; an accepted one is followed by the hire.
BLOCKING_STATUSES = (*Offer.OPEN_STATUSES, Offer.Status.ACCEPTED)


def applications_ready_for_offer(
    applications: Iterable[Application], offers: Iterable[Offer]
) -> list[Application]:
    """Which of `applications` may get a new offer: at the Offer stage, with no open or
    accepted offer among `offers` (what `offer_create` enforces; the page offers only these)."""
    blocked = {o.application_id for o in offers if o.status in BLOCKING_STATUSES}
    return [a for a in applications if a.stage == Stage.OFFER and a.pk not in blocked]


@dataclass(frozen=True)
class OfferTerms:
    """What is offered, as a person or an integration gave it."""

    salary_amount: Decimal | None = None
    salary_currency: str = ""
    start_date: date | None = None
    expires_on: date | None = None
    note: str = ""


def _clean_salary(amount: Decimal | None, currency: str) -> tuple[Decimal | None, str]:
    currency = (currency or "").strip().upper()
    if amount is None:
        if currency:
            raise InvalidOffer("Give the salary amount for this currency.", field="salary_amount")
        return None, ""
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise InvalidOffer("The salary must be a number.", field="salary_amount") from exc
    if not amount.is_finite() or amount <= 0 or amount > MAX_SALARY:
        raise InvalidOffer(
            f"The salary must be more than 0 and at most {MAX_SALARY:,}.", field="salary_amount"
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidOffer("The salary can have at most 2 decimals.", field="salary_amount")
    if not CURRENCY.fullmatch(currency):
        raise InvalidOffer(
            "Give the salary's currency as its three-letter ISO 4217 code, e.g. EUR, GBP, USD.",
            field="salary_currency",
        )
    return amount, currency


def _clean(terms: OfferTerms) -> OfferTerms:
    amount, currency = _clean_salary(terms.salary_amount, terms.salary_currency)
    today = timezone.localdate()
    if terms.expires_on is not None and terms.expires_on < today:
        raise InvalidOffer("An offer cannot expire in the past.", field="expires_on")
    if terms.start_date and terms.expires_on and terms.expires_on > terms.start_date:
        raise InvalidOffer("The offer must expire on or before the start date.", field="expires_on")
    note = ensure_length(
        terms.note, limit=NOTE_MAX_CHARS, what="A note", field="note", error=InvalidOffer
    )
    return OfferTerms(amount, currency, terms.start_date, terms.expires_on, note)


def _announce(offer: Offer, *, action: str, by: AnyUser, created: bool = False) -> None:
    details = {"application_id": offer.application_id, "status": offer.status}
    audit_record(action=action, actor=by, target=offer, details=details)
    emit(
        "offer.created" if created else "offer.updated",
        {
            "offer_id": offer.pk,
            "application_id": offer.application_id,
            "status": offer.status,
        },
    )


@transaction.atomic
def offer_create(*, application: Application, by: AnyUser, terms: OfferTerms) -> Offer:
    """A draft offer for an application at the Offer stage (move it there first: the move
    is the pipeline's step, with its history and notifications). One open offer at a time."""
    ensure_can_manage_offers(by)
    # Lock the application so two people making an offer at once cannot both pass the check.
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.stage != Stage.OFFER:
        raise InvalidOffer(
            "Offers are made at the Offer stage: move the application to Offer first "
            f"(it is at '{application.get_stage_display()}').",
            field="application",
        )
    clean = _clean(terms)
    blocking = Offer.objects.filter(application=application, status__in=BLOCKING_STATUSES)
    if blocking.filter(status=Offer.Status.ACCEPTED).exists():
        raise OfferAlreadyAccepted()
    if blocking.exists():
        raise OfferAlreadyOpen()
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                application=application,
                salary_amount=clean.salary_amount,
                salary_currency=clean.salary_currency,
                start_date=clean.start_date,
                expires_on=clean.expires_on,
                note=clean.note,
                created_by=signed_in(by),
            )
    except IntegrityError as exc:  # the partial unique constraint: one open offer
        raise OfferAlreadyOpen() from exc
    _announce(offer, action="offer.created", by=by, created=True)
    return offer


def _locked(offer: Offer, by: AnyUser) -> Offer:
    ensure_can_manage_offers(by)
    return (
        Offer.objects.select_for_update(of=("self",)).select_related("application").get(pk=offer.pk)
    )


def _refuse_unless(offer: Offer, needs: tuple[str, ...], action: str) -> None:
    if offer.status not in needs:
        words = " or ".join("a draft" if s == Offer.Status.DRAFT else f"a {s}" for s in needs)
        raise OfferStatusRefused(offer.get_status_display().lower(), action, words)


@transaction.atomic
def offer_send(*, offer: Offer, by: AnyUser) -> Offer:
    """Record that the draft went to the candidate (the letter itself goes out by the
    recruiter's own means); its answer can then be recorded."""
    offer = _locked(offer, by)
    _refuse_unless(offer, (Offer.Status.DRAFT,), "sent")
    if offer.application.stage != Stage.OFFER:
        raise InvalidOffer(
            "The application is no longer at the Offer stage; withdraw this offer.",
            field="application",
        )
    if offer.expires_on is not None and offer.expires_on < timezone.localdate():
        raise InvalidOffer(
            "This offer expired before it was sent; withdraw it and make a new one.",
            field="expires_on",
        )
    offer.status, offer.sent_at = Offer.Status.SENT, timezone.now()
    offer.save(update_fields=["status", "sent_at", "updated_at"])
    _announce(offer, action="offer.sent", by=by)
    return offer


def _decide(offer: Offer, *, by: AnyUser, to: str, action: str) -> Offer:
    offer.status, offer.decided_at = to, timezone.now()
    offer.save(update_fields=["status", "decided_at", "updated_at"])
    _announce(offer, action=action, by=by)
    return offer


@transaction.atomic
def offer_accept(*, offer: Offer, by: AnyUser) -> Offer:
    """The candidate said yes. The application stays at Offer until the recruiter hires."""
    offer = _locked(offer, by)
    _refuse_unless(offer, (Offer.Status.SENT,), "accepted")
    if offer.application.stage != Stage.OFFER:
        raise InvalidOffer(
            "The application is no longer at the Offer stage, so the offer cannot be "
            "accepted; withdraw it.",
            field="application",
        )
    return _decide(offer, by=by, to=Offer.Status.ACCEPTED, action="offer.accepted")


@transaction.atomic
def offer_decline(*, offer: Offer, by: AnyUser) -> Offer:
    """The candidate said no. A new offer may follow; rejecting the application is a
    separate step (the standard reason "Candidate declined")."""
    offer = _locked(offer, by)
    _refuse_unless(offer, (Offer.Status.SENT,), "declined")
    return _decide(offer, by=by, to=Offer.Status.DECLINED, action="offer.declined")


@transaction.atomic
def offer_withdraw(*, offer: Offer, by: AnyUser) -> Offer:
    """We take back a draft or sent offer."""
    offer = _locked(offer, by)
    _refuse_unless(offer, Offer.OPEN_STATUSES, "withdrawn")
    return _decide(offer, by=by, to=Offer.Status.WITHDRAWN, action="offer.withdrawn")
