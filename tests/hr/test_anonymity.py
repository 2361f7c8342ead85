"""An anonymous response cannot be linked back to the employee who gave it."""

from __future__ import annotations

from django.db import models

from hr.models import Answer, Employee, Invitation, Response


def _related_models(model: type[models.Model]) -> set[type[models.Model]]:
    return {
        f.related_model
        for f in model._meta.get_fields()
        if f.is_relation and (f.many_to_one or f.one_to_one or f.many_to_many) and f.concrete
    }


def test_response_has_no_link_to_employee_or_invitation():
    linked = _related_models(Response) | _related_models(Answer)
    assert Employee not in linked
    assert Invitation not in linked


def test_response_time_is_kept_to_the_day_only():
    kinds = {type(f) for f in Response._meta.concrete_fields}
    assert models.DateTimeField not in kinds
    assert isinstance(Response._meta.get_field("submitted_on"), models.DateField)
    assert not isinstance(Response._meta.get_field("submitted_on"), models.DateTimeField)
    assert all(not isinstance(f, models.DateTimeField) for f in Answer._meta.concrete_fields)


def test_row_order_reveals_nothing():
    # Random UUID keys: no auto-increment that would give the order of submissions.
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert isinstance(Answer._meta.pk, models.UUIDField)


def test_invitation_keeps_no_time_of_use():
    field_names = {f.name for f in Invitation._meta.concrete_fields}
    assert "used" in field_names
    assert not any("used_at" in name or "answered" in name for name in field_names)
    assert "token" not in field_names  # only the hash is stored
