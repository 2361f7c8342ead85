"""Offer reads: the offers of applications the user may see (a hiring manager: their jobs')."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from ..models import Candidate, Offer
from ..permissions import visible_applications

if TYPE_CHECKING:
    from core.roles import AnyUser


def offers_visible(user: AnyUser) -> QuerySet[Offer]:
    return Offer.objects.filter(application__in=visible_applications(user)).select_related(
        "application__job", "application__candidate", "created_by"
    )


def offer_get(*, user: AnyUser, pk: int) -> Offer:
    try:
        return offers_visible(user).get(pk=pk)
    except Offer.DoesNotExist as exc:
        raise Http404("No such offer, or not one you can see.") from exc


def application_offers(*, user: AnyUser, application_id: int) -> QuerySet[Offer]:
    return offers_visible(user).filter(application_id=application_id)


def candidate_offers(*, user: AnyUser, candidate: Candidate) -> list[Offer]:
    """The candidate's offers the user may see, newest first, blind screening applied."""
    offers = list(offers_visible(user).filter(application__candidate=candidate))
    return offers_shown_to(user, offers)


def offers_shown_to(user: AnyUser, offers: list[Offer]) -> list[Offer]:
    """`offers` as `user` may see them: an offer is past screening, but the note (typed by a
    person) is scrubbed of the candidate's name and contacts while anything still hides
    them. Changed in memory only."""
    from ..blind import hidden_candidate_ids, scrub

    hidden = hidden_candidate_ids(user, {o.application.candidate_id for o in offers})
    for offer in offers:
        if offer.application.candidate_id in hidden and offer.note:
            offer.note = scrub(offer.application.candidate, offer.note)
    return offers
