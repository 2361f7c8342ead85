"""Serializers of the integrations API: webhook subscriptions and their delivery log."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.events import EVENT_TYPES

from ..models import ApiKey, Tombstone, WebhookDelivery, WebhookSubscription
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


WEBHOOK_URL_PATTERN = "^https?://"


# The scheme is checked here (the schema says it); the rest by the service
# (integrations.webhooks), which says what is wrong: a URL that `format: uri` takes but that is
# no web address answers 400 `invalid_webhook`, not a field error the schema did not predict.
@extend_schema_field(
    {"type": "string", "format": "uri", "maxLength": 500, "pattern": WEBHOOK_URL_PATTERN}
)
class WebhookUrlField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        message = "The URL must start with https:// (or http://)."
        self.validators.append(RegexValidator(WEBHOOK_URL_PATTERN, message))


class SubscriptionIn(serializers.Serializer):
    url = WebhookUrlField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(EVENT_TYPES), min_length=1, max_length=len(EVENT_TYPES)
    )
    external_id = serializers.CharField(max_length=128, required=False, allow_blank=True)


class SubscriptionPatchIn(serializers.Serializer):
    url = WebhookUrlField(max_length=500, required=False)
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


class TombstoneOut(serializers.ModelSerializer):
    """A record that is gone, or whose personal data is: ids only."""

    class Meta:
        model = Tombstone
        fields = ["id", "object_type", "object_id", "kind", "occurred_at"]
