"""Integrations: who calls the API (keys), what they asked before (idempotency), and where
SmartHR tells them about events (webhook subscriptions and their delivery log)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

SCOPES = {
    "recruiting:read": "Read jobs, candidates, resumes, applications, notes and scores",
    "recruiting:write": "Create and change jobs, candidates, applications, notes and scorecards",
    "hr:read": "Read departments, employees, surveys and analytics aggregates",
    "hr:write": "Create departments, employees, surveys and questions",
    "ml:invoke": "Call the models as a service under /api/v1/ml/",
    "webhooks:manage": "Manage the integration's webhook subscriptions and read deliveries",
    "privacy:erase": "Erase or anonymise a candidate's personal data (HR admins' keys only)",
}


class Integration(models.Model):
    """Another system (an ATS, an HRIS): it acts as `user`, so the user's role decides what it
    may see and do, and its writes are attributed to that user in the audit log."""

    name = models.CharField(max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="integrations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="integration_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A bearer key: `shr_<prefix>_<secret>`. Only the secret's SHA-256 is stored."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="keys")
    name = models.CharField(max_length=120, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    # Requests per minute; empty uses settings.API_KEY_DEFAULT_RATE.
    rate_limit = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.integration} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed to any retry of it."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    owner = models.CharField(max_length=64)  # "key:<id>" or "user:<id>"
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_once_per_owner")
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


class WebhookSubscription(models.Model):
    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="subscriptions"
    )
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    # Kept readable: every delivery is signed with it (HMAC-SHA256).
    secret = models.CharField(max_length=128)
    is_active = models.BooleanField(default=True)
    external_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.integration} → {self.url}"


class WebhookDelivery(models.Model):
    """One event sent to one subscription, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        RETRYING = "retrying", "Retrying"
        FAILED = "failed", "Failed"

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4)
    event = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="delivery_once_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"


class Tombstone(models.Model):
    """A job, candidate or application that is gone (deleted), or whose personal data is
    (erased on request, anonymised after its retention date), for sync clients to mirror.
    Holds the SmartHR id and what happened, never personal data (nor the `external_id`,
    which another system ties to a person)."""

    class ObjectType(models.TextChoices):
        JOB = "job", "Job"
        CANDIDATE = "candidate", "Candidate"
        APPLICATION = "application", "Application"

    class Kind(models.TextChoices):
        DELETED = "deleted", "Deleted"
        ERASED = "erased", "Erased on request (personal data removed)"
        ANONYMISED = "anonymised", "Anonymised after the retention date"

    object_type = models.CharField(max_length=16, choices=ObjectType.choices)
    object_id = models.BigIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["occurred_at", "id"], name="tombstone_since")]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} {self.kind}"
