"""Cursor pagination for sync: a stable order, pages in the body and in a Link header."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import DomainError


class InvalidCursor(DomainError):
    """A cursor that no page of this list gave out: the schema can only say "a string"."""

    code = "invalid_cursor"


def _invalid_cursor() -> InvalidCursor:
    return InvalidCursor("This cursor is not valid.", field="cursor")


class SyncCursorPagination(CursorPagination):
    """Cursor pages in a stable order (newest id first), in the body and a Link header."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self._model = queryset.model  # decode_cursor checks the position against its field
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Any:
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise _invalid_cursor() from exc
        if cursor is not None and cursor.position is not None:
            # The position is the client's text: a tampered one ("\x00", "abc") must be a
            # 400 here, not a ValueError when the queryset is filtered by it.
            field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
            try:
                position = field.to_python(cursor.position)
                field.run_validators(position)  # e.g. an id past the column's range
                field.get_prep_value(position)
            except (DjangoValidationError, ValueError, TypeError, OverflowError) as exc:
                raise _invalid_cursor() from exc
            if isinstance(position, str) and "\x00" in position:
                raise _invalid_cursor()
        return cursor

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if not 1 <= value <= self.max_page_size:
                raise exceptions.ValidationError(
                    {"page_size": [f"Use a whole number from 1 to {self.max_page_size}."]}
                )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque: the cursor of the `next` or `previous` link of a page. "
                "Leave out for the first page.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} "
                f"(default {self.page_size}).",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for url, rel in ((self.get_next_link(), "next"), (self.get_previous_link(), "prev"))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response
