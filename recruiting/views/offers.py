"""Offers on the candidate page (issue 17): draft one for an application at the Offer
stage, mark it sent, record the candidate's answer, or withdraw it. Thin: the rules are
`services.offers`'.

A refused draft re-renders the candidate page (HTTP 400) with the message by its field and
everything typed; a refused step comes back to the page with the message on top.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.errors import DomainError, show_form_error
from core.text import NOTE_MAX_CHARS

from .. import selectors
from ..models import Application, Candidate, Offer
from ..permissions import can_manage_offers
from ..pipeline import Stage
from ..selectors.offers import candidate_offers, offer_get
from ..services import offers as offer_services
from ._common import portal_view


class OfferForm(forms.Form):
    application = forms.TypedChoiceField(coerce=int, choices=())
    salary_amount = forms.DecimalField(
        required=False, max_digits=12, decimal_places=2, label="Salary (a year)"
    )
    salary_currency = forms.CharField(
        required=False, max_length=3, label="Currency (ISO code)", initial="EUR"
    )
    start_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Start date"
    )
    expires_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Answer by"
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Note",
    )

    def __init__(self, *args: Any, applications: list[Application], **kwargs: Any) -> None:
        # The candidate page has other forms with `application` and `note` fields.
        kwargs.setdefault("prefix", "offer")
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        field.choices = [(a.pk, a.job.title) for a in applications]  # type: ignore[attr-defined]
        if len(applications) == 1:
            field.widget = forms.HiddenInput()
            field.initial = applications[0].pk

    def terms(self) -> offer_services.OfferTerms:
        data = self.cleaned_data
        return offer_services.OfferTerms(
            salary_amount=data["salary_amount"],
            salary_currency=data["salary_currency"],
            start_date=data["start_date"],
            expires_on=data["expires_on"],
            note=data["note"],
        )


def offer_context(
    request: HttpRequest,
    candidate: Candidate,
    applications: list[Application],
    form: OfferForm | None = None,
) -> dict[str, Any]:
    """What `_candidate_offers.html` shows: the offers, and the form for the applications
    that may get one (at the Offer stage, no open or accepted offer) when the user makes
    offers."""
    offers = candidate_offers(user=request.user, candidate=candidate)
    can_offer = can_manage_offers(request.user)
    ready = offer_services.applications_ready_for_offer(applications, offers)
    if form is None and can_offer and ready:
        form = OfferForm(applications=ready)
    return {"offers": offers, "offer_form": form, "can_offer": can_offer}


def _back(candidate_id: int) -> HttpResponse:
    return redirect(reverse("recruiting:candidate_detail", args=[candidate_id]) + "#offers")


@portal_view
@require_POST
def offer_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft an offer for one of candidate `pk`'s applications."""
    from .candidates import _page

    candidate = selectors.candidate_get(user=request.user, pk=pk)
    applications = [
        a for a in candidate.applications.select_related("job") if a.stage == Stage.OFFER
    ]
    form = OfferForm(request.POST, applications=applications)
    if form.is_valid():
        application = selectors.application_get(
            user=request.user, pk=form.cleaned_data["application"]
        )
        try:
            offer_services.offer_create(
                application=application, by=request.user, terms=form.terms()
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, f"Offer drafted for {application.job.title}.")
            return _back(candidate.pk)
    messages.error(request, "The offer was not drafted: see the messages by the fields.")
    return _page(request, candidate.pk, failed={"offer": form})


STEPS = {
    "send": (offer_services.offer_send, "Offer marked as sent."),
    "accept": (offer_services.offer_accept, "Offer accepted: you can now hire the candidate."),
    "decline": (offer_services.offer_decline, "Offer declined."),
    "withdraw": (offer_services.offer_withdraw, "Offer withdrawn."),
}


@portal_view
@require_POST
def offer_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Send, accept, decline or withdraw offer `pk`; back to the candidate page."""
    offer: Offer = offer_get(user=request.user, pk=pk)
    step, done = STEPS[action]
    try:
        step(offer=offer, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(offer.application.candidate_id)
