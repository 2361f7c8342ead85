"""The audit log is append-only and records who moved an application, from where."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry, AuditLogIsAppendOnly
from audit.services import audit_record
from core import events
from recruiting import services
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db


def test_moving_an_application_writes_an_entry_with_actor_and_stages(recruiter):
    application = ApplicationFactory(job=JobFactory(owner=recruiter))
    services.application_move(application=application, to_stage=Stage.SCREENING, by=recruiter)
    entry = AuditEntry.objects.get(action="application.moved")
    assert entry.actor == recruiter
    assert entry.actor_label == recruiter.username
    assert entry.target_id == str(application.pk)
    assert entry.details["from_stage"] == Stage.APPLIED
    assert entry.details["to_stage"] == Stage.SCREENING


def test_entries_cannot_be_changed_or_deleted(recruiter):
    entry = audit_record(action="candidate.exported", actor=recruiter, target_id=1)
    entry.summary = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary != "rewritten"


def test_unknown_action_is_refused():
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(action="made.up")


def test_a_portal_request_records_the_client_address(client, recruiter):
    application = ApplicationFactory(job=JobFactory(owner=recruiter))
    client.force_login(recruiter)
    # Any request that moves an application goes through the middleware.
    response = client.post(
        f"/applications/{application.pk}/move/",
        {"to_stage": Stage.SCREENING},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code in (200, 302)
    entry = AuditEntry.objects.get(action="application.moved")
    assert entry.via == "portal"
    assert entry.ip == "203.0.113.9"


def test_events_run_after_commit_and_a_failing_handler_breaks_nothing(
    recruiter, django_capture_on_commit_callbacks
):
    received = []

    def good(event, data):
        received.append((event, data))

    def bad(event, data):
        raise RuntimeError("subscriber down")

    events.subscribe(bad)
    events.subscribe(good)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            candidate = services.candidate_create(by=recruiter, full_name="Ada Lovelace")
    finally:
        events.unsubscribe(bad)
        events.unsubscribe(good)
    assert ("candidate.created", {"candidate_id": candidate.pk}) in received


def test_unknown_event_is_refused():
    with pytest.raises(ValueError, match="Unknown event type"):
        events.emit("candidate.teleported", {})


def test_applying_emits_application_created(recruiter, django_capture_on_commit_callbacks):
    received = []
    handler = lambda event, data: received.append(event)  # noqa: E731
    events.subscribe(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.application_create(
                candidate=CandidateFactory(), job=JobFactory(owner=recruiter), by=recruiter
            )
    finally:
        events.unsubscribe(handler)
    assert "application.created" in received
