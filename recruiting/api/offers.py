"""Offers (issue 17): list and make an application's offers, read one, and move it on
(send, accept, decline, withdraw). Thin: `services.offers` holds the rules.

Offers are those of applications the key's user may see (a hiring manager: their jobs');
only a recruiter's key makes or changes them. The note is scrubbed of the candidate's
identity while blind screening hides it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.text import NOTE_MAX_CHARS
from integrations.drf import validated_input
from integrations.filters import UtcDateTimeFilter, id_filter

from .. import selectors
from ..models import Offer
from ..selectors.offers import application_offers, offer_get, offers_shown_to, offers_visible
from ..services import offers as offer_services
from .views import RecruitingListView, RecruitingView


class OfferOut(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    job = serializers.IntegerField(source="application.job_id")
    candidate = serializers.IntegerField(source="application.candidate_id")
    salary_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text='A decimal string, e.g. "65000.00"; null: none given.',
    )
    salary_currency = serializers.CharField(
        help_text="ISO 4217 code (upper case) of the salary; empty when no salary is given."
    )
    expires_on = serializers.DateField(allow_null=True, help_text="The last day to answer.")
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True)

    class Meta:
        model = Offer
        fields = [
            "id",
            "application",
            "job",
            "candidate",
            "status",
            "salary_amount",
            "salary_currency",
            "start_date",
            "expires_on",
            "note",
            "created_by",
            "sent_at",
            "decided_at",
            "created_at",
            "updated_at",
        ]


class OfferIn(serializers.Serializer):
    # A regex, not a DecimalField: that one's published pattern also matches "-" and ".".
    salary_amount = serializers.RegexField(
        r"^[0-9]{1,10}(?:\.[0-9]{1,2})?$",
        required=False,
        allow_null=True,
        help_text='A decimal string, e.g. "65000.00": more than 0, at most 2 decimals; needs '
        "`salary_currency`.",
        error_messages={"invalid": "Give the salary as a number such as 65000 or 65000.50."},
    )
    salary_currency = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=3,
        help_text="ISO 4217 code, e.g. EUR (read in any case); needed with `salary_amount`.",
    )
    start_date = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Not in the past; on or before `start_date` when both are given.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_CHARS)


class OfferFilter(filters.FilterSet):
    # Incremental sync as on the other lists (inclusive); offers have no external id.
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    status = filters.ChoiceFilter(choices=Offer.Status.choices)
    application = id_filter("application_id")
    job = id_filter("application__job_id")
    candidate = id_filter("application__candidate_id")

    class Meta:
        model = Offer
        fields = ["status", "application", "job", "candidate"]


def _answer(request: Request, offer: Offer, code: int = 200) -> Response:
    (shown,) = offers_shown_to(request.user, [offer_get(user=request.user, pk=offer.pk)])
    return Response(OfferOut(shown).data, status=code)


class _OfferList(RecruitingListView):
    serializer_class = OfferOut
    filterset_class = OfferFilter

    def page_response(self, queryset: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(queryset)) or []
        page = offers_shown_to(self.request.user, list(page))
        return self.get_paginated_response(OfferOut(page, many=True).data)


class OfferListView(_OfferList):
    """Every offer of the applications the key's user may see, newest first."""

    def get_queryset(self) -> Any:
        return offers_visible(self.request.user)

    @extend_schema(responses=OfferOut(many=True))
    def get(self, request: Request) -> Response:
        return self.page_response(self.get_queryset())


class ApplicationOfferListView(_OfferList):
    """The application's offers, newest first; POST drafts a new one."""

    def get_queryset(self) -> Any:
        return Offer.objects.none()  # the schema's model; the views read the application's

    @extend_schema(responses=OfferOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        application = selectors.application_get(user=request.user, pk=pk)
        return self.page_response(
            application_offers(user=request.user, application_id=application.pk)
        )

    @extend_schema(
        request=OfferIn,
        responses={201: OfferOut},
        description="Draft an offer (status `draft`). The application must be at the Offer "
        "stage (move it there first) or it is 400 `invalid_offer`; so are terms refused "
        "(the field is named). An application has one open (draft or sent) offer at a time: "
        "another is 409 `offer_already_open`, and none follows an accepted offer (409 "
        "`offer_already_accepted`: hire). Only a recruiter's key may (403). "
        "`offer.created` is sent to webhooks.",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(OfferIn, request)
        application = selectors.application_get(user=request.user, pk=pk)
        amount = data.get("salary_amount")
        terms = offer_services.OfferTerms(
            salary_amount=None if amount is None else Decimal(amount),
            salary_currency=data.get("salary_currency", ""),
            start_date=data.get("start_date"),
            expires_on=data.get("expires_on"),
            note=data.get("note", ""),
        )
        offer = offer_services.offer_create(application=application, by=request.user, terms=terms)
        return _answer(request, offer, status.HTTP_201_CREATED)


class OfferDetailView(RecruitingView):
    @extend_schema(responses=OfferOut)
    def get(self, request: Request, pk: int) -> Response:
        return _answer(request, offer_get(user=request.user, pk=pk))


def _step(request: Request, pk: int, step: Callable[..., Offer]) -> Response:
    offer = offer_get(user=request.user, pk=pk)
    step(offer=offer, by=request.user)
    return _answer(request, offer)


_STEP_RULES = (
    " Another status is 409 `offer_status`; only a recruiter's key may (403). "
    "`offer.updated` is sent to webhooks."
)


class OfferSendView(RecruitingView):
    @extend_schema(
        request=None,
        responses=OfferOut,
        description="Record that the draft went to the candidate: `sent`, `sent_at` set. 400 "
        "`invalid_offer` when the application left the Offer stage or the offer expired."
        + _STEP_RULES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _step(request, pk, offer_services.offer_send)


class OfferAcceptView(RecruitingView):
    @extend_schema(
        request=None,
        responses=OfferOut,
        description="Record the candidate's yes to a sent offer: `accepted`, `decided_at` set. "
        "The application stays at Offer: hire with `POST /applications/{id}/hire/`. 400 "
        "`invalid_offer` when the application left the Offer stage." + _STEP_RULES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _step(request, pk, offer_services.offer_accept)


class OfferDeclineView(RecruitingView):
    @extend_schema(
        request=None,
        responses=OfferOut,
        description="Record the candidate's no to a sent offer: `declined`, `decided_at` set. "
        "A new offer may follow." + _STEP_RULES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _step(request, pk, offer_services.offer_decline)


class OfferWithdrawView(RecruitingView):
    @extend_schema(
        request=None,
        responses=OfferOut,
        description="Take back a draft or sent offer: `withdrawn`, `decided_at` set." + _STEP_RULES,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _step(request, pk, offer_services.offer_withdraw)
