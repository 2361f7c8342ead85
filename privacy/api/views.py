"""Privacy API, for HR admins: the bias audit report as JSON; erasing or anonymising a
candidate (GDPR) through the same services as the portal and the retention task."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from integrations.drf import ApiView, validated_input
from integrations.filters import refuse_empty_parameters
from recruiting.selectors import candidate_get

from .. import services
from ..bias_audit import bias_audit_params
from ..models import CandidateErasure

if TYPE_CHECKING:
    from django.contrib.auth.models import User
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


# --- erasure and anonymisation of a candidate (GDPR) -------------------------------------


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [{"type": "integer"}, {"type": "array", "items": {"type": "string"}}]
        },
        "description": "Counts per kind of record (`resumes`, `files`, `notes`...) and the "
        "names of the profile fields emptied (`profile_fields`).",
    }
)
class RemovedCountsJSON(serializers.JSONField):
    pass


class ErasureOut(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="candidate_id")
    by = serializers.IntegerField(source="by_id", allow_null=True)
    occurred_at = serializers.DateTimeField(source="at")
    removed = RemovedCountsJSON(
        help_text="What was removed, as counts and field names (never the values)."
    )

    class Meta:
        model = CandidateErasure
        fields = ["candidate", "kind", "reason", "by", "occurred_at", "removed"]


class EraseIn(serializers.Serializer):
    reason = serializers.CharField(
        max_length=300, help_text="Why: e.g. the reference of the candidate's request."
    )


class AnonymiseIn(serializers.Serializer):
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Why now (e.g. your system's retention rule); recorded with the anonymisation.",
    )


SCRUB = (
    "The candidate's personal data is removed in one transaction: the profile's fields are "
    "emptied (name, e-mail, phone, links, resume text...), their resumes and files deleted, "
    "notes, scorecard comments, stage notes, e-mails, self-identification answers and the "
    "applications' reasons and `external_id` removed. The candidate and their applications "
    "stay (ids, stages, dates) for the counts. The audit log records who, when and why "
    "(`{action}`, via the API and the key); a tombstone (`kind` `{kind}`) appears in "
    "`GET /deletions/` and `candidate.deleted` is sent. Only an HR admin's key may do this, "
    "and it needs the `privacy:erase` scope (403 otherwise; a candidate the key's user "
    "cannot see is 404). A candidate erased or anonymised before is 409 `already_erased`."
)


def _acting(request: Request) -> User:
    # Authenticated by then (a key or a session): the default permissions refuse anyone else.
    return cast("User", request.user)


class _CandidatePrivacyAction(ApiView):
    """A write on one candidate's personal data: the key's user must see the candidate
    (404) and the privacy service checks the role (403)."""

    scope_write = "privacy:erase"


class CandidateEraseView(_CandidatePrivacyAction):
    @extend_schema(
        request=EraseIn,
        responses=ErasureOut,
        description="Erase a candidate on their request (GDPR right to erasure). "
        + SCRUB.format(action="candidate.erased", kind="erased")
        + " A blank `reason` is 400.",
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(EraseIn, request)
        candidate = candidate_get(user=request.user, pk=pk)
        erasure = services.candidate_erase(
            candidate=candidate, by=_acting(request), reason=data["reason"]
        )
        return Response(ErasureOut(erasure).data)


class CandidateAnonymiseView(_CandidatePrivacyAction):
    @extend_schema(
        request=AnonymiseIn,
        responses=ErasureOut,
        description="Anonymise a candidate now, before SmartHR's own retention date (e.g. your "
        "system's retention rule passed). "
        + SCRUB.format(action="candidate.anonymised", kind="anonymised"),
    )
    def post(self, request: Request, pk: int) -> Response:
        data = validated_input(AnonymiseIn, request)
        candidate = candidate_get(user=request.user, pk=pk)
        erasure = services.candidate_anonymise_early(
            candidate=candidate, by=_acting(request), reason=data.get("reason", "")
        )
        return Response(ErasureOut(erasure).data)
