"""Integrations API: who am I (the key), webhook subscriptions and the delivery log."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import NotAllowed
from core.events import EVENT_TYPES

from .. import tombstones, webhooks
from ..auth import api_key_of
from ..drf import ApiGenericView, ApiView
from ..filters import UtcDateTimeFilter
from ..models import ApiKey, Tombstone, WebhookDelivery, WebhookSubscription
from ..pagination import SyncCursorPagination
from .serializers import (
    ApiKeyOut,
    DeliveryOut,
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatchIn,
    TombstoneOut,
)


def _key(request: Request) -> ApiKey:
    key = api_key_of(request)
    if key is None:
        raise NotAllowed("Webhook subscriptions belong to an integration: call with its API key.")
    return key


class WhoAmIView(ApiView):
    """The calling key: its integration, the user it acts as, its scopes."""

    scope_read = "*"  # any valid key may ask about itself

    @extend_schema(responses=ApiKeyOut)
    def get(self, request: Request) -> Response:
        return Response(ApiKeyOut(_key(request)).data)


class _WebhookView(ApiGenericView):
    scope_read = "webhooks:manage"
    scope_write = "webhooks:manage"
    pagination_class = SyncCursorPagination


def _subscription(request: Request, pk: int) -> WebhookSubscription:
    key = _key(request)
    found = WebhookSubscription.objects.filter(pk=pk, integration_id=key.integration_id).first()
    if found is None:
        raise Http404("No such webhook subscription for this integration.")
    return found


class SubscriptionListView(_WebhookView):
    serializer_class = SubscriptionOut
    filter_backends: list[Any] = []

    @extend_schema(responses=SubscriptionOut(many=True))
    def get(self, request: Request) -> Response:
        key = _key(request)
        page = self.paginate_queryset(
            WebhookSubscription.objects.filter(integration_id=key.integration_id)
        )
        return self.get_paginated_response(SubscriptionOut(page, many=True).data)

    @extend_schema(request=SubscriptionIn, responses={201: SubscriptionCreatedOut})
    def post(self, request: Request) -> Response:
        key = _key(request)
        incoming = SubscriptionIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        subscription = webhooks.webhook_subscription_create(
            integration=key.integration, scopes=key.scopes, **incoming.validated_data
        )
        return Response(SubscriptionCreatedOut(subscription).data, status=status.HTTP_201_CREATED)


class SubscriptionDetailView(_WebhookView):
    serializer_class = SubscriptionOut

    def get(self, request: Request, pk: int) -> Response:
        return Response(SubscriptionOut(_subscription(request, pk)).data)

    @extend_schema(request=SubscriptionPatchIn, responses=SubscriptionOut)
    def patch(self, request: Request, pk: int) -> Response:
        incoming = SubscriptionPatchIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        key = _key(request)
        subscription = webhooks.webhook_subscription_update(
            subscription=_subscription(request, pk), scopes=key.scopes, **incoming.validated_data
        )
        return Response(SubscriptionOut(subscription).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        webhooks.webhook_subscription_delete(subscription=_subscription(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=WebhookDelivery.Status.choices)
    event = filters.ChoiceFilter(choices=[(e, e) for e in (*EVENT_TYPES, webhooks.PING_EVENT)])

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event"]


class DeliveryListView(_WebhookView):
    """The delivery log of the integration's subscriptions, newest first."""

    serializer_class = DeliveryOut
    filterset_class = DeliveryFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return WebhookDelivery.objects.none()
        key = _key(self.request)
        return WebhookDelivery.objects.filter(subscription__integration_id=key.integration_id)

    @extend_schema(responses=DeliveryOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(DeliveryOut(page, many=True).data)


class SubscriptionPingView(_WebhookView):
    serializer_class = DeliveryOut

    @extend_schema(
        request=None,
        responses={200: DeliveryOut},
        description="Send a signed `ping` event to the subscription's URL now (also when it is "
        "inactive) and answer with the delivery: `delivered` with the receiver's status, or "
        "`failed` with the error. A ping is a test: it is not retried. The body's `data` is "
        "`{subscription_id, events}`. Audited (`webhook.pinged`).",
    )
    def post(self, request: Request, pk: int) -> Response:
        delivery = webhooks.webhook_ping(subscription=_subscription(request, pk))
        return Response(DeliveryOut(delivery).data)


class DeliveryRedeliverView(_WebhookView):
    serializer_class = DeliveryOut
    extra_errors = {"post": (409,)}  # still being delivered

    @extend_schema(
        request=None,
        responses={202: DeliveryOut},
        description="Send a past delivery again: the same event (`X-SmartHR-Event-Id` and "
        "body), signed anew, with a new round of attempts and retries. Only a `delivered` or "
        "`failed` one: a delivery still `pending` or `retrying` is 409 `delivery_in_progress`. "
        "Answers 202 with the delivery, queued (`retrying`, due now). Audited "
        "(`webhook.redelivered`).",
    )
    def post(self, request: Request, pk: int) -> Response:
        key = _key(request)
        delivery = WebhookDelivery.objects.filter(
            pk=pk, subscription__integration_id=key.integration_id
        ).first()
        if delivery is None:
            raise Http404("No such webhook delivery for this integration.")
        delivery = webhooks.webhook_redeliver(delivery=delivery)
        delivery.refresh_from_db()
        return Response(DeliveryOut(delivery).data, status=status.HTTP_202_ACCEPTED)


class TombstoneFilter(filters.FilterSet):
    since = UtcDateTimeFilter(
        field_name="occurred_at",
        lookup_expr="gte",
        help_text="Only what happened at or after this time (ISO 8601, inclusive): the time "
        "your last sync started.",
    )
    object_type = filters.ChoiceFilter(choices=Tombstone.ObjectType.choices)

    class Meta:
        model = Tombstone
        fields = ["since", "object_type"]


class DeletionListView(ApiGenericView):
    """Deleted jobs, candidates and applications, and candidates whose personal data was
    erased (on request) or anonymised (after the retention date), newest first: remove them
    from your copy. Ids only; never personal data."""

    scope_read = "recruiting:read"
    serializer_class = TombstoneOut
    filterset_class = TombstoneFilter
    pagination_class = SyncCursorPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Tombstone.objects.none()
        return tombstones.tombstone_list(user=self.request.user)

    @extend_schema(responses=TombstoneOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(TombstoneOut(page, many=True).data)
