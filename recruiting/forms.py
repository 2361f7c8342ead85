"""Portal forms: they check the shape of what was typed; the rules stay in the services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from core.roles import Role
from hr.models import Department
from mlcore.search.query import MAX_QUERY_CHARS

from .models import Job
from .pipeline import Stage

_TAG_SEPARATORS = re.compile(r"[,\n;]")


class TagInput(forms.TextInput):
    """A comma-separated text field that static/js/portal-tags.js turns into a tag input."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"data-tag-input": "", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return super().format_value(value)


class TagField(forms.CharField):
    """Tags typed as "Python, Django" (or one per line): a list of trimmed names."""

    widget = TagInput

    def __init__(self, *, max_tags: int = 50, max_tag_length: int = 100, **kwargs: Any) -> None:
        self.max_tags = max_tags
        self.max_tag_length = max_tag_length
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            parts = [str(v) for v in value]
        else:
            parts = _TAG_SEPARATORS.split(super().to_python(value) or "")
        return [" ".join(p.split()) for p in parts if p.strip()]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > self.max_tags:
            raise forms.ValidationError(f"At most {self.max_tags} skills, please.")
        too_long = [v for v in value if len(v) > self.max_tag_length]
        if too_long:
            raise forms.ValidationError(
                f"'{too_long[0][:30]}…' is too long for a skill: keep each under "
                f"{self.max_tag_length} characters and separate them with commas."
            )

    def run_validators(self, value: Any) -> None:
        for tag in value:
            super().run_validators(tag)


def hiring_team_choices() -> Any:
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(groups__name__in=[Role.HIRING_MANAGER.value, Role.RECRUITER.value])
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class TeamMemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class JobForm(forms.Form):
    """Create or edit a job. The hiring team is who, besides the owner, hires for it."""

    title = forms.CharField(max_length=200)
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"), required=False, empty_label="No department"
    )
    location = forms.CharField(max_length=200, required=False)
    remote_policy = forms.ChoiceField(
        choices=Job.RemotePolicy.choices, initial=Job.RemotePolicy.ONSITE
    )
    employment_type = forms.ChoiceField(
        choices=Job.EmploymentType.choices, initial=Job.EmploymentType.FULL_TIME
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Needed before the job can be published.",
    )
    requirements = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    required_skills = TagField(help_text="Separate skills with commas, or press Enter after each.")
    preferred_skills = TagField(help_text="Nice to have; they weigh less in the fit score.")
    min_years_experience = forms.DecimalField(
        label="Minimum years of experience",
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=60,
        required=False,
    )
    hiring_team = TeamMemberChoice(
        queryset=hiring_team_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Hiring managers in the team see this job and its candidates.",
    )

    @classmethod
    def initial_for(cls, job: Job) -> dict[str, Any]:
        initial = {name: getattr(job, name) for name in cls.base_fields if name != "hiring_team"}
        initial["department"] = job.department_id
        initial["hiring_team"] = [u.pk for u in job.hiring_team.all()]
        return initial


class MoveForm(forms.Form):
    """A board move, from the card's select or from a drop (the same fields)."""

    # One of the job's stages (its own included); the service says which moves are allowed.
    to_stage = forms.CharField(max_length=16)
    reason = forms.CharField(required=False, max_length=2000)
    note = forms.CharField(required=False, max_length=5000)


class RankingFilterForm(forms.Form):
    stage = forms.ChoiceField(choices=[("", "Any stage"), *Stage.choices], required=False)
    min_score = forms.FloatField(label="Minimum fit", min_value=0, max_value=100, required=False)
    skill = forms.CharField(max_length=100, required=False)
    location = forms.CharField(max_length=200, required=False)

    def __init__(
        self, *args: Any, stages: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        """`stages`: the job's own pipeline (`selectors.job_stage_choices`), its own stages
        included; the default stages when not given."""
        super().__init__(*args, **kwargs)
        if stages is not None:
            self.fields["stage"].choices = [("", "Any stage"), *stages]  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    """The talent search: a plain-language query (or a pasted job description) and the
    filters read from it, each an editable field (the page shows them as chips)."""

    q = forms.CharField(
        label="Search",
        max_length=MAX_QUERY_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='Plain language, e.g. "Python developers in London with 5+ years", or paste a '
        "job description.",
    )
    # The text whose filters the fields below already hold: it is not read again.
    read = forms.CharField(max_length=MAX_QUERY_CHARS, required=False, widget=forms.HiddenInput)
    skills = TagField(
        label="Has skills",
        max_tags=10,
        help_text="Candidates listing every one of these skills.",
    )
    titles = TagField(
        label="Job titles",
        max_tags=5,
        help_text="Any of these, by its last word, in the headline or a job held.",
    )
    location = forms.CharField(label="Location", max_length=200, required=False)
    min_years = forms.DecimalField(
        label="At least (years)", min_value=0, max_value=60, decimal_places=1, required=False
    )
    max_years = forms.DecimalField(
        label="At most (years)", min_value=0, max_value=60, decimal_places=1, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_years"), data.get("max_years")
        if low is not None and high is not None and low > high:
            self.add_error("max_years", "At most must not be less than at least.")
        return data
