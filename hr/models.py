"""HR data: the department tree, employees, surveys and their anonymous responses."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class Department(models.Model):
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=32, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    external_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="department_unique_name"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="department_unique_root"
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="department_ext_id"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Employee(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_LEAVE = "on_leave", "On leave"
        TERMINATED = "terminated", "Terminated"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="employees"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    title = models.CharField(max_length=200, blank=True)
    hire_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    terminated_on = models.DateField(null=True, blank=True)
    # The candidate this employee was hired from, when hired through SmartHR.
    hired_from = models.ForeignKey(
        "recruiting.Candidate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee_records",
    )
    external_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="employee_ext_id"
            ),
            # One current record per e-mail (former employees keep theirs: a re-hire is a
            # new record beside the old one); hr.services.people says so in words first.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email="") & ~Q(status="terminated"),
                name="employee_current_email",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Survey(models.Model):
    """An employee survey. Every SmartHR survey is anonymous (see docs/decisions.md)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Aggregates over fewer responses than this are never shown.
    min_group_size = models.PositiveSmallIntegerField(default=5, validators=[MinValueValidator(3)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agreement, 1–5"
        ENPS = "enps", "eNPS, 0–10"
        SINGLE_CHOICE = "single_choice", "Single choice"
        FREE_TEXT = "free_text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=500)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """A one-time link for one employee. Only the token's SHA-256 is kept."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    # When the current link was e-mailed (None: queued); a reminder issues a new link.
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the current link was handed to the task queue: one still unsent long after is
    # issued afresh by the sweeper (the raw token lived only in the lost message).
    queued_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Only a flag: a time of use could be matched against response order.
    used = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "employee"], name="invitation_once"),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.survey} for {self.employee}"


class TenureBand(models.TextChoices):
    UNDER_1Y = "lt1", "Less than 1 year"
    Y1_3 = "1-3", "1–3 years"
    Y3_5 = "3-5", "3–5 years"
    OVER_5Y = "5+", "More than 5 years"


class Response(models.Model):
    """One submitted survey, unlinkable to its author.

    No foreign key to the employee or the invitation; a random UUID key so row order says
    nothing about who answered when; the date only, never the time.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tenure_band = models.CharField(max_length=8, choices=TenureBand.choices, blank=True)
    submitted_on = models.DateField()

    def __str__(self) -> str:
        return f"Response to {self.survey}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)  # Likert 1–5, eNPS 0–10
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    # Sentiment of a free-text answer (hr.services.analysis), by `model_version`.
    sentiment_label = models.CharField(max_length=16, blank=True)
    sentiment_probs = models.JSONField(null=True, blank=True)  # {"negative": p, ...}
    topics = models.JSONField(default=list, blank=True)
    attributions = models.JSONField(null=True, blank=True)  # [[word, signed weight], ...]
    # The explanation methods computed on request (hr.services.explanations): {"shap":
    # {"version": ..., "label": ..., "pairs": [[word, weight or null], ...]}, "attention": ...};
    # one made for another version or label is stale (not shown, computed again).
    explanations = models.JSONField(default=dict, blank=True)
    model_version = models.CharField(max_length=100, blank=True, db_index=True)
    analyzed_on = models.DateField(null=True, blank=True)  # a day, like submitted_on
    analysis_error = models.CharField(max_length=500, blank=True)
    # Comment insights (hr.analytics.insights): the comment's base-encoder embedding (float16,
    # unit length; mlcore.sentiment.insights) and its 'needs attention' categories.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    attention = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"
