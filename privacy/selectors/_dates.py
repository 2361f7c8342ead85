"""Day bounds shared by the privacy reads that filter by a date range."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone

_M = TypeVar("_M", bound=Model)


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def before_day_after(queryset: QuerySet[_M], field: str, day: date) -> QuerySet[_M]:
    """Rows up to the end of `day` (the last representable day has no day after it)."""
    if day >= date.max:
        return queryset
    return queryset.filter(**{f"{field}__lt": day_start(day + timedelta(1))})
