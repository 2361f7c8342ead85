"""Privacy API: the bias audit report as JSON, for HR admins."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from integrations.filters import refuse_empty_parameters

from .. import services
from ..bias_audit import bias_audit_params
from ..permissions import is_hr_admin


class IsHRAdmin(BasePermission):
    message = "Only HR admins can run the bias audit."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_hr_admin(request.user)


AUDIT_PARAMETERS = ("job", "start", "end", "threshold", "min_group_size")


class BiasAuditAPIView(APIView):
    """GET ?job=&start=&end=&threshold=&min_group_size= → the report (aggregates only)."""

    # The project's authentication (session or API key) and scope check, plus the HR role.
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, IsHRAdmin]  # type: ignore[list-item]
    # An API key needs this scope (read by the scope check), and its user the HR admin role.
    scope_read = "hr:read"
    extra_errors = {"get": (404,)}  # the `job` named does not exist
    required_scopes = ["hr:read"]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "job",
                {"type": "integer", "minimum": 1},
                description="One job (all jobs when left out).",
            ),
            OpenApiParameter("start", OpenApiTypes.DATE, description="Applied on or after."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Applied on or before."),
            OpenApiParameter(
                "threshold",
                {"type": "number", "minimum": 0, "maximum": 100},
                description="Fit score threshold, 0-100.",
            ),
            OpenApiParameter(
                "min_group_size",
                {"type": "integer", "minimum": 1, "maximum": 1000},
                description="Smallest group judged, 1-1000.",
            ),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        refuse_empty_parameters(request.query_params, AUDIT_PARAMETERS)
        form, scope, options = bias_audit_params(request.query_params)
        if form.errors:
            if "job" in form.errors:  # a job named that does not exist: 404, as elsewhere
                raise exceptions.NotFound("There is no such job.")
            raise exceptions.ValidationError(form.errors.get_json_data())
        report = services.bias_audit_run(user=request.user, scope=scope, fmt="api", options=options)
        return Response(
            {
                "scope": {
                    "job": scope.job.pk if scope.job else None,
                    "start": scope.start,
                    "end": scope.end,
                },
                **asdict(report),
                "flags": report.flags,
            }
        )
