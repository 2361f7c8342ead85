"""A job's pipeline stages over the API (issue 20): list them, and move an application to any
stage of its job, the job's own stages included. Thin: `services` holds the rules.

Applications in a job's own stage carry its key ("custom_<id>") in `stage` everywhere else;
this list gives those keys their names. The older `POST /applications/{id}/move/` keeps
its contract (the default stages only).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.text import NOTE_MAX_CHARS
from integrations.drf import validated_input

from .. import selectors, services
from .serializers import ApplicationOut
from .views import RecruitingView


class JobStageOut(serializers.Serializer):
    key = serializers.CharField(
        help_text="The value of an application's `stage` in this stage: a default stage's "
        "name (applied, screening, interview, offer) or `custom_<id>` for the job's own."
    )
    name = serializers.CharField()
    position = serializers.IntegerField(help_text="0 for Applied; Offer is last.")
    custom = serializers.BooleanField(help_text="The job's own stage (not from the template).")
    applications = serializers.IntegerField(
        source="n_applications", help_text="Applications in this stage now."
    )


class StageMoveIn(serializers.Serializer):
    to_stage = serializers.CharField(
        max_length=16, help_text="A key from GET /jobs/{id}/stages/, or hired/rejected/withdrawn."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_CHARS)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_CHARS,
        help_text="Needed to go back to an earlier stage, to reject or to withdraw.",
    )


class JobStageListView(RecruitingView):
    """The job's open stages in order (the default template plus the job's own); every job
    then closes with hired, rejected or withdrawn."""

    @extend_schema(responses=JobStageOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        job = selectors.job_get(user=request.user, pk=pk)
        stages = selectors.job_stages_with_counts(job=job)
        return Response(JobStageOut(stages, many=True).data)


class ApplicationStageView(RecruitingView):
    """Move to any stage of the application's job (its own stages included): forward past
    stages (the skipped ones are recorded), back with a reason, or out with a reason."""

    @extend_schema(request=StageMoveIn, responses=ApplicationOut)
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(StageMoveIn, request)
        application = selectors.application_get(user=request.user, pk=pk)
        services.application_move(
            application=application,
            to_stage=data["to_stage"],
            by=request.user,
            note=data.get("note", ""),
            reason=data.get("reason", ""),
        )
        fresh = selectors.application_detail(user=request.user, pk=application.pk)
        return Response(ApplicationOut(fresh).data)
