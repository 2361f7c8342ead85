"""Idempotency-Key on POST: a retry returns the first answer and creates nothing twice."""

from __future__ import annotations

import pytest

from integrations.models import IdempotencyRecord
from recruiting.models import Candidate

pytestmark = pytest.mark.django_db


def test_a_retry_returns_the_first_result_and_creates_nothing(recruiter_api):
    payload = {"full_name": "Grace Hopper", "email": "grace@example.com"}
    first = recruiter_api.post(
        "/api/v1/candidates/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    retry = recruiter_api.post(
        "/api/v1/candidates/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Candidate.objects.count() == 1


def test_the_same_key_with_another_body_is_409(recruiter_api):
    recruiter_api.post(
        "/api/v1/candidates/", {"full_name": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    other = recruiter_api.post(
        "/api/v1/candidates/", {"full_name": "B"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"
    assert Candidate.objects.count() == 1


def test_keys_are_per_caller(recruiter_api, make_client, recruiter):
    other = make_client(recruiter)
    for client in (recruiter_api, other):
        response = client.post(
            "/api/v1/jobs/", {"title": "Same"}, format="json", HTTP_IDEMPOTENCY_KEY="shared"
        )
        assert response.status_code == 201
    assert IdempotencyRecord.objects.count() == 2


def test_a_request_still_running_blocks_its_retry(recruiter_api):
    from integrations.idempotency import request_fingerprint  # noqa: F401 - same module

    IdempotencyRecord.objects.create(
        owner=f"key:{recruiter_api.key.pk}",
        key="busy",
        method="POST",
        path="/api/v1/jobs/",
        request_hash="whatever",
    )
    response = recruiter_api.post(
        "/api/v1/jobs/", {"title": "X"}, format="json", HTTP_IDEMPOTENCY_KEY="busy"
    )
    assert response.status_code == 409


def test_without_a_key_posts_are_not_recorded(recruiter_api):
    recruiter_api.post("/api/v1/jobs/", {"title": "X"}, format="json")
    assert not IdempotencyRecord.objects.exists()
