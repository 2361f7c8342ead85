"""Read endpoints for interviews and the standard rejection reasons (issue 20).

Interviews are those of applications the key's user may see (a hiring manager: their
jobs'); blind screening scrubs the candidate's identity from the text people typed (the
cancellation reason). Scheduling, rescheduling and cancelling stay in the portal for now:
they send e-mails to people, which an integration should not do unseen.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from integrations.filters import UtcDateTimeFilter, id_filter
from integrations.pagination import SyncCursorPagination

from .. import selectors
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


class InterviewListView(RecruitingListView):
    """Interviews of the applications the key's user may see, newest first."""

    serializer_class = InterviewOut
    filterset_class = InterviewFilter

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
