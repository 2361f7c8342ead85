"""One error body for the whole REST API: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from .errors import DomainError, NotAllowed


def _body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


# The same body as a JSON Schema: published as the ErrorResponse component of the OpenAPI
# schema (integrations.schema) and checked against real answers (tests/api).
ERROR_BODY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The one error body of the API, whatever the status.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable, for programs: `invalid`, `not_found`, "
                    "`invalid_transition`, `throttled`...",
                },
                "message": {"type": "string", "description": "For people."},
                "fields": {
                    "type": "object",
                    "description": "Field name → messages (`non_field_errors` for the request "
                    "as a whole); empty when no field is at fault.",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
            "additionalProperties": False,
        }
    },
    "required": ["error"],
    "additionalProperties": False,
}


def _messages(detail: Any, where: str = "") -> list[str]:
    """A field's messages as text; an item's or a key's (a list or a dict field) say which,
    e.g. `3: Null characters are not allowed.` (was the repr of DRF's nested errors)."""
    if isinstance(detail, dict):
        return [m for k, v in detail.items() for m in _messages(v, f"{where}{k}: ")]
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        items = [(i, item) for i, item in enumerate(detail) if item]
        return [m for i, item in items for m in _messages(item, f"{where}{i}: ")]
    return [f"{where}{m}" for m in (detail if isinstance(detail, list) else [detail])]


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): _messages(v) for k, v in detail.items()}
    return {"non_field_errors": _messages(detail)}


logger = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, IntegrityError):
        # A unique value already taken (e.g. an external_id another record has) that no
        # service rule caught first: the client's conflict, not a server error. Logged, as a
        # service should have named the field.
        logger.warning("API write refused by a database constraint: %s", exc)
        set_rollback()
        message = "This conflicts with an existing record: a value that must be unique is taken."
        return Response(_body("conflict", message), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DomainError):
        http_status = getattr(exc, "http_status", status.HTTP_400_BAD_REQUEST)
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(_body(exc.code, exc.message, fields), status=http_status)
    if isinstance(exc, NotAllowed):
        return Response(_body(exc.code, exc.message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        return Response(_body("not_found", str(exc) or "Not found."), status=404)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _body("invalid", "The request has invalid fields.", _flatten(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail) if not isinstance(detail, (dict, list)) else "Request refused."
        codes = exc.get_codes()
        response.data = _body(codes if isinstance(codes, str) else exc.default_code, message)
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: a path under /api/ that no route matches gets the one error body (JSON);
    the portal keeps its HTML page."""
    if request.path_info.startswith("/api/"):
        body = _body("not_found", "There is no such API endpoint. See /api/docs/.")
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception or Http404())
