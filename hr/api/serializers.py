"""Input and output serializers of the HR API: shapes only, no rules."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from integrations.schema import StringListJSON

from ..models import Department, Employee, Question, Survey


class DepartmentOut(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", allow_null=True)

    class Meta:
        model = Department
        fields = ["id", "external_id", "name", "code", "parent", "created_at", "updated_at"]


class DepartmentIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    code = serializers.CharField(max_length=32, required=False, allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class EmployeeOut(serializers.ModelSerializer):
    department = serializers.IntegerField(source="department_id", allow_null=True)
    manager = serializers.IntegerField(source="manager_id", allow_null=True)
    # Stored as given (e.g. an accented local part); not held to a strict e-mail format.
    email = serializers.CharField(help_text="An e-mail address as stored, or empty.")

    class Meta:
        model = Employee
        fields = [
            "id",
            "external_id",
            "full_name",
            "email",
            "title",
            "department",
            "manager",
            "hire_date",
            "status",
            "terminated_on",
            "created_at",
            "updated_at",
        ]


class EmployeeIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    hire_date = serializers.DateField()
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    manager = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class SurveyOut(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "description",
            "status",
            "min_group_size",
            "opened_at",
            "closed_at",
            "created_at",
            "updated_at",
        ]


class SurveyIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    min_group_size = serializers.IntegerField(required=False, min_value=3, max_value=1000)


class QuestionOut(serializers.ModelSerializer):
    survey = serializers.IntegerField(source="survey_id")
    choices = StringListJSON()

    class Meta:
        model = Question
        fields = ["id", "survey", "position", "kind", "text", "choices", "required"]


class QuestionIn(serializers.Serializer):
    kind = serializers.ChoiceField(Question.Kind.choices)
    text = serializers.CharField(max_length=500)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    required = serializers.BooleanField(required=False, default=True)


@extend_schema_field({"anyOf": [{"type": "number"}, {"type": "string"}]})
class AnswerField(serializers.JSONField):
    """One answer: a number (a rating) or a text (a comment, a choice)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, (int, float, str)):
            raise serializers.ValidationError("An answer is a number or a text.")
        return data


class ResponseIn(serializers.Serializer):
    token = serializers.CharField(max_length=200)
    answers = serializers.DictField(
        child=AnswerField(), help_text="question id → answer (number or text)"
    )


class ResponseOut(serializers.Serializer):
    id = serializers.UUIDField()
    survey = serializers.IntegerField(source="survey_id")
    submitted_on = serializers.DateField()


class AnalyticsParams(serializers.Serializer):
    department = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    period = serializers.DateField(required=False)
    grain = serializers.ChoiceField(["month", "week"], required=False, default="month")
