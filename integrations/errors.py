"""Integration errors, each mapped to one HTTP status by core.api's handler."""

from __future__ import annotations

from core.errors import DomainError


class InvalidApiKey(DomainError):
    code = "invalid_api_key"


class InvalidWebhook(DomainError):
    code = "invalid_webhook"


class DeliveryInProgress(DomainError):
    """A redelivery asked for while the delivery is still pending or being retried."""

    code = "delivery_in_progress"
    http_status = 409


class IdempotencyConflict(DomainError):
    """The same Idempotency-Key with another request, or while the first is still running."""

    code = "idempotency_conflict"
    http_status = 409


class InputTooLarge(DomainError):
    """A batch or a text above the limit of the models as a service."""

    code = "input_too_large"
    http_status = 413
