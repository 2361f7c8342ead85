"""The objects an ATS integrator expects (issue 17): rejecting with a standard reason's id,
the users, the sources, a candidate's tags, and erasing or anonymising a candidate."""

from __future__ import annotations

import pytest

from recruiting.models import Application, RejectionReason, StageEvent
from recruiting.pipeline import Stage
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


# --- reject with a standard reason's id -------------------------------------------------


def test_reject_takes_a_rejection_reason_id_and_a_note(recruiter_api, recruiter):
    application = ApplicationFactory(stage=Stage.SCREENING)
    filled = RejectionReason.objects.get(code="position_filled")
    response = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/reject/",
        {"rejection_reason_id": filled.pk, "reason": "hired internally", "note": "Call them"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "rejected" and body["rejection_reason_id"] == filled.pk
    assert body["rejection_reason"] == f"{filled.label}: hired internally"
    application.refresh_from_db()
    assert application.rejection_category == filled  # counted in the analytics
    event = StageEvent.objects.filter(application=application).last()
    assert event.by == recruiter and event.note.endswith("Call them")
    listed = recruiter_api.get(f"/api/v1/applications/?candidate={application.candidate_id}")
    assert listed.json()["results"][0]["rejection_reason_id"] == filled.pk


def test_an_unknown_or_archived_reason_id_is_a_clear_400(recruiter_api):
    application = ApplicationFactory(stage=Stage.SCREENING)
    url = f"/api/v1/applications/{application.pk}/reject/"
    unknown = recruiter_api.post(url, {"rejection_reason_id": 999_999}, format="json")
    assert unknown.status_code == 400
    error = unknown.json()["error"]
    assert error["code"] == "invalid_rejection"
    assert list(error["fields"]) == ["rejection_reason_id"]
    assert "There is no reason 999999" in error["message"]
    assert "GET /rejection-reasons/" in error["message"]
    archived = RejectionReason.objects.get(code="no_response")
    archived.active = False
    archived.save()
    refused = recruiter_api.post(url, {"rejection_reason_id": archived.pk}, format="json")
    assert refused.status_code == 400
    assert "'no_response' is archived" in refused.json()["error"]["message"]
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING  # nothing moved


def test_reject_without_an_id_still_takes_free_text_and_needs_it(recruiter_api):
    application = ApplicationFactory(stage=Stage.SCREENING)
    url = f"/api/v1/applications/{application.pk}/reject/"
    empty = recruiter_api.post(url, {}, format="json")
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "reason_required"
    assert list(empty.json()["error"]["fields"]) == ["reason"]
    done = recruiter_api.post(url, {"reason": "Not a fit"}, format="json")
    assert done.status_code == 200
    assert done.json()["rejection_reason"] == "Not a fit"
    assert done.json()["rejection_reason_id"] is None
    assert Application.objects.get(pk=application.pk).rejection_category is None


def test_a_closed_application_is_not_rejected_by_id(recruiter_api):
    application = ApplicationFactory(stage=Stage.HIRED)
    filled = RejectionReason.objects.get(code="position_filled")
    response = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/reject/",
        {"rejection_reason_id": filled.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_transition"
