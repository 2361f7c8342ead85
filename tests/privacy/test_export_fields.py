"""The GDPR export's field list is complete: every field of the candidate and of every model
that holds rows about a candidate is exported or deliberately left out, with the reason
(privacy/services/rights.py). A field or model added without that decision fails here."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Model

from privacy.services import rights
from recruiting.models import Application, Candidate, Resume

OWNERS = (Candidate, Application, Resume)


def _candidate_models() -> set[type[Model]]:
    """The candidate and every model with a key to the candidate, an application or a resume."""
    found: set[type[Model]] = {Candidate}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in OWNERS:
                found.add(model)
    return found


def _decided(model: type[Model]) -> set[str]:
    return (
        set(rights.EXPORTED_FIELDS.get(model, ()))
        | set(rights.EXPORTED_OTHERWISE.get(model, {}))
        | set(rights.NOT_EXPORTED.get(model, {}))
    )


def test_every_model_holding_candidate_data_is_decided():
    undecided = {
        model._meta.label
        for model in _candidate_models()
        if model not in rights.NOT_EXPORTED_MODELS
        and model not in rights.EXPORTED_FIELDS
        and model not in rights.EXPORTED_OTHERWISE
    }
    assert not undecided, f"export or list in rights.NOT_EXPORTED_MODELS, with why: {undecided}"


def test_every_field_of_an_exported_model_is_decided():
    exported = set(rights.EXPORTED_FIELDS) | set(rights.EXPORTED_OTHERWISE)
    undecided = {
        f"{model._meta.label}.{field.name}"
        for model in exported
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.name not in _decided(model) and field.attname not in _decided(model)
    }
    assert not undecided, f"export or list in rights.NOT_EXPORTED, with why: {undecided}"


def test_no_field_is_both_exported_and_left_out():
    for model, fields in rights.EXPORTED_FIELDS.items():
        assert not set(fields) & set(rights.NOT_EXPORTED.get(model, {})), model._meta.label
    for model in rights.NOT_EXPORTED_MODELS:
        assert model not in rights.EXPORTED_FIELDS, model._meta.label


def test_the_rule_catches_a_new_field(monkeypatch):
    # Were Candidate's "phone" neither exported nor listed, the test above would fail.
    fields = tuple(f for f in rights.EXPORTED_FIELDS[Candidate] if f != "phone")
    monkeypatch.setitem(rights.EXPORTED_FIELDS, Candidate, fields)
    assert "phone" not in _decided(Candidate)
    names = {f.name for f in Candidate._meta.concrete_fields}
    assert "phone" in names


@pytest.mark.django_db
def test_interviews_and_emails_are_exported(candidate, hr_admin):
    from datetime import timedelta

    from django.utils import timezone

    from recruiting.models import Interview, OutboundEmail

    application = Application.objects.get(candidate=candidate)
    Interview.objects.create(
        application=application,
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=45,
        time_zone="Europe/Paris",
        location="Room Zqelina",
    )
    OutboundEmail.objects.create(
        candidate=candidate,
        application=application,
        kind="interview_invitation",
        to_candidate=True,
        recipient=candidate.email,
        subject="Your interview",
        body="Dear Quentin, see you soon.",
    )
    data = rights.candidate_export_data(candidate)
    (interview,) = data["applications"][0]["interviews"]
    assert interview["location"] == "Room Zqelina" and interview["duration_minutes"] == 45
    (email,) = data["emails"]
    assert email["body"] == "Dear Quentin, see you soon." and "recipient" not in email
