"""Webhooks for a sync (issue 17): job.* and candidate.* events, a ping, redelivery from the
delivery log, the subscription header; and the deletions feed (tombstones), with erasure
leaving one that holds no personal data. Deliveries go to a real HTTP server on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from audit.models import AuditEntry
from integrations import signing
from integrations.models import Tombstone, WebhookDelivery
from tests.factories import ApplicationFactory, CandidateFactory, JobFactory

from . import test_webhooks
from .test_webhooks import Receiver, _subscribe

pytestmark = pytest.mark.django_db

# Retries run in-process at once, as in tests/api/test_webhooks.py (an autouse fixture).
_in_process_retries = test_webhooks._in_process_retries


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def _headers(request: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in request["headers"].items()}


def _events(receiver) -> list[tuple[str, dict[str, Any]]]:
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    return [(b["type"], b["data"]) for b in bodies]


def test_job_and_candidate_events_reach_the_receiver(
    recruiter_api, receiver, django_capture_on_commit_callbacks
):
    events = ["job.created", "job.updated", "candidate.updated"]
    subscription = _subscribe(recruiter_api, receiver.url, events)
    with django_capture_on_commit_callbacks(execute=True):
        job = recruiter_api.post(
            "/api/v1/jobs/", {"title": "SRE", "description": "On call."}, format="json"
        ).json()
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.patch(f"/api/v1/jobs/{job['id']}/", {"location": "Oslo"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post(f"/api/v1/jobs/{job['id']}/publish/")
    candidate = CandidateFactory()
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.patch(
            f"/api/v1/candidates/{candidate.pk}/", {"headline": "SRE"}, format="json"
        )
    assert _events(receiver) == [
        ("job.created", {"job_id": job["id"]}),
        ("job.updated", {"job_id": job["id"], "fields": ["location"]}),
        ("job.updated", {"job_id": job["id"], "fields": ["published_at", "status"]}),
        ("candidate.updated", {"candidate_id": candidate.pk, "fields": ["headline"]}),
    ]
    # Every delivery names its subscription.
    assert {_headers(r)["x-smarthr-webhook-id"] for r in receiver.requests} == {
        str(subscription["id"])
    }


def test_a_ping_is_delivered_signed_and_audited(recruiter_api, receiver):
    subscription = _subscribe(recruiter_api, receiver.url, ["job.created"])
    answer = recruiter_api.post(f"/api/v1/webhooks/{subscription['id']}/ping/")
    assert answer.status_code == 200, answer.content
    assert answer.json()["event"] == "ping" and answer.json()["status"] == "delivered"
    assert answer.json()["response_status"] == 200
    (got,) = receiver.requests
    headers = _headers(got)
    assert headers["x-smarthr-event"] == "ping"
    assert signing.verify(
        subscription["secret"],
        got["body"],
        headers["x-smarthr-timestamp"],
        headers["x-smarthr-signature"],
    )
    body = json.loads(got["body"])
    assert body["data"] == {"subscription_id": subscription["id"], "events": ["job.created"]}
    assert AuditEntry.objects.filter(action="webhook.pinged").count() == 1
    log = recruiter_api.get("/api/v1/webhook-deliveries/", {"event": "ping"}).json()["results"]
    assert [d["id"] for d in log] == [answer.json()["id"]]


def test_a_failed_ping_is_reported_not_retried(recruiter_api, receiver):
    subscription = _subscribe(recruiter_api, receiver.url, ["job.created"])
    receiver.statuses = [503, 503]
    answer = recruiter_api.post(f"/api/v1/webhooks/{subscription['id']}/ping/").json()
    assert (answer["status"], answer["response_status"]) == ("failed", 503)
    assert answer["last_error"] == "HTTP 503 from the receiver"
    assert len(receiver.requests) == 1


def test_a_ping_to_another_integrations_subscription_is_404(
    recruiter_api, make_client, hr_admin, receiver
):
    subscription = _subscribe(recruiter_api, receiver.url, ["job.created"])
    other = make_client(hr_admin)
    assert other.key.integration_id != recruiter_api.key.integration_id
    refused = other.post(f"/api/v1/webhooks/{subscription['id']}/ping/")
    assert refused.status_code == 404 and not receiver.requests


def test_a_failed_delivery_is_redelivered_with_its_event_id(
    recruiter_api, receiver, django_capture_on_commit_callbacks
):
    _subscribe(recruiter_api, receiver.url, ["candidate.created"])
    receiver.statuses = [500] * 8  # every automatic attempt fails
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Ida Noddack"}, format="json")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 8)
    with django_capture_on_commit_callbacks(execute=True):
        answer = recruiter_api.post(f"/api/v1/webhook-deliveries/{delivery.pk}/redeliver/")
    assert answer.status_code == 202, answer.content
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    ids = {_headers(r)["x-smarthr-event-id"] for r in receiver.requests}
    assert ids == {str(delivery.event_id)} and len(receiver.requests) == 9
    entry = AuditEntry.objects.get(action="webhook.redelivered")
    assert entry.details["status"] == "failed" and entry.details["attempts"] == 8


def test_a_delivery_on_its_way_is_not_redelivered(recruiter_api, receiver):
    subscription = _subscribe(recruiter_api, receiver.url, ["candidate.created"])
    pending = WebhookDelivery.objects.create(
        subscription_id=subscription["id"], event="candidate.created", payload={"data": {}}
    )
    refused = recruiter_api.post(f"/api/v1/webhook-deliveries/{pending.pk}/redeliver/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "delivery_in_progress"
    assert "still being sent" in refused.json()["error"]["message"]
    missing = recruiter_api.post("/api/v1/webhook-deliveries/999999/redeliver/")
    assert missing.status_code == 404 and not receiver.requests


# --- tombstones ---------------------------------------------------------------------------


def test_deleted_records_are_listed_for_sync_and_announced(
    recruiter_api, receiver, django_capture_on_commit_callbacks
):
    _subscribe(recruiter_api, receiver.url, ["job.deleted", "application.deleted"])
    application = ApplicationFactory()
    job_id, application_id = application.job_id, application.pk
    kept = JobFactory()
    before = recruiter_api.get("/api/v1/deletions/").json()["results"]
    with django_capture_on_commit_callbacks(execute=True):
        application.job.delete()  # the admin's delete; its applications go with it
    listed = recruiter_api.get("/api/v1/deletions/").json()["results"]
    assert before == []
    assert {(t["object_type"], t["object_id"], t["kind"]) for t in listed} == {
        ("job", job_id, "deleted"),
        ("application", application_id, "deleted"),
    }
    assert sorted(_events(receiver)) == [
        ("application.deleted", {"application_id": application_id, "kind": "deleted"}),
        ("job.deleted", {"job_id": job_id, "kind": "deleted"}),
    ]
    only_jobs = recruiter_api.get("/api/v1/deletions/", {"object_type": "job"}).json()
    assert [t["object_id"] for t in only_jobs["results"]] == [job_id]
    assert kept.pk not in {t["object_id"] for t in listed}


def test_since_lists_what_happened_from_then(recruiter_api):
    from django.utils import timezone

    old = Tombstone.objects.create(object_type="job", object_id=1, kind="deleted")
    Tombstone.objects.filter(pk=old.pk).update(
        occurred_at=timezone.now() - timezone.timedelta(days=2)
    )
    new = Tombstone.objects.create(object_type="candidate", object_id=2, kind="deleted")
    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    listed = recruiter_api.get("/api/v1/deletions/", {"since": since}).json()["results"]
    assert [t["id"] for t in listed] == [new.pk]
    bad = recruiter_api.get("/api/v1/deletions/", {"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()["error"]["fields"]
    empty = recruiter_api.get("/api/v1/deletions/", {"since": ""})
    assert empty.status_code == 400


def test_an_erasure_leaves_a_tombstone_without_personal_data(
    recruiter_api, hr_admin, receiver, django_capture_on_commit_callbacks
):
    from privacy.services.rights import candidate_erase

    _subscribe(recruiter_api, receiver.url, ["candidate.deleted"])
    candidate = CandidateFactory(
        full_name="Zqelina Vexkyle", email="zqelina@vexkyle.example", external_id="ext-77"
    )
    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=candidate, by=hr_admin, reason="Request REF-1")
    (tombstone,) = recruiter_api.get("/api/v1/deletions/").json()["results"]
    assert (tombstone["object_type"], tombstone["object_id"], tombstone["kind"]) == (
        "candidate",
        candidate.pk,
        "erased",
    )
    stored = json.dumps(list(Tombstone.objects.values()), default=str)
    feed = json.dumps(tombstone) + receiver.requests[0]["body"].decode()
    for personal in ("Zqelina", "Vexkyle", "zqelina@", "ext-77", "REF-1"):
        assert personal not in stored and personal not in feed
    assert _events(receiver) == [
        ("candidate.deleted", {"candidate_id": candidate.pk, "kind": "erased"})
    ]


def test_the_deletions_feed_needs_a_role_that_sees_everything(manager_api, recruiter_api):
    refused = manager_api.get("/api/v1/deletions/")
    assert (
        refused.status_code == 403 and "recruiter or HR admin" in refused.json()["error"]["message"]
    )
    assert recruiter_api.get("/api/v1/deletions/").status_code == 200
