"""The OpenAPI schema's conventions in one place: the API key scheme, the one error body on
every operation (with the statuses each can answer), and the Idempotency-Key header."""

from __future__ import annotations

import copy
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ERROR_BODY_SCHEMA

from .auth import ApiKeyThrottle
from .idempotency import MAX_KEY_LENGTH

ERROR_COMPONENT = "ErrorResponse"

# What each error status means in this API (docs/api.md, "Errors").
ERROR_DESCRIPTIONS = {
    400: "Invalid input (messages per field in `fields`), or a rule's refusal (its own `code`).",
    401: "No API key, or one that is unknown or revoked.",
    403: "The key lacks the scope this operation needs, or its user the role.",
    404: "No such object (in the path, or named in the body), or one the key's user may not see.",
    406: "The request accepts only types the API does not answer (e.g. `Accept: text/html`): "
    "the API answers JSON.",
    409: "A conflict: the Idempotency-Key is in use by a request still running or was used with "
    "another body; a value that must be unique is taken; an `external_id` that names a record "
    "the request contradicts (`external_id_conflict`); a file that is another candidate's "
    "resume (`duplicate_resume`).",
    410: "The survey link was used already, or the survey is closed.",
    413: "Over a size limit (the upload, or the batch or text of a model call).",
    415: "A body this operation cannot read: JSON bodies take `application/json` only, uploads "
    "`multipart/form-data`; or a file that is not a resume format SmartHR reads.",
    422: "The file could not be read as a resume.",
    429: "The API key's rate limit is spent; retry after `Retry-After` seconds.",
}

IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Any unique string per logical request (1 to 255 characters, no control "
    "characters). A retry with the same key gets the first answer back, with "
    "`Idempotent-Replayed: true`, and nothing is done twice; the same key with another body "
    "is 409. Kept 24 hours per API key.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        # Not only spaces, and no control characters (both are 400).
        "pattern": r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$",
    },
}


# On every answer to a request with a valid API key (integrations.middleware): not on 401
# (no valid key) nor 406 (refused before the key is read).
RATE_LIMIT_HEADERS: dict[str, Any] = {
    "X-RateLimit-Limit": {
        "schema": {"type": "integer", "minimum": 1},
        "description": "Requests the API key may make per minute (a sliding window).",
    },
    "X-RateLimit-Remaining": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Requests left in the window now, this one counted.",
    },
    "X-RateLimit-Reset": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Unix time (seconds) when every request counted now has left the "
        "window, so the whole limit is free again if no more are made.",
    },
}
NO_RATE_LIMIT_HEADERS = {"401", "406"}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus the error responses and the Idempotency-Key header.

    The statuses come from what the view does: 401/403 on every operation (keys, scopes,
    roles), 400 where there is input (a body, query parameters, an Idempotency-Key), 404 on
    paths with an id, 406 unless the operation answers any Accept (a file download), 409 where
    an Idempotency-Key is honoured, 413/415 on uploads, 415 on every JSON body, 429 where the
    API key's rate limit applies; a view adds the statuses of its own rules with
    `extra_errors = {"post": (410,)}`.
    """

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        if self._honours_idempotency_key():
            operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_HEADER))
        ref = self._error_component().ref
        errors = self._error_statuses(operation)
        for code in sorted(errors):
            operation["responses"].setdefault(str(code), self._error_response(code, ref))
        if 429 in errors:  # rate-limited: every answer to a key says where it stands
            for code, response in operation["responses"].items():
                if code not in NO_RATE_LIMIT_HEADERS:
                    headers = copy.deepcopy(RATE_LIMIT_HEADERS)
                    response["headers"] = {**headers, **response.get("headers", {})}
        return operation

    def _honours_idempotency_key(self) -> bool:
        return self.method in getattr(self.view, "idempotent_methods", ())

    def _error_component(self) -> ResolvedComponent:
        component = ResolvedComponent(
            name=ERROR_COMPONENT,
            type=ResolvedComponent.SCHEMA,
            object=ERROR_COMPONENT,
            schema=ERROR_BODY_SCHEMA,
        )
        self.registry.register_on_missing(component)
        return component

    def _error_statuses(self, operation: dict[str, Any]) -> set[int]:
        params = operation.get("parameters", [])
        body = operation.get("requestBody", {}).get("content", {})
        codes = {401, 403}
        if body or any(p["in"] == "query" for p in params) or self._honours_idempotency_key():
            codes.add(400)
        if "{" in self.path:
            codes.add(404)
        if self._answers_json_only(operation):
            codes.add(406)
        if self._honours_idempotency_key():
            codes.add(409)
        if body:
            codes.add(415)
        if any(media.startswith("multipart/") for media in body):
            codes.add(413)
        if any(issubclass(t, ApiKeyThrottle) for t in self.view.throttle_classes):
            codes.add(429)
        codes.update(getattr(self.view, "extra_errors", {}).get(self.method.lower(), ()))
        return codes

    @staticmethod
    def _answers_json_only(operation: dict[str, Any]) -> bool:
        for code, response in operation["responses"].items():
            if code.startswith("2") and set(response.get("content", {})) - {"application/json"}:
                return False  # a file download answers any Accept
        return True

    @staticmethod
    def _error_response(code: int, ref: dict[str, str]) -> dict[str, Any]:
        response: dict[str, Any] = {
            "description": ERROR_DESCRIPTIONS[code],
            "content": {"application/json": {"schema": ref}},
        }
        if code == 401:
            response["headers"] = {
                "WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Bearer`"}
            }
        if code == 429:
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer", "minimum": 1},
                    "required": True,
                    "description": "Whole seconds until the key's next request is allowed "
                    "(rounded up: a request sent after waiting this long is let in, unless "
                    "others were sent meanwhile).",
                }
            }
        return response


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "shr_<prefix>_<secret>",
            "description": "An integration's API key (python manage.py create_api_key).",
        }


# --- stored JSON, typed -----------------------------------------------------------------
# JSON columns come back as stored; these JSONFields only tell the schema what is in them.
# "Open" objects (additionalProperties) may gain keys; the listed ones are documented.

_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_NULLABLE_STRING: dict[str, Any] = {"type": "string", "nullable": True}
_EXPERIENCE: dict[str, Any] = {
    "type": "object",
    "description": "One job; `start`/`end` are YYYY-MM (`end` may be `present`).",
    "properties": {
        "title": _NULLABLE_STRING,
        "employer": _NULLABLE_STRING,
        "start": _NULLABLE_STRING,
        "end": _NULLABLE_STRING,
    },
    "additionalProperties": True,
}
_EDUCATION: dict[str, Any] = {
    "type": "object",
    "description": "One degree; `year` is when it ended (withheld under blind screening).",
    "properties": {
        "degree": _NULLABLE_STRING,
        "institution": _NULLABLE_STRING,
        "year": {"type": "integer", "nullable": True},
    },
    "additionalProperties": True,
}
PARSED_RESUME: dict[str, Any] = {
    "type": "object",
    "description": "What the parser read (empty until the file is parsed).",
    "properties": {
        "file": {"type": "string"},
        "status": {"type": "string", "description": "`parsed` or `failed`"},
        "error": _NULLABLE_STRING,
        "name": _NULLABLE_STRING,
        "email": _NULLABLE_STRING,
        "phone": _NULLABLE_STRING,
        "location": _NULLABLE_STRING,
        "links": _STRINGS,
        "skills": _STRINGS,
        "experience": {"type": "array", "items": _EXPERIENCE},
        "education": {"type": "array", "items": _EDUCATION},
        "years_experience": {"type": "number", "nullable": True},
        "text_chars": {"type": "integer"},
        "parser_version": {"type": "string"},
        "ocr": {"type": "boolean", "description": "read by OCR (a scan or photo)"},
        "ocr_confidence": {
            "type": "number",
            "nullable": True,
            "description": "the OCR engine's mean confidence, 0-1 (null when not OCR'd)",
        },
        "needs_check": {
            "type": "boolean",
            "description": "low OCR confidence: a person should check the fields",
        },
    },
    "additionalProperties": True,
}
_ATTRIBUTIONS: dict[str, Any] = {
    "type": "object",
    "description": "Signed word weights: `method`, and per side (`job`, `resume`) a list of "
    "[word, weight] pairs.",
    "properties": {"method": {"type": "string"}},
    "additionalProperties": True,
}
FIT_EXPLANATION: dict[str, Any] = {
    "type": "object",
    "description": "Why the score: skills matched and missing, years against the minimum, and "
    "word attributions.",
    "properties": {
        "matched_skills": _STRINGS,
        "missing_skills": _STRINGS,
        "matched_preferred": _STRINGS,
        "years_experience": {"type": "number", "nullable": True},
        "min_years_experience": {"type": "number", "nullable": True},
        "meets_min_years": {"type": "boolean", "nullable": True},
        "resume_id": {"type": "integer"},
        "attributions": _ATTRIBUTIONS,
        "integrated_gradients": _ATTRIBUTIONS,
    },
    "additionalProperties": True,
}


@extend_schema_field(_STRINGS)
class StringListJSON(serializers.JSONField):
    """A stored JSON list of strings (skills, tags, links, scopes, events...)."""


@extend_schema_field({"type": "array", "items": _EXPERIENCE})
class ExperienceJSON(serializers.JSONField):
    """A candidate's jobs."""


@extend_schema_field({"type": "array", "items": _EDUCATION})
class EducationJSON(serializers.JSONField):
    """A candidate's degrees."""


@extend_schema_field(PARSED_RESUME)
class ParsedResumeJSON(serializers.JSONField):
    """A resume's parsed profile."""


@extend_schema_field(FIT_EXPLANATION)
class FitExplanationJSON(serializers.JSONField):
    """A fit score's explanation."""


@extend_schema_field(
    {
        "type": "object",
        "description": "Skill → rating (a whole number).",
        "additionalProperties": {"type": "integer"},
    }
)
class RatingsJSON(serializers.JSONField):
    """A scorecard's ratings."""


@extend_schema_field(
    {
        "type": "object",
        "description": "The event as it was sent: `id`, `type`, `created_at`, `data` (ids only).",
        "additionalProperties": True,
    }
)
class PayloadJSON(serializers.JSONField):
    """A webhook delivery's payload."""


# --- text in requests ------------------------------------------------------------------
# Django refuses the NUL character in any text (a form or a serializer field); PostgreSQL
# could not store it. Said in the schema so that a client (or a fuzzer) knows.
NO_NUL_PATTERN = r"^[^\x00]*$"
# A text that may not be blank is trimmed first (DRF's CharField): it needs a visible character.
NOT_BLANK_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"


def _forbid_nul(schema: dict[str, Any]) -> None:
    if schema.get("type") == "string" and not {"format", "pattern", "enum"} & set(schema):
        schema["pattern"] = NOT_BLANK_PATTERN if schema.get("minLength") else NO_NUL_PATTERN
    for child in schema.get("properties", {}).values():
        _forbid_nul(child)
    if isinstance(schema.get("items"), dict):
        _forbid_nul(schema["items"])


def forbid_nul_in_request_text(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: request text may not hold NUL (`pattern`)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _forbid_nul(component)
    return result


# --- answers are complete -----------------------------------------------------------------
# An output serializer writes every one of its fields on every answer (a value the caller may
# not see is blanked, never left out), so each is required in a response component; without
# this a generated client types every defaulted model field `str | Unset`.


def require_response_fields(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every property of an answer's component is
    required. Request components (`...Request`, COMPONENT_SPLIT_REQUEST) keep their own."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or name == ERROR_COMPONENT:
            continue
        properties = component.get("properties")
        if component.get("type") == "object" and properties:
            component["required"] = sorted(properties)
    return result
