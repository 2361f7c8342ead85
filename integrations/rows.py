"""List pages rendered straight from `QuerySet.values()` rows, in a serializer's exact shape.

A DRF ModelSerializer builds a model instance per row and runs every field's
`to_representation`: on a 50-row page that is most of a list request's time. The list
endpoints instead read plain rows and render them with a plan compiled once from the same
serializer, so the serializer stays the one definition of the shape (and of the OpenAPI
schema); tests compare both outputs field by field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, fields, serializers
from rest_framework.settings import api_settings

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


class _DateTime:
    """Marks a DRF ISO 8601 datetime field ("Z" for UTC): `render_all` binds the time zone
    once per page (DRF looks it up again for every value)."""

    @staticmethod
    def bind(zone: tzinfo) -> Convert:
        def convert(value: datetime) -> str:
            text = value.astimezone(zone).isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return convert


def _converter(field: fields.Field) -> Convert | _DateTime:
    """The cheapest function that gives what `field.to_representation` gives for the
    values a database row holds; the field's own method where there is no shortcut."""
    if isinstance(field, fields.DateTimeField):
        iso = getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
        plain = getattr(field, "timezone", None) is None  # no zone of its own: the current one
        return _DateTime() if iso and plain and settings.USE_TZ else field.to_representation
    if isinstance(field, fields.FloatField):
        return float
    if isinstance(field, fields.BooleanField):
        return bool
    if isinstance(field, fields.ChoiceField):
        return field.to_representation  # maps stored values to the declared choices
    if isinstance(field, fields.CharField | fields.IntegerField | fields.JSONField):
        return _identity  # text, whole numbers and decoded JSON come back as they are
    if isinstance(field, fields.ListField) and isinstance(field.child, fields.CharField):
        return _identity  # JSON lists of strings
    return field.to_representation


class RowPlan:
    """(output name, row key, converter) per field of `serializer_class`.

    Method fields take the row's value under the field's own name: the query annotates it.
    """

    def __init__(self, serializer_class: type[serializers.Serializer]) -> None:
        self.plan: list[tuple[str, str, Convert | _DateTime]] = []
        for name, field in serializer_class().fields.items():
            if isinstance(field, serializers.SerializerMethodField):
                self.plan.append((name, name, _identity))
            elif isinstance(field, serializers.BaseSerializer) or "." in (field.source or name):
                raise TypeError(f"{serializer_class.__name__}.{name}: not a flat column")
            else:
                self.plan.append((name, field.source or name, _converter(field)))

    @property
    def columns(self) -> list[str]:
        """What `values()` must select (method fields are the query's annotations)."""
        return [key for _, key, _ in self.plan]

    def render_all(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        zone = timezone.get_current_timezone()
        plan = [
            (name, key, convert.bind(zone) if isinstance(convert, _DateTime) else convert)
            for name, key, convert in self.plan
        ]
        return [
            {name: None if row[key] is None else convert(row[key]) for name, key, convert in plan}
            for row in rows
        ]


@cache
def row_plan(serializer_class: type[serializers.Serializer]) -> RowPlan:
    return RowPlan(serializer_class)
