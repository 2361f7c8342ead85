"""Recruiting analytics over the API: GET /api/v1/analytics/recruiting/ answers the portal
page's figures (`selectors.analytics.RecruitingAnalytics`); its schema is generated from the
same types, so the published shape is what is returned."""

from __future__ import annotations

from drf_spectacular.plumbing import resolve_type_hint
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from integrations.filters import refuse_empty_parameters

from ..selectors import analytics
from .views import RecruitingView

PARAMETERS = ("job", "since", "until", "source")


class AnalyticsParams(serializers.Serializer):
    job = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="One job (all the user's jobs if left out).",
    )
    since = serializers.DateField(required=False, help_text="Applied on or after (YYYY-MM-DD).")
    until = serializers.DateField(
        required=False, help_text="Applied on or before (YYYY-MM-DD); not before `since`."
    )
    # DRF takes declared fields off the class, so this `source` does not shadow Field.source.
    source = serializers.CharField(  # type: ignore[assignment]
        required=False,
        max_length=100,
        help_text="Exact source as recorded (the application's, else the candidate's).",
    )


class RecruitingAnalyticsView(RecruitingView):
    """Pass-through rate and median days per stage, time to hire, offer acceptance, source
    effectiveness, rejection reasons and per-job figures for the applications that applied in
    the period (followed to today), among those the key's user may see: a hiring manager's
    key counts only their jobs. Aggregates only; no candidate is named. A job the user may
    not see is 404; a period that ends before it starts is 400 `invalid_analytics_filter`."""

    extra_errors = {"get": (404,)}  # the `job` named does not exist or is not visible

    @extend_schema(
        parameters=[AnalyticsParams],
        responses=OpenApiResponse(
            response=resolve_type_hint(analytics.RecruitingAnalytics),
            description="Rates in % (one decimal), durations in days (one decimal).",
        ),
    )
    def get(self, request: Request) -> Response:
        refuse_empty_parameters(request.query_params, PARAMETERS)
        params = AnalyticsParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        job = analytics.analytics_job(user=request.user, pk=data["job"]) if "job" in data else None
        filters = analytics.analytics_filters(
            job=job,
            since=data.get("since"),
            until=data.get("until"),
            source=data.get("source", ""),
        )
        return Response(analytics.recruiting_analytics(user=request.user, filters=filters))
