"""Forms of the privacy pages: the candidate's self-ID, audit filters, erasure."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from audit.services import ACTIONS
from recruiting.models import Job

from .models import CATEGORIES

EMPTY = [("", "I do not wish to answer this question")]


class SelfIdForm(forms.Form):
    """Every question optional; "prefer not to say" is an answer of its own."""

    sex = forms.ChoiceField(label="Sex", required=False)
    race_ethnicity = forms.ChoiceField(label="Race / ethnicity", required=False)
    age_band = forms.ChoiceField(label="Age band", required=False)
    disability = forms.ChoiceField(label="Disability", required=False)
    veteran = forms.ChoiceField(label="Veteran status", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in CATEGORIES.items():
            field = cast(forms.ChoiceField, self.fields[name])
            field.choices = EMPTY + list(choices.choices)
            field.widget = forms.RadioSelect(choices=field.choices)


class BiasAuditFilterForm(forms.Form):
    job = forms.ModelChoiceField(queryset=Job.objects.order_by("title"), required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    threshold = forms.FloatField(required=False, min_value=0, max_value=100)
    min_group_size = forms.IntegerField(required=False, min_value=1, max_value=1000)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The period's start is after its end.")
        return data


class AuditLogFilterForm(forms.Form):
    action = forms.ChoiceField(required=False)
    actor = forms.CharField(required=False, max_length=150, label="Actor (username)")
    target_type = forms.CharField(required=False, max_length=64, label="Target type")
    target_id = forms.CharField(required=False, max_length=64, label="Target id")
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [("", "Any action"), *sorted(ACTIONS.items())]


class EraseForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        help_text="The request's reference, e.g. 'E-mail of 2026-11-20, ticket 4711'.",
    )
    confirm = forms.BooleanField(
        label="I understand this removes the candidate's personal data and files for good."
    )
