"""Privacy data kept apart from the recruiting profile.

* `SelfIdentification`: a candidate's voluntary answers for the bias audit. Its own table,
  read only by the bias audit and by HR admins; nothing in recruiting/ or mlcore/ imports it.
* `SelfIdInvitation`: the one-time link a candidate answers through (only its hash is kept).
* `CandidateErasure`: that a candidate was erased or anonymised, when, by whom and why (the
  recruiting tables get no new field for it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

PREFER_NOT = "prefer_not_to_say"
UNKNOWN = "unknown"  # no answer given (no form sent back, or the field left empty)


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


class RaceEthnicity(models.TextChoices):
    # The US EEO-1 categories: a common, documented list (see docs/responsible-ai.md).
    HISPANIC_LATINO = "hispanic_latino", "Hispanic or Latino"
    WHITE = "white", "White"
    BLACK = "black", "Black or African American"
    ASIAN = "asian", "Asian"
    NATIVE_AMERICAN = "native_american", "American Indian or Alaska Native"
    PACIFIC_ISLANDER = "pacific_islander", "Native Hawaiian or Other Pacific Islander"
    TWO_OR_MORE = "two_or_more", "Two or more races"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", "Under 25"
    AGE_25_34 = "25_34", "25–34"
    AGE_35_44 = "35_44", "35–44"
    AGE_45_54 = "45_54", "45–54"
    AGE_55_64 = "55_64", "55–64"
    AGE_65_PLUS = "65_plus", "65 or over"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


class Disability(models.TextChoices):
    YES = "yes", "Yes, I have a disability (or had one in the past)"
    NO = "no", "No, I do not have a disability"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


class Veteran(models.TextChoices):
    VETERAN = "veteran", "I am a protected veteran"
    NOT_VETERAN = "not_veteran", "I am not a protected veteran"
    PREFER_NOT_TO_SAY = PREFER_NOT, "Prefer not to say"


# The bias audit's categories, in display order: field name -> choices.
CATEGORIES: dict[str, type[models.TextChoices]] = {
    "sex": Sex,
    "race_ethnicity": RaceEthnicity,
    "age_band": AgeBand,
    "disability": Disability,
    "veteran": Veteran,
}


class SelfIdentification(models.Model):
    """Voluntary answers; an empty field means the candidate did not answer (unknown)."""

    candidate = models.OneToOneField(
        "recruiting.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    sex = models.CharField(max_length=32, choices=Sex.choices, blank=True)
    race_ethnicity = models.CharField(max_length=32, choices=RaceEthnicity.choices, blank=True)
    age_band = models.CharField(max_length=32, choices=AgeBand.choices, blank=True)
    disability = models.CharField(max_length=32, choices=Disability.choices, blank=True)
    veteran = models.CharField(max_length=32, choices=Veteran.choices, blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "self-identification"

    def __str__(self) -> str:
        return f"Self-identification of candidate #{self.candidate_id}"

    def groups(self) -> dict[str, str]:
        """Category -> answer, with UNKNOWN for a field left empty."""
        return {name: getattr(self, name) or UNKNOWN for name in CATEGORIES}


class SelfIdInvitation(models.Model):
    """A one-time link to the self-identification form. The token is never stored."""

    candidate = models.ForeignKey(
        "recruiting.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Set just before the e-mail goes (claimed): a task delivered twice sends it once.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Self-ID invitation for candidate #{self.candidate_id}"


class CandidateErasure(models.Model):
    """A candidate whose personal data is gone. Holds no personal data itself."""

    class Kind(models.TextChoices):
        ERASED = "erased", "Erased on request"
        ANONYMISED = "anonymised", "Anonymised after the retention date"

    candidate = models.OneToOneField(
        "recruiting.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    # What was removed, as counts and field names (never the values).
    removed = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Candidate #{self.candidate_id} {self.kind}"
