"""Filters shared by every list of the API: incremental sync and id filters that never turn a
client's odd value into a server error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters as filters
from django import forms
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from .auth import external_system_of

MAX_ID = 2**63 - 1
# No NUL in text (integrations.schema.NO_NUL_PATTERN; that module cannot be imported here).
NO_NUL_PATTERN = r"^[^\x00]*$"


class UtcDateTimeField(IsoDateTimeField):
    """ISO 8601, normalised to UTC: databases refuse some offsets (PostgreSQL: beyond ±16 h)."""

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError("This date and time is out of range.") from exc


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    """An object's id: a whole number from 1 (the schema says integer, not number)."""

    field_class = forms.IntegerField


@extend_schema_field(
    {"type": "string", "minLength": 1, "maxLength": 128, "pattern": NO_NUL_PATTERN}
)
class ExternalIdFilter(filters.CharFilter):
    """An `external_id` to look for (sent empty it is refused, not read as left out)."""


def id_filter(field_name: str, **kwargs: Any) -> IdFilter:
    return IdFilter(field_name=field_name, min_value=1, max_value=MAX_ID, **kwargs)


class SyncFilterSet(filters.FilterSet):
    """`updated_after` / `created_after` are inclusive: a client passes the time its last
    sync started and may see a row twice, never miss one."""

    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    external_id = ExternalIdFilter(field_name="external_id", max_length=128)


class OwnExternalIdFilterSet(SyncFilterSet):
    """For records whose `external_id` is per integration (`external_system`): the filter
    finds the caller's own id, never another integration's record with the same id."""

    external_id = ExternalIdFilter(
        method="filter_own_external_id",
        max_length=128,
        help_text="The calling integration's own id (each integration has its own ids).",
    )

    def filter_own_external_id(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(external_id=value, external_system=external_system_of(self.request))


def refuse_empty_parameters(query_params: Any, names: Any) -> None:
    """A parameter sent empty (`?updated_after=`) is refused (400), not read as left out: a
    sync that lost its timestamp must not silently fetch everything."""
    empty = sorted(name for name in names if name in query_params and query_params[name] == "")
    if empty:
        message = "Give a value, or leave the parameter out."
        raise ValidationError({name: [message] for name in empty})


class SyncFilterBackend(DjangoFilterBackend):
    """django-filter, minus the cost of building a form when the request filters nothing
    (the common unfiltered page); with any filter parameter it validates as usual."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = tuple(filterset_class.base_filters)
        if not any(param.startswith(names) for param in request.query_params):
            return queryset  # (range filters take suffixed names, hence startswith)
        refuse_empty_parameters(request.query_params, names)
        return super().filter_queryset(request, queryset, view)
