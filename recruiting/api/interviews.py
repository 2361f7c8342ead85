"""Interviews (read, schedule, reschedule, cancel) and the standard rejection reasons
(issue 20). Thin: `services.interviews` holds the rules and sends the invitations.

Interviews are those of applications the key's user may see (a hiring manager: their
jobs'); blind screening scrubs the candidate's identity from the text people typed (the
cancellation reason).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from integrations.drf import validated_input
from integrations.filters import MAX_ID, UtcDateTimeFilter, id_filter
from integrations.pagination import SyncCursorPagination

from .. import selectors, services
from ..models import Interview, RejectionReason
from .views import RecruitingListView, RecruitingView


class InterviewOut(serializers.ModelSerializer):
    application = serializers.IntegerField(source="application_id")
    job = serializers.IntegerField(source="application.job_id")
    candidate = serializers.IntegerField(source="application.candidate_id")
    interviewers = serializers.ListField(
        child=serializers.IntegerField(), source="interviewer_ids", help_text="User ids."
    )
    scheduled_by = serializers.IntegerField(source="scheduled_by_id", allow_null=True)
    uid = serializers.CharField(
        source="ical_uid", help_text="The iCalendar UID of the invitations; never changes."
    )
    sequence = serializers.IntegerField(
        help_text="The iCalendar SEQUENCE: 0 when scheduled, +1 per reschedule or cancellation."
    )
    time_zone = serializers.CharField(help_text="IANA time zone the invitation shows.")
    ends_at = serializers.DateTimeField()

    class Meta:
        model = Interview
        fields = [
            "id",
            "application",
            "job",
            "candidate",
            "status",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "time_zone",
            "interviewers",
            "location",
            "video_url",
            "uid",
            "sequence",
            "scheduled_by",
            "cancelled_at",
            "cancel_reason",
            "created_at",
            "updated_at",
        ]


class InterviewFilter(filters.FilterSet):
    # Incremental sync as on the other lists (inclusive); interviews have no external id.
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    status = filters.ChoiceFilter(choices=Interview.Status.choices)
    application = id_filter("application_id")
    job = id_filter("application__job_id")
    candidate = id_filter("application__candidate_id")
    starts_after = UtcDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UtcDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Interview
        fields = ["status", "application", "job", "candidate"]


SLOT_RULES = (
    "The candidate and every interviewer get an e-mail with an iCalendar invitation "
    "(`METHOD:REQUEST`; `uid` never changes, `sequence` goes up on every change). "
    "`starts_at` is an instant (ISO 8601; without an offset it is read as UTC), shown in "
    "`time_zone` (IANA). 400 `invalid_interview` (with the field) when: the time zone is "
    "unknown, the time is past, the length is not 5-480 minutes, there is neither "
    "`location` nor `video_url` (https://), an interviewer is unknown or may not act on the "
    "application (recruiters and the job's hiring managers may), or the application is closed."
)


class SlotIn(serializers.Serializer):
    starts_at = serializers.DateTimeField(default_timezone=UTC)
    time_zone = serializers.CharField(max_length=64)
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480)
    interviewers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=20,
        help_text="User ids.",
    )
    location = serializers.CharField(required=False, allow_blank=True, max_length=300)
    video_url = serializers.CharField(required=False, allow_blank=True, max_length=500)


class InterviewIn(SlotIn):
    application = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class CancelIn(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


def _slot(data: dict[str, Any]) -> services.Slot:
    return services.Slot(
        starts_at=data["starts_at"],
        time_zone=data["time_zone"],
        duration_minutes=data["duration_minutes"],
        interviewers=selectors.interviewers_by_id(data["interviewers"]),
        location=data.get("location", ""),
        video_url=data.get("video_url", ""),
    )


def _answer(request: Request, interview: Interview, code: int = 200) -> Response:
    fresh = selectors.interview_get(user=request.user, pk=interview.pk)
    (shown,) = selectors.interviews_shown_to(request.user, [fresh])
    return Response(InterviewOut(shown).data, status=code)


class InterviewListView(RecruitingListView):
    """Interviews of the applications the key's user may see, newest first; POST schedules."""

    serializer_class = InterviewOut
    filterset_class = InterviewFilter
    extra_errors = {"post": (404,)}  # the application is not one the user can see

    @extend_schema(
        request=InterviewIn, responses={201: InterviewOut}, description=f"Schedule. {SLOT_RULES}"
    )
    def post(self, request: Request) -> Response:
        data = validated_input(InterviewIn, request)
        application = selectors.application_get(user=request.user, pk=data["application"])
        interview = services.interview_schedule(
            application=application, by=request.user, slot=_slot(data)
        )
        return _answer(request, interview, status.HTTP_201_CREATED)

    def get_queryset(self) -> Any:
        return selectors.interviews_visible(self.request.user)

    @extend_schema(responses=InterviewOut(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        page = selectors.interviews_shown_to(request.user, page)
        return self.get_paginated_response(InterviewOut(page, many=True).data)


class InterviewDetailView(RecruitingView):
    @extend_schema(responses=InterviewOut)
    def get(self, request: Request, pk: int) -> Response:
        interview = selectors.interview_get(user=request.user, pk=pk)
        (shown,) = selectors.interviews_shown_to(request.user, [interview])
        return Response(InterviewOut(shown).data)


class InterviewRescheduleView(RecruitingView):
    @extend_schema(
        request=SlotIn,
        responses=InterviewOut,
        description="Move the interview: the same calendar event with `sequence` + 1; an "
        "interviewer taken off gets a `METHOD:CANCEL`. A cancelled interview cannot be "
        f"rescheduled (400). {SLOT_RULES}",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(SlotIn, request)
        interview = selectors.interview_get(user=request.user, pk=pk)
        services.interview_reschedule(interview=interview, by=request.user, slot=_slot(data))
        return _answer(request, interview)


class InterviewCancelView(RecruitingView):
    @extend_schema(
        request=CancelIn,
        responses=InterviewOut,
        description="Cancel: everyone invited gets a `METHOD:CANCEL` for the same event "
        "(`sequence` + 1). Cancelling twice is 400 `invalid_interview`.",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(CancelIn, request)
        interview = selectors.interview_get(user=request.user, pk=pk)
        services.interview_cancel(
            interview=interview, by=request.user, reason=data.get("reason", "")
        )
        return _answer(request, interview)


class RejectionReasonOut(serializers.ModelSerializer):
    class Meta:
        model = RejectionReason
        fields = ["id", "code", "label", "active"]


class RejectionReasonListView(RecruitingListView):
    """The standard rejection reasons (also the archived ones, `active` false), so a
    client can read the reason an application was rejected for."""

    serializer_class = RejectionReasonOut
    filter_backends: list[Any] = []
    pagination_class = SyncCursorPagination

    @extend_schema(responses=RejectionReasonOut(many=True))
    def get(self, request: Request) -> Response:
        return self.list_response(selectors.rejection_reasons(active_only=False))
