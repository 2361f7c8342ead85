"""The GDPR export's field list is complete: every field of the candidate and of every model
that holds rows about a candidate is exported or deliberately left out, with the reason
(privacy/services/rights.py). A field or model added without that decision fails here."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model

from privacy.services import rights
from recruiting.models import Application, Candidate, Resume

# Models being built in the same session by the interviews and e-mails work; their export is
# decided when that work lands (then take them off this list).
IN_PROGRESS = {"recruiting.Interview", "recruiting.OutboundEmail"}
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
    } - IN_PROGRESS
    assert not undecided, f"export or list in rights.NOT_EXPORTED_MODELS, with why: {undecided}"


def test_every_field_of_an_exported_model_is_decided():
    exported = set(rights.EXPORTED_FIELDS) | set(rights.EXPORTED_OTHERWISE)
    undecided = {
        f"{model._meta.label}.{field.name}"
        for model in exported
        for field in model._meta.concrete_fields
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
