"""Privacy API: the bias audit report as JSON, for HR admins."""

from __future__ import annotations

from dataclasses import asdict

from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .permissions import is_hr_admin
from .views import _audit_viewed, bias_audit_params


class IsHRAdmin(BasePermission):
    message = "Only HR admins can run the bias audit."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_hr_admin(request.user)


class BiasAuditAPIView(APIView):
    """GET ?job=&start=&end=&threshold=&min_group_size= → the report (aggregates only)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, IsHRAdmin]
    # Picked up by the API-key authentication: a key needs this scope.
    required_scopes = ["hr:read"]

    def get(self, request: Request) -> Response:
        form, scope, options = bias_audit_params(request.query_params)
        if form.errors:
            raise exceptions.ValidationError(form.errors.get_json_data())
        report = selectors.bias_audit_report(scope, **options)
        _audit_viewed(request, scope, "api")
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
