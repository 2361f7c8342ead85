"""Recruiting data: jobs, candidates, resumes, applications, their history and scores."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from .pipeline import CUSTOM_PREFIX, Stage


class Job(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class RemotePolicy(models.TextChoices):
        ONSITE = "onsite", "On-site"
        HYBRID = "hybrid", "Hybrid"
        REMOTE = "remote", "Remote"

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", "Full-time"
        PART_TIME = "part_time", "Part-time"
        CONTRACT = "contract", "Contract"
        TEMPORARY = "temporary", "Temporary"
        INTERNSHIP = "internship", "Internship"

    title = models.CharField(max_length=200)
    department = models.ForeignKey(
        "hr.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    location = models.CharField(max_length=200, blank=True)
    remote_policy = models.CharField(
        max_length=16, choices=RemotePolicy.choices, default=RemotePolicy.ONSITE
    )
    employment_type = models.CharField(
        max_length=16, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    description = models.TextField(blank=True)
    requirements = models.TextField(blank=True)
    required_skills = models.JSONField(default=list, blank=True)
    preferred_skills = models.JSONField(default=list, blank=True)
    min_years_experience = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="owned_jobs"
    )
    hiring_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="hiring_team_jobs"
    )
    external_id = models.CharField(max_length=128, blank=True)
    # Whose id `external_id` is: "integration:<id>" for an API integration's own ids (each
    # integration has its own namespace), "" for ids set in the portal or admin (and those the
    # migration could not attribute). See external_system_of() in integrations/auth.py.
    external_system = models.CharField(max_length=64, blank=True, default="")
    # Blind screening: identity stays masked for recruiters until an application passes
    # screening (see privacy/ and docs/responsible-ai.md).
    blind_screening = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # updated_at: the API's incremental sync (`updated_after`) reads only recent rows.
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["updated_at"], name="job_updated_at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_system", "external_id"],
                condition=~Q(external_id=""),
                name="job_ext_id_per_system",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    # Profile fields that parsing fills and a recruiter may edit; an edited one is listed in
    # `edited_fields` and never overwritten by a re-parse.
    PROFILE_FIELDS = (
        "full_name",
        "phone",
        "location",
        "links",
        "headline",
        "summary",
        "skills",
        "experience",
        "education",
        "years_experience",
    )

    full_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text="Normalised: trimmed and lower-cased.")
    phone = models.CharField(max_length=32, blank=True, help_text="E.164, e.g. +442079460958.")
    location = models.CharField(max_length=200, blank=True)
    links = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=100, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateField(null=True, blank=True)
    tags = models.JSONField(default=list, blank=True)
    external_id = models.CharField(max_length=128, blank=True)
    # Whose id external_id is (see Job.external_system).
    external_system = models.CharField(max_length=64, blank=True, default="")
    headline = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    skills = models.JSONField(default=list, blank=True)
    experience = models.JSONField(default=list, blank=True)
    education = models.JSONField(default=list, blank=True)
    years_experience = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    edited_fields = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["updated_at"], name="candidate_updated_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="candidate_unique_email"
            ),
            models.UniqueConstraint(
                fields=["external_system", "external_id"],
                condition=~Q(external_id=""),
                name="candidate_ext_id_per_system",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or f"Candidate #{self.pk}"


def resume_upload_to(instance: Resume, filename: str) -> str:
    # Content-addressed: the same bytes always land at the same path.
    return f"resumes/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Resume(models.Model):
    class ParseStatus(models.TextChoices):
        QUEUED = "queued", "Queued"
        PARSING = "parsing", "Parsing"
        PARSED = "parsed", "Parsed"
        FAILED = "failed", "Failed"

    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.CASCADE, related_name="resumes"
    )
    file = models.FileField(upload_to=resume_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField(blank=True)
    # What the fit model reads (blinded, tidied), prepared once and reused by every model
    # version and explanation; `model_text_version` says which preparation made it.
    model_text = models.TextField(blank=True)
    model_text_version = models.CharField(max_length=32, blank=True)
    parse_status = models.CharField(
        max_length=16, choices=ParseStatus.choices, default=ParseStatus.QUEUED
    )
    parse_error = models.TextField(blank=True)
    # Parses started since the last one finished; too many means the file stops workers
    # (recruiting/services/parsing.py MAX_PARSE_ATTEMPTS).
    parse_attempts = models.PositiveSmallIntegerField(default=0)
    parsed = models.JSONField(default=dict, blank=True)
    parser_version = models.CharField(max_length=32, blank=True)
    # Read by OCR (a scan or photo): the engine's confidence (0-1), null for a file with text.
    # A low one marks the resume for a person to check its fields (mlcore.parsing.ocr).
    ocr_confidence = models.FloatField(null=True, blank=True)
    needs_check = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    parsed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class Application(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.APPLIED)
    source = models.CharField(max_length=100, blank=True)
    external_id = models.CharField(max_length=128, blank=True)
    # Whose id external_id is (see Job.external_system).
    external_system = models.CharField(max_length=64, blank=True, default="")
    applied_at = models.DateTimeField()
    stage_changed_at = models.DateTimeField()
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    # The standard reason chosen when rejecting (analytics); `rejection_reason` the words.
    rejection_category = models.ForeignKey(
        "RejectionReason",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    hired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_at", "-id"]
        # (job, id): a job's applications in the API's page order; updated_at: incremental sync.
        indexes = [
            models.Index(fields=["job", "stage"]),
            models.Index(fields=["job", "-id"], name="application_job_page"),
            models.Index(fields=["updated_at"], name="application_updated_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "job"], name="application_once"),
            models.UniqueConstraint(
                fields=["external_system", "external_id"],
                condition=~Q(external_id=""),
                name="application_ext_id_per_system",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"

    def get_stage_display(self) -> str:  # type: ignore[no-redef]  # Django's, widened
        """The stage's name, a job's own stage included (Django's would show "custom_12"):
        from the job's prefetched `stages` when the list loaded them (`job__stages`), so a
        page of applications reads no stage row each."""
        job = self.job if Application.job.is_cached(self) else None
        return stage_label(self.stage, job=job)


class JobStage(models.Model):
    """One open stage of a job's pipeline, in order: the default template's (Applied,
    Screening, Interview, Offer: fixed) or the job's own (e.g. "Technical test"), which may
    be renamed, moved and removed while no application is in it. Applications and stage
    events store `key`; a removed stage stays as a row (`removed_at`) so history keeps its
    name. Hired, Rejected and Withdrawn are not rows: every job closes the same way."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="stages")
    # The Stage value for a default stage, "custom_<id>" for the job's own.
    key = models.CharField(max_length=16)
    name = models.CharField(max_length=60)
    position = models.PositiveIntegerField()
    custom = models.BooleanField(default=False)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "key"], name="job_stage_key_once"),
        ]

    def __str__(self) -> str:
        return self.name


def stage_label(key: str, *, job: Job | None = None) -> str:
    """A stage's name from its stored value: a default stage's label, or a job's own stage's
    name: from `job`'s prefetched `stages` when given with them (no query), else from its row
    (one query: a page of many cards prefetches `job__stages` or reads `selectors.job_pipeline`)."""
    if key in Stage.values:
        return str(Stage(key).label)
    prefetched = getattr(job, "_prefetched_objects_cache", {}).get("stages")
    if prefetched is not None:
        for row in prefetched:
            if row.key == key:
                return str(row.name)
        return key
    number = key.removeprefix(CUSTOM_PREFIX)
    if key.startswith(CUSTOM_PREFIX) and number.isdigit():
        name = JobStage.objects.filter(pk=int(number)).values_list("name", flat=True).first()
        if name:
            return name
    return key


class StageEvent(models.Model):
    """One stage change of an application: the audit trail of the pipeline."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_events"
    )
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    # Open stages a forward move passed over (applied → interview skips screening).
    skipped_stages = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    # Set once the hiring team was told; makes the notification task safe to run twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '∅'} → {self.to_stage}"

    # A job's own stages by their names (Django's own would show "custom_12").
    def get_from_stage_display(self) -> str:  # type: ignore[no-redef]
        return stage_label(self.from_stage, job=self._job()) if self.from_stage else ""

    def get_to_stage_display(self) -> str:  # type: ignore[no-redef]
        return stage_label(self.to_stage, job=self._job())

    def _job(self) -> Job | None:
        """The job, when the event came with its application and that with its job (a
        prefetch of `applications__stage_events`): its `stages` may be prefetched too."""
        if not StageEvent.application.is_cached(self):
            return None
        application = self.application
        return application.job if Application.job.is_cached(application) else None


class FitScore(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    score = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(100)])
    model_version = models.CharField(max_length=64)
    explanation = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(auto_now=True)
    # A person may override the model's score (human oversight); the model's own score stays
    # in `score`, and the override is written to the audit log.
    override_score = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "model_version"], name="fitscore_once_per_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score:.0f} ({self.model_version})"

    @property
    def effective_score(self) -> float:
        """The score people work with: a person's override when there is one, else the
        model's. `effective_score_expression` is the same rule in a query."""
        return self.override_score if self.override_score is not None else self.score

    @staticmethod
    def effective_score_expression() -> Coalesce:
        return Coalesce(F("override_score"), F("score"))


class Note(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class Scorecard(models.Model):
    class Recommendation(models.TextChoices):
        DEFINITELY_NOT = "definitely_not", "Definitely not"
        NO = "no", "No"
        YES = "yes", "Yes"
        STRONG_YES = "strong_yes", "Strong yes"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scorecards"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="scorecards"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices)
    # {"Python": 4, "Communication": 3}: 1 (weak) to 4 (strong) per skill.
    ratings = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    # The interview this verdict is about; optional (older scorecards and API clients name
    # only the application and stage).
    interview = models.ForeignKey(
        "Interview", null=True, blank=True, on_delete=models.SET_NULL, related_name="scorecards"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_recommendation_display()} on {self.application}"


class UploadBatch(models.Model):
    """Files sent together (portal drop, API call, import command), to follow their progress."""

    class Source(models.TextChoices):
        PORTAL = "portal", "Portal"
        API = "api", "API"
        COMMAND = "command", "Command line"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="upload_batches"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Upload of {self.created_at:%Y-%m-%d %H:%M}"


class UploadItem(models.Model):
    """One file of a batch. Refused files keep their name and reason; accepted ones their Resume."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"  # follow the resume's parse status
        DUPLICATE = "duplicate", "Duplicate"
        REFUSED = "refused", "Refused"

    batch = models.ForeignKey(UploadBatch, on_delete=models.CASCADE, related_name="items")
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    message = models.TextField(blank=True)
    resume = models.ForeignKey(
        Resume, null=True, blank=True, on_delete=models.SET_NULL, related_name="upload_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def status(self) -> str:
        """queued, parsing, parsed, failed, duplicate or refused: what the progress view shows."""
        if self.outcome != self.Outcome.ACCEPTED or self.resume is None:
            return self.outcome
        return self.resume.parse_status

    @property
    def reason(self) -> str:
        if self.outcome == self.Outcome.ACCEPTED and self.resume is not None:
            return self.resume.parse_error or self.message
        return self.message


class ResumeEmbedding(models.Model):
    """A resume's fit embedding for one model version: computed once, ranked many times."""

    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="embeddings")
    model_version = models.CharField(max_length=64)
    vector = models.BinaryField()  # float32, unit length
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resume", "model_version"], name="resume_embedding_once"
            ),
        ]
        indexes = [models.Index(fields=["model_version"])]

    def __str__(self) -> str:
        return f"{self.resume} ({self.model_version})"


class JobEmbedding(models.Model):
    """A job's fit embedding; `text_sha256` tells when the job's text changed since."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="embeddings")
    model_version = models.CharField(max_length=64)
    text_sha256 = models.CharField(max_length=64)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "model_version"], name="job_embedding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job} ({self.model_version})"


class RejectionReason(models.Model):
    """A standard reason for rejecting (seeded by migration 0015): chosen when rejecting and
    kept on the application for analytics; the free-text reason still says the specifics."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Interview(models.Model):
    """One scheduled interview of an application. `uid` and `sequence` make the e-mailed
    iCalendar invitations update (reschedule) or remove (cancel) the same calendar event."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    # IANA name, e.g. "Europe/Paris": the time the invitation shows and the calendar keeps.
    time_zone = models.CharField(max_length=64)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    location = models.CharField(max_length=300, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["application", "starts_at"])]

    def __str__(self) -> str:
        return f"Interview {self.starts_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def ical_uid(self) -> str:
        """The UID of every invitation for this interview: calendars match updates by it."""
        return f"{self.uid}@smarthr"

    @property
    def interviewer_ids(self) -> list[int]:
        return [person.pk for person in self.interviewers.all()]  # prefetched by selectors

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class EmailTemplate(models.Model):
    """A candidate e-mail with {placeholders}; the kinds SmartHR sends are fixed."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
        INTERVIEW_INVITATION = "interview_invitation", "Interview invitation"
        REJECTION = "rejection", "Rejection"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    name = models.CharField(max_length=120, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class OutboundEmail(models.Model):
    """One e-mail SmartHR sends about a candidate (to them, or an interview invitation to an
    interviewer), recorded before it is sent so a failure is kept and retried, never lost."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
        INTERVIEW_INVITATION = "interview_invitation", "Interview invitation"
        INTERVIEW_UPDATE = "interview_update", "Interview rescheduled"
        INTERVIEW_CANCELLATION = "interview_cancellation", "Interview cancelled"
        REJECTION = "rejection", "Rejection"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="emails")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    interview = models.ForeignKey(
        Interview, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    template = models.ForeignKey(
        EmailTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # True: to the candidate (shown on their timeline); False: to an interviewer.
    to_candidate = models.BooleanField(default=True)
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # The iCalendar attachment (METHOD:REQUEST or CANCEL), for interview e-mails.
    ics = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="outbound_email_pending")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.status})"


def attachment_upload_to(instance: CandidateAttachment, filename: str) -> str:
    # A random folder per file: the stored name never carries the candidate's name.
    return f"attachments/{uuid.uuid4().hex}/file"


class CandidateAttachment(models.Model):
    """A candidate's document other than a resume (a cover letter, a portfolio...): stored,
    listed and downloaded, never parsed or scored. Erased with the candidate's data."""

    class Kind(models.TextChoices):
        COVER_LETTER = "cover_letter", "Cover letter"
        PORTFOLIO = "portfolio", "Portfolio"
        OTHER = "other", "Other"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} of candidate #{self.candidate_id}"


class Offer(models.Model):
    """A job offer made to the candidate of one application (issue 17): drafted, sent, then
    accepted or declined by the candidate, or withdrawn by us. At most one open (draft or
    sent) offer per application; the closed ones stay as its history."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATUSES = (Status.DRAFT, Status.SENT)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    salary_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # ISO 4217 code, e.g. EUR; empty when no salary is given.
    salary_currency = models.CharField(max_length=3, blank=True)
    start_date = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["updated_at"], name="offer_updated_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["draft", "sent"]),
                name="one_open_offer_per_application",
            )
        ]

    def __str__(self) -> str:
        return f"Offer #{self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
