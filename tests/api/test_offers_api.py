"""The offers API (issue 17): make, send, accept, decline, withdraw through HTTP; who may;
the error bodies; the sync list; and that the answers match the published schema."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.roles import Role
from recruiting.models import Offer
from recruiting.pipeline import Stage
from tests.factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory

from . import test_webhooks
from .test_interviews_api import _check_against_schema
from .test_webhooks import Receiver, _subscribe

pytestmark = pytest.mark.django_db

# Webhook retries run in-process at once, as in tests/api/test_webhooks.py (autouse).
_in_process_retries = test_webhooks._in_process_retries


@pytest.fixture
def application(recruiter):
    return ApplicationFactory(job=JobFactory(owner=recruiter), stage=Stage.OFFER)


def _terms(**changes) -> dict:
    today = timezone.localdate()
    body = {
        "salary_amount": "72000.00",
        "salary_currency": "usd",
        "start_date": (today + timedelta(days=30)).isoformat(),
        "expires_on": (today + timedelta(days=5)).isoformat(),
        "note": "Sign-on bonus discussed by phone.",
    }
    body.update(changes)
    return body


def test_make_send_accept_then_hire(recruiter_api, application):
    url = f"/api/v1/applications/{application.pk}/offers/"
    made = recruiter_api.post(url, _terms(), format="json")
    assert made.status_code == 201, made.json()
    offer = made.json()
    assert offer["status"] == "draft" and offer["salary_amount"] == "72000.00"
    assert offer["salary_currency"] == "USD" and offer["application"] == application.pk
    assert offer["job"] == application.job_id and offer["candidate"] == application.candidate_id
    sent = recruiter_api.post(f"/api/v1/offers/{offer['id']}/send/")
    assert sent.status_code == 200 and sent.json()["status"] == "sent" and sent.json()["sent_at"]
    accepted = recruiter_api.post(f"/api/v1/offers/{offer['id']}/accept/").json()
    assert accepted["status"] == "accepted" and accepted["decided_at"]
    _check_against_schema("/api/v1/offers/{id}/", accepted)
    listed = recruiter_api.get(url).json()
    _check_against_schema("/api/v1/applications/{id}/offers/", listed)
    assert [r["id"] for r in listed["results"]] == [offer["id"]]
    hired = recruiter_api.post(f"/api/v1/applications/{application.pk}/hire/", format="json")
    assert hired.status_code == 200 and hired.json()["stage"] == "hired"


def test_refusals_have_the_error_body(recruiter_api, application, recruiter):
    url = f"/api/v1/applications/{application.pk}/offers/"
    bad = recruiter_api.post(url, _terms(salary_currency="EURO"), format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"  # the serializer's length check
    assert "salary_currency" in bad.json()["error"]["fields"]
    no_currency = recruiter_api.post(url, _terms(salary_currency=""), format="json")
    error = no_currency.json()["error"]
    assert no_currency.status_code == 400 and error["code"] == "invalid_offer"
    assert "ISO 4217" in error["message"]
    first = recruiter_api.post(url, {}, format="json").json()
    again = recruiter_api.post(url, {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "offer_already_open"
    early = recruiter_api.post(f"/api/v1/offers/{first['id']}/accept/")
    assert early.status_code == 409 and early.json()["error"]["code"] == "offer_status"
    assert "only a sent offer can be accepted" in early.json()["error"]["message"]
    elsewhere = ApplicationFactory(job=application.job, stage=Stage.SCREENING)
    wrong_stage = recruiter_api.post(
        f"/api/v1/applications/{elsewhere.pk}/offers/", {}, format="json"
    )
    assert wrong_stage.status_code == 400
    assert wrong_stage.json()["error"]["code"] == "invalid_offer"


def test_decline_and_withdraw(recruiter_api, application):
    url = f"/api/v1/applications/{application.pk}/offers/"
    first = recruiter_api.post(url, {}, format="json").json()
    recruiter_api.post(f"/api/v1/offers/{first['id']}/send/")
    declined = recruiter_api.post(f"/api/v1/offers/{first['id']}/decline/").json()
    assert declined["status"] == "declined"
    second = recruiter_api.post(url, {"note": "Better terms"}, format="json").json()
    withdrawn = recruiter_api.post(f"/api/v1/offers/{second['id']}/withdraw/").json()
    assert withdrawn["status"] == "withdrawn"
    again = recruiter_api.post(f"/api/v1/offers/{second['id']}/withdraw/")
    assert again.status_code == 409


def test_the_hiring_team_reads_and_cannot_write(make_client, recruiter, recruiter_api, application):
    manager = UserFactory(roles=[Role.HIRING_MANAGER])
    application.job.hiring_team.add(manager)
    offer = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/offers/", {}, format="json"
    ).json()
    other = ApplicationFactory(stage=Stage.OFFER)
    recruiter_api.post(f"/api/v1/applications/{other.pk}/offers/", {}, format="json")
    api = make_client(manager)
    assert [r["id"] for r in api.get("/api/v1/offers/").json()["results"]] == [offer["id"]]
    assert api.get(f"/api/v1/offers/{offer['id']}/").status_code == 200
    refused = api.post(f"/api/v1/offers/{offer['id']}/send/")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    made = api.post(f"/api/v1/applications/{application.pk}/offers/", {}, format="json")
    assert made.status_code == 403
    assert api.get(f"/api/v1/applications/{other.pk}/offers/").status_code == 404


def test_sync_list_filters_and_query_count(recruiter_api, recruiter, django_assert_max_num_queries):
    job = JobFactory(owner=recruiter)
    first = ApplicationFactory(job=job, stage=Stage.OFFER)
    recruiter_api.post(f"/api/v1/applications/{first.pk}/offers/", {}, format="json")
    with CaptureQueriesContext(connection) as small:
        assert len(recruiter_api.get("/api/v1/offers/").json()["results"]) == 1
    few = len(small.captured_queries)
    assert 0 < few <= 12
    for _ in range(4):
        application = ApplicationFactory(job=job, stage=Stage.OFFER)
        recruiter_api.post(f"/api/v1/applications/{application.pk}/offers/", {}, format="json")
    with django_assert_max_num_queries(few):
        body = recruiter_api.get("/api/v1/offers/").json()
    assert len(body["results"]) == 5
    _check_against_schema("/api/v1/offers/", body)
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert recruiter_api.get("/api/v1/offers/", {"updated_after": later}).json()["results"] == []
    one = recruiter_api.get("/api/v1/offers/", {"application": first.pk}).json()["results"]
    assert [r["application"] for r in one] == [first.pk]
    assert recruiter_api.get("/api/v1/offers/", {"status": "maybe"}).status_code == 400


def test_blind_screening_is_over_at_the_offer(recruiter_api, recruiter):
    job = JobFactory(owner=recruiter, blind_screening=True)
    candidate = CandidateFactory(full_name="Zqelina Vexkyle")
    application = ApplicationFactory(job=job, candidate=candidate, stage=Stage.OFFER)
    offer = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/offers/",
        {"note": "Zqelina wants to start early"},
        format="json",
    ).json()
    assert Offer.objects.get(pk=offer["id"]).note == "Zqelina wants to start early"
    # An offer is past screening: blind screening no longer hides who it is for.
    assert offer["note"] == "Zqelina wants to start early"


def test_offer_events_reach_a_webhook_receiver(
    recruiter_api, application, django_capture_on_commit_callbacks
):
    receiver = Receiver()
    try:
        _subscribe(recruiter_api, receiver.url, ["offer.created", "offer.updated"])
        with django_capture_on_commit_callbacks(execute=True):
            offer = recruiter_api.post(
                f"/api/v1/applications/{application.pk}/offers/", {}, format="json"
            ).json()
        with django_capture_on_commit_callbacks(execute=True):
            recruiter_api.post(f"/api/v1/offers/{offer['id']}/send/")
        bodies = [json.loads(r["body"]) for r in receiver.requests]
    finally:
        receiver.close()
    ids = {"offer_id": offer["id"], "application_id": application.pk}
    assert [(b["type"], b["data"]) for b in bodies] == [
        ("offer.created", {**ids, "status": "draft"}),
        ("offer.updated", {**ids, "status": "sent"}),
    ]
