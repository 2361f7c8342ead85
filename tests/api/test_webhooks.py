"""Webhooks: real deliveries to a local HTTP server, signed; a retry after the receiver fails."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import signing
from integrations.models import WebhookDelivery
from integrations.webhooks import MAX_ATTEMPTS, backoff_seconds

pytestmark = pytest.mark.django_db


class Receiver:
    """A real HTTP server on loopback; answers with `statuses` in turn (then 200)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                code = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _in_process_retries(monkeypatch):
    """Tasks run in-process here; as in the embedded default (no broker), a task's retry
    then runs at once through Celery's own retry path instead of raising out of the test."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def _subscribe(client, url: str, events: list[str]) -> dict:
    response = client.post("/api/v1/webhooks/", {"url": url, "events": events}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_delivery_arrives_signed_and_verifiable(
    recruiter_api, receiver, django_capture_on_commit_callbacks
):
    subscription = _subscribe(recruiter_api, receiver.url, ["candidate.created"])
    with django_capture_on_commit_callbacks(execute=True):
        created = recruiter_api.post(
            "/api/v1/candidates/", {"full_name": "Hedy Lamarr"}, format="json"
        )
    assert created.status_code == 201
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    headers = {k.lower(): v for k, v in got["headers"].items()}
    assert signing.verify(
        subscription["secret"],
        got["body"],
        headers["x-smarthr-timestamp"],
        headers["x-smarthr-signature"],
    )
    # A tampered body or a stale timestamp does not verify.
    assert not signing.verify(
        subscription["secret"],
        got["body"] + b" ",
        headers["x-smarthr-timestamp"],
        headers["x-smarthr-signature"],
    )
    assert not signing.verify(
        subscription["secret"],
        got["body"],
        headers["x-smarthr-timestamp"],
        headers["x-smarthr-signature"],
        now=time.time() + 3600,
    )
    payload = json.loads(got["body"])
    assert payload["type"] == "candidate.created"
    assert payload["data"] == {"candidate_id": created.json()["id"]}
    assert headers["x-smarthr-event-id"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    log = recruiter_api.get("/api/v1/webhook-deliveries/").json()["results"]
    assert [d["status"] for d in log] == ["delivered"]


def test_a_failed_delivery_is_retried_with_the_same_event_id(
    recruiter_api, receiver, django_capture_on_commit_callbacks
):
    _subscribe(recruiter_api, receiver.url, ["application.created"])
    receiver.statuses = [500, 503]
    from tests.factories import CandidateFactory, JobFactory

    job, candidate = JobFactory(), CandidateFactory()
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post(
            "/api/v1/applications/", {"candidate": candidate.pk, "job": job.pk}, format="json"
        )
    assert len(receiver.requests) == 3
    ids = {
        {k.lower(): v for k, v in r["headers"].items()}["x-smarthr-event-id"]
        for r in receiver.requests
    }
    assert len(ids) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 3)


def test_a_receiver_that_never_answers_2xx_ends_failed(
    recruiter_api, receiver, django_capture_on_commit_callbacks
):
    _subscribe(recruiter_api, receiver.url, ["candidate.created"])
    receiver.statuses = [500] * 50
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "X"}, format="json")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert delivery.response_status == 500 and "HTTP 500" in delivery.last_error


def test_backoff_is_exponential_and_capped():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(30) == 6 * 3600


def test_only_subscribed_events_are_sent(
    recruiter_api, receiver, django_capture_on_commit_callbacks
):
    _subscribe(recruiter_api, receiver.url, ["application.stage_changed"])
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Y"}, format="json")
    assert receiver.requests == []


def test_subscription_rules(recruiter_api, make_client, recruiter, hr_admin):
    bad = recruiter_api.post(
        "/api/v1/webhooks/", {"url": "ftp://x", "events": ["nope"]}, format="json"
    )
    assert bad.status_code == 400 and {"url", "events"} <= set(bad.json()["error"]["fields"])
    hr_only = make_client(hr_admin, scopes=["webhooks:manage", "hr:read"])
    refused = hr_only.post(
        "/api/v1/webhooks/",
        {"url": "https://example.com/h", "events": ["candidate.created"]},
        format="json",
    )
    assert refused.status_code == 400 and "recruiting:read" in refused.json()["error"]["message"]
    no_scope = make_client(recruiter, scopes=["recruiting:read"])
    assert no_scope.get("/api/v1/webhooks/").status_code == 403
    # Another integration's subscription is not found.
    mine = _subscribe(recruiter_api, "https://example.com/h", ["candidate.created"])
    assert hr_only.get(f"/api/v1/webhooks/{mine['id']}/").status_code == 404
    assert "secret" not in recruiter_api.get(f"/api/v1/webhooks/{mine['id']}/").json()


def test_private_targets_are_refused_outside_development(
    recruiter_api, receiver, settings, django_capture_on_commit_callbacks
):
    # Made while local receivers were allowed, then the guard comes on: nothing is sent.
    _subscribe(recruiter_api, receiver.url, ["candidate.created"])
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Grace Hopper"}, format="json")
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert "private" in delivery.last_error
    for url in (
        "http://127.0.0.1:9/hook",
        "http://[::1]/hook",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://169.254.169.254/latest/meta-data",
    ):
        refused = recruiter_api.post(
            "/api/v1/webhooks/", {"url": url, "events": ["candidate.created"]}, format="json"
        )
        assert refused.status_code == 400, url
        assert refused.json()["error"]["fields"]["url"]


def test_deleting_a_subscription_stops_deliveries(
    recruiter_api, receiver, django_capture_on_commit_callbacks
):
    from integrations.models import WebhookSubscription

    subscription = _subscribe(recruiter_api, receiver.url, ["candidate.created"])
    assert recruiter_api.delete(f"/api/v1/webhooks/{subscription['id']}/").status_code == 204
    assert not WebhookSubscription.objects.filter(pk=subscription["id"]).exists()
    assert recruiter_api.delete(f"/api/v1/webhooks/{subscription['id']}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Ada Byron"}, format="json")
    assert receiver.requests == []
