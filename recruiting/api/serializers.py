"""Input and output serializers of the recruiting API: shapes only, no rules."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.text import HEADLINE_MAX_CHARS, NOTE_MAX_CHARS, SUMMARY_MAX_CHARS
from integrations.filters import MAX_ID
from integrations.schema import (
    EducationJSON,
    ExperienceJSON,
    FitExplanationJSON,
    ParsedResumeJSON,
    RatingsJSON,
    StringListJSON,
)

from ..models import Application, Candidate, FitScore, Job, Note, Resume, Scorecard, UploadItem
from ..pipeline import CUSTOM_PREFIX, Stage

# An application's stage: a default stage's value, or a job's own stage as "custom_<id>"
# (GET /jobs/{id}/stages/ names it). An enum of the default values would make a generated
# client refuse an application in a job's own stage.
STAGE_KEY_PATTERN = "^(" + "|".join(Stage.values) + f"|{CUSTOM_PREFIX}[0-9]+)$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": STAGE_KEY_PATTERN,
        "description": f"{', '.join(Stage.values)}, or {CUSTOM_PREFIX}<id> for a job's own stage",
    }
)
class StageKeyField(serializers.CharField):
    pass


class ResumeUploadIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    job = serializers.IntegerField(required=False, min_value=1)


class ResumeOut(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="candidate_id", allow_null=True)
    parsed = ParsedResumeJSON()

    class Meta:
        model = Resume
        fields = [
            "id",
            "candidate",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "parse_status",
            "parse_error",
            "parser_version",
            "ocr_confidence",
            "needs_check",
            "parsed",
            "parsed_at",
            "created_at",
        ]
        extra_kwargs = {
            "ocr_confidence": {
                "help_text": "Read by OCR (a scan or photo): the engine's mean confidence, "
                "0-1; null when the file had text."
            },
            "needs_check": {
                "help_text": "The OCR confidence is low: a person should check the parsed "
                "fields against the file."
            },
        }


class UploadItemOut(serializers.ModelSerializer):
    status = serializers.CharField()
    reason = serializers.CharField()
    batch = serializers.UUIDField(source="batch_id")
    resume = ResumeOut(allow_null=True)

    class Meta:
        model = UploadItem
        fields = ["batch", "filename", "size", "status", "reason", "resume"]


# --- jobs -------------------------------------------------------------------------------


class JobOut(serializers.ModelSerializer):
    department = serializers.IntegerField(source="department_id", allow_null=True)
    owner = serializers.IntegerField(source="owner_id", allow_null=True)
    required_skills = StringListJSON()
    preferred_skills = StringListJSON()
    # A number, as sent (JobIn): stored as a decimal with one place, so exact here.
    min_years_experience = serializers.FloatField(allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "external_id",
            "title",
            "status",
            "department",
            "location",
            "remote_policy",
            "employment_type",
            "description",
            "requirements",
            "required_skills",
            "preferred_skills",
            "min_years_experience",
            "blind_screening",
            "owner",
            "published_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]


@extend_schema_field(
    {"type": "number", "minimum": 0, "maximum": 60, "multipleOf": 0.1, "nullable": True}
)
class YearsField(serializers.DecimalField):
    """Years of experience: a number with at most one decimal place (`multipleOf: 0.1`)."""


class JobIn(serializers.Serializer):
    """Create a job, or update the one with this external_id (upsert). Publishing needs a
    description."""

    external_id = serializers.CharField(max_length=128, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200)
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    remote_policy = serializers.ChoiceField(Job.RemotePolicy.choices, required=False)
    employment_type = serializers.ChoiceField(Job.EmploymentType.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    requirements = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    required_skills = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=200
    )
    preferred_skills = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=200
    )
    # A JSON number in and out (a string of digits is taken too); kept as a decimal.
    min_years_experience = YearsField(
        max_digits=4,
        decimal_places=1,
        required=False,
        allow_null=True,
        min_value=0,
        max_value=60,
        coerce_to_string=False,
        help_text="Years, 0–60, at most one decimal place (e.g. 2.5); stored exactly.",
    )
    publish = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Open the job for applications at once (it needs a description).",
    )


class JobPatchIn(JobIn):
    title = serializers.CharField(max_length=200, required=False)


# --- candidates -------------------------------------------------------------------------

CANDIDATE_FIELDS = [
    "id",
    "external_id",
    "full_name",
    "email",
    "phone",
    "location",
    "links",
    "source",
    "tags",
    "headline",
    "summary",
    "skills",
    "experience",
    "education",
    "years_experience",
    "created_at",
    "updated_at",
]


class CandidateOut(serializers.ModelSerializer):
    """A candidate; under blind screening the identity fields are withheld (recruiting.blind)."""

    years_experience = serializers.FloatField(allow_null=True)
    # As stored, trimmed and lower-cased (may be internationalised); empty when withheld.
    email = serializers.CharField(help_text="Normalised: trimmed and lower-cased.")
    links = StringListJSON()
    tags = StringListJSON()
    skills = StringListJSON()
    experience = ExperienceJSON()
    education = EducationJSON()
    identity_hidden = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [*CANDIDATE_FIELDS, "identity_hidden"]

    def _hidden(self, candidate: Candidate) -> bool:
        return candidate.pk in self.context.get("hidden_ids", set())

    def get_identity_hidden(self, candidate: Candidate) -> bool:
        return self._hidden(candidate)

    def to_representation(self, candidate: Candidate) -> dict[str, Any]:
        data = super().to_representation(candidate)
        if self._hidden(candidate):
            from ..blind import masked_profile

            masked = masked_profile(candidate)
            data.update(
                full_name=masked.display_name,
                email="",
                phone="",
                location="",
                links=[],
                headline=masked.headline,
                summary=masked.summary,
                experience=masked.experience,
                education=masked.education,
            )
        return data


class CandidateIn(serializers.Serializer):
    """Create a candidate, or update the one with this external_id (upsert). A candidate
    needs at least a name or an e-mail address."""

    external_id = serializers.CharField(max_length=128, required=False, allow_blank=True)
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=64, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    source = serializers.CharField(max_length=100, required=False, allow_blank=True)
    headline = serializers.CharField(
        max_length=HEADLINE_MAX_CHARS, required=False, allow_blank=True
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=SUMMARY_MAX_CHARS)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )
    skills = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=500
    )
    links = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=50
    )


# --- applications -----------------------------------------------------------------------


class ApplicationOut(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="candidate_id")
    job = serializers.IntegerField(source="job_id")
    stage = StageKeyField()
    rejection_reason_id = serializers.IntegerField(
        source="rejection_category_id",
        allow_null=True,
        help_text="The standard reason it was rejected for (GET /rejection-reasons/); null "
        "when rejected with free text only, or not rejected.",
    )
    fit_score = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "external_id",
            "candidate",
            "job",
            "stage",
            "source",
            "applied_at",
            "stage_changed_at",
            "rejected_at",
            "rejection_reason",
            "rejection_reason_id",
            "withdrawn_at",
            "hired_at",
            "fit_score",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_fit_score(self, application: Application) -> float | None:
        """The active model's score (a person's override when there is one), if computed."""
        scores = getattr(application, "active_scores", None)
        if not scores:
            return None
        return scores[0].effective_score


class ApplicationIn(serializers.Serializer):
    candidate = serializers.IntegerField(min_value=1)
    job = serializers.IntegerField(min_value=1)
    source = serializers.CharField(max_length=100, required=False, allow_blank=True)
    external_id = serializers.CharField(max_length=128, required=False, allow_blank=True)


class MoveIn(serializers.Serializer):
    to_stage = serializers.ChoiceField(Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_CHARS)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_CHARS)


class NoteOnlyIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_CHARS)


class RejectIn(serializers.Serializer):
    rejection_reason_id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A standard reason's id (GET /rejection-reasons/), kept for the analytics.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_CHARS,
        help_text="With `rejection_reason_id`: the specifics, added to the reason's label "
        "(optional). Without it: the reason itself, free text (needed).",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_CHARS,
        help_text="An internal note on the move (the stage history).",
    )


# --- notes, scorecards, scores ----------------------------------------------------------


class NoteOut(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="candidate_id")
    application = serializers.IntegerField(source="application_id", allow_null=True)
    author = serializers.IntegerField(source="author_id", allow_null=True)

    class Meta:
        model = Note
        fields = ["id", "candidate", "application", "author", "body", "created_at"]


class NoteIn(serializers.Serializer):
    body = serializers.CharField(max_length=NOTE_MAX_CHARS)
    application = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class ScorecardOut(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    interviewer = serializers.IntegerField(source="interviewer_id", allow_null=True)
    ratings = RatingsJSON()

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "application",
            "interviewer",
            "stage",
            "recommendation",
            "ratings",
            "comment",
            "submitted_at",
        ]


class ScorecardIn(serializers.Serializer):
    recommendation = serializers.ChoiceField(Scorecard.Recommendation.choices)
    ratings = serializers.DictField(child=serializers.IntegerField(), required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_CHARS)
    stage = serializers.ChoiceField(Stage.choices, required=False)


class FitScoreOut(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    explanation = FitExplanationJSON()

    class Meta:
        model = FitScore
        fields = [
            "id",
            "application",
            "score",
            "override_score",
            "override_reason",
            "model_version",
            "explanation",
            "computed_at",
        ]


class RankedOut(serializers.Serializer):
    rank = serializers.IntegerField()
    application = serializers.IntegerField()
    candidate = serializers.IntegerField()
    stage = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    model_version = serializers.CharField(allow_null=True)
    matched_skills = serializers.ListField(child=serializers.CharField())
    missing_skills = serializers.ListField(child=serializers.CharField())
