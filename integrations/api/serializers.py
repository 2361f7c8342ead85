"""Serializers of the integrations API: webhook subscriptions and their delivery log."""

from __future__ import annotations

from rest_framework import serializers

from core.events import EVENT_TYPES

from ..models import ApiKey, WebhookDelivery, WebhookSubscription
from ..schema import PayloadJSON, StringListJSON


class ApiKeyOut(serializers.ModelSerializer):
    integration = serializers.CharField(source="integration.name")
    user = serializers.CharField(source="integration.user.get_username")
    scopes = StringListJSON()

    class Meta:
        model = ApiKey
        fields = ["prefix", "name", "integration", "user", "scopes", "rate_limit", "created_at"]


class SubscriptionOut(serializers.ModelSerializer):
    events = StringListJSON()

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "is_active", "external_id", "created_at", "updated_at"]


class SubscriptionCreatedOut(SubscriptionOut):
    """Only the answer to the creation carries the signing secret."""

    class Meta(SubscriptionOut.Meta):
        fields = [*SubscriptionOut.Meta.fields, "secret"]


class SubscriptionIn(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(EVENT_TYPES), min_length=1, max_length=len(EVENT_TYPES)
    )
    external_id = serializers.CharField(max_length=128, required=False, allow_blank=True)


class SubscriptionPatchIn(serializers.Serializer):
    url = serializers.URLField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(EVENT_TYPES),
        min_length=1,
        max_length=len(EVENT_TYPES),
        required=False,
    )
    is_active = serializers.BooleanField(required=False)


class DeliveryOut(serializers.ModelSerializer):
    subscription = serializers.IntegerField(source="subscription_id")
    payload = PayloadJSON()

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "subscription",
            "event_id",
            "event",
            "payload",
            "status",
            "attempts",
            "response_status",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
        ]
