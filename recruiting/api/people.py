"""Users, sources and a candidate's tags over the API (issue 17): what an ATS maps its own
users, sources and tags to. Thin: the rules are in `selectors.people`, `selectors.analytics`
and `services.tags`."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.roles import Role
from integrations.drf import validated_input

from .. import selectors
from ..selectors.analytics import analytics_sources
from ..selectors.people import (
    recruiting_users,
    user_emails_visible,
    user_roles,
    users_with_role,
)
from ..services.tags import MAX_TAG_CHARS, MAX_TAGS, candidate_tags_add, candidate_tags_remove
from .views import RecruitingListView, RecruitingView

ROLE_CHOICES = [
    (Role.RECRUITER.value, "Recruiter"),
    (Role.HIRING_MANAGER.value, "Hiring manager"),
    (Role.HR_ADMIN.value, "HR admin"),
]


class UserOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active")

    def get_name(self, person: Any) -> str:
        """The full name, or the user name when none is recorded."""
        return str(person.get_full_name() or person.username)

    def get_email(self, person: Any) -> str:
        """Empty for a hiring manager's key (recruiters and HR admins see it)."""
        return str(person.email) if self.context.get("emails") else ""

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ROLE_CHOICES)))
    def get_roles(self, person: Any) -> list[str]:
        return user_roles(person)


class _TrueFalseField(forms.Field):
    """`true` or `false`, as the schema's boolean is written in a query; nothing else (Django's
    boolean fields read "null" or "maybe" as no filter at all)."""

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return bool(value == "true")
        raise forms.ValidationError("Give true or false.")


@extend_schema_field({"type": "boolean"})
class TrueFalseFilter(filters.Filter):
    field_class = _TrueFalseField


class UserFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=ROLE_CHOICES, method="_role")
    active = TrueFalseFilter(field_name="is_active")

    class Meta:
        model = get_user_model()
        fields = ["role", "active"]

    def _role(self, people: Any, name: str, value: str) -> Any:
        return users_with_role(people, value)


class UserListView(RecruitingListView):
    """The people who recruit: recruiters, hiring managers and HR admins (interviewers are
    among them), active or not, newest first. Their ids are those of an interview's
    `interviewers` and `scheduled_by`, a note's `author`, a scorecard's `interviewer`. The
    e-mail address is empty for a hiring manager's key."""

    serializer_class = UserOut
    filterset_class = UserFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema: no user, no role
            return get_user_model().objects.none()
        return recruiting_users(user=self.request.user)

    @extend_schema(responses=UserOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        context = {"emails": user_emails_visible(request.user)}
        return self.get_paginated_response(UserOut(page, many=True, context=context).data)


class SourceOut(serializers.Serializer):
    name = serializers.CharField(
        help_text="As recorded: the application's `source`, else its candidate's."
    )


class SourceListView(RecruitingView):
    """The sources of the applications the key's user sees, A to Z, as the recruiting
    analytics count them (`GET /analytics/recruiting/?source=` takes these names)."""

    @extend_schema(responses=SourceOut(many=True))
    def get(self, request: Request) -> Response:
        names = analytics_sources(user=request.user)
        return Response(SourceOut([{"name": n} for n in names], many=True).data)


class CandidateTagsOut(serializers.Serializer):
    candidate = serializers.IntegerField()
    tags = serializers.ListField(child=serializers.CharField())


class TagsIn(serializers.Serializer):
    tags = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TAG_CHARS),
        min_length=1,
        max_length=MAX_TAGS,
    )


def _tags(candidate_id: int, tags: list[str]) -> Response:
    return Response(CandidateTagsOut({"candidate": candidate_id, "tags": tags}).data)


class CandidateTagsView(RecruitingView):
    @extend_schema(responses=CandidateTagsOut)
    def get(self, request: Request, pk: int) -> Response:
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        return _tags(candidate.pk, list(candidate.tags))

    @extend_schema(
        request=TagsIn,
        responses=CandidateTagsOut,
        description="Add tags (recruiters). Each is trimmed, its inner spaces collapsed; a tag "
        "the candidate has, in any case, is kept as it is. Answers every tag. Over "
        f"{MAX_TAGS} tags in all is 400 `invalid_candidate`. `candidate.updated` is sent "
        '(`fields`: `["tags"]`) when something changed.',
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(TagsIn, request)
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        tags = candidate_tags_add(candidate=candidate, by=request.user, tags=data["tags"])
        return _tags(candidate.pk, tags)


class CandidateTagsRemoveView(RecruitingView):
    @extend_schema(
        request=TagsIn,
        responses=CandidateTagsOut,
        description="Remove tags (recruiters), compared without case; a tag the candidate does "
        "not have is no error, so a retry is harmless. Answers the tags left.",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(TagsIn, request)
        candidate = selectors.candidate_get(user=request.user, pk=pk)
        tags = candidate_tags_remove(candidate=candidate, by=request.user, tags=data["tags"])
        return _tags(candidate.pk, tags)
