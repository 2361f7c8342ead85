"""Two concurrent upserts by one external_id: one creates, the other updates; never a 500.

The concurrent tests need PostgreSQL (SQLite runs one writing transaction at a time). Each
request runs in its own thread and database connection; a gate on the first INSERT of the
model holds the first request until the second has arrived too (or 1.5 s have passed, when
the code under test makes the second wait), so both have looked for the row before either
has written it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest
from django.db import connections
from django.db.models.signals import pre_save
from rest_framework.test import APIClient

from integrations.keys import api_key_create, integration_get_or_create
from recruiting.models import Application, Candidate, Job
from recruiting.services.upserts import candidate_upsert, job_upsert
from tests.factories import CandidateFactory, JobFactory

GATE_TIMEOUT_S = 1.5


def _gate_inserts(model) -> None:
    barrier = threading.Barrier(2)

    def hold(sender, instance, **kwargs) -> None:
        if instance._state.adding:
            # Broken: the other request waits on us (the lock under test), so go on alone.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(GATE_TIMEOUT_S)

    pre_save.connect(hold, sender=model, weak=False, dispatch_uid="upsert-race-gate")


@pytest.fixture
def gate() -> Iterator:
    models: list = []

    def on(model) -> None:
        _gate_inserts(model)
        models.append(model)

    yield on
    for model in models:
        pre_save.disconnect(sender=model, dispatch_uid="upsert-race-gate")


def _post_together(clients, path: str, bodies: list[dict]) -> list:
    responses: list = [None] * len(bodies)

    def post(n: int) -> None:
        try:
            responses[n] = clients[n].post(path, bodies[n], format="json")
        except Exception as exc:  # shown by the assertion in _statuses
            responses[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return responses


@pytest.fixture
def two_clients(make_client, recruiter):
    clients = [make_client(recruiter), make_client(recruiter)]
    for client in clients:
        client.raise_request_exception = False  # a server error is an answer to assert on
    return clients


def _statuses(responses) -> list[int]:
    errors = [r for r in responses if isinstance(r, Exception)]
    assert not errors, errors
    return sorted(r.status_code for r in responses)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_job_upserts_create_one_and_update_it(two_clients, gate):
    gate(Job)
    bodies = [{"title": "First", "external_id": "gh-1"}, {"title": "Second", "external_id": "gh-1"}]
    responses = _post_together(two_clients, "/api/v1/jobs/", bodies)
    assert _statuses(responses) == [200, 201], [r.content[:200] for r in responses]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    updated = next(r for r in responses if r.status_code == 200).json()
    assert Job.objects.get(external_id="gh-1").title == updated["title"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("email", ["", "ada@example.com"], ids=["no-email", "email"])
def test_two_concurrent_candidate_upserts_create_one_and_update_it(two_clients, gate, email):
    gate(Candidate)
    bodies = [
        {"full_name": "Ada Lovelace", "email": email, "external_id": "c-1"},
        {"full_name": "Ada King", "email": email, "external_id": "c-1"},
    ]
    responses = _post_together(two_clients, "/api/v1/candidates/", bodies)
    assert _statuses(responses) == [200, 201], [r.content[:200] for r in responses]
    assert Candidate.objects.count() == 1
    updated = next(r for r in responses if r.status_code == 200).json()
    assert Candidate.objects.get().full_name == updated["full_name"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_application_upserts_create_one(two_clients, gate):
    job = JobFactory(status=Job.Status.OPEN, description="Python")
    candidate = CandidateFactory()
    gate(Application)
    body = {"candidate": candidate.pk, "job": job.pk, "external_id": "app-1"}
    responses = _post_together(two_clients, "/api/v1/applications/", [body, body])
    assert _statuses(responses) == [200, 201], [r.content[:200] for r in responses]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Application.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_integrations_with_one_id_at_once_create_two(make_client, recruiter, gate):
    """Each integration's ids are its own: the lock and the constraint are per integration,
    so neither waits for nor clashes with the other."""
    clients = []
    for name in ("Greenhouse", "Lever"):
        integration = integration_get_or_create(user=recruiter, name=name)
        _, text = api_key_create(integration=integration, scopes=["recruiting:write"])
        client = APIClient(raise_request_exception=False)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
        clients.append(client)
    gate(Job)
    bodies = [{"title": "Greenhouse", "external_id": "1"}, {"title": "Lever", "external_id": "1"}]
    responses = _post_together(clients, "/api/v1/jobs/", bodies)
    assert _statuses(responses) == [201, 201], [r.content[:200] for r in responses]
    assert sorted(Job.objects.values_list("title", flat=True)) == ["Greenhouse", "Lever"]


# --- the unique constraint is the last word (any database) --------------------------------


@pytest.mark.django_db
def test_an_insert_that_clashes_takes_the_update_path(recruiter, monkeypatch):
    """A row with the external_id appears between the look-up and the insert (a writer that
    takes no lock): the upsert updates that row instead of failing."""
    from recruiting.services import upserts

    existing = Job.objects.create(title="Old", external_id="gh-7", owner=recruiter)
    real_find = upserts._find
    calls = {"n": 0}

    def find_missing_first(model, system, external_id):
        calls["n"] += 1
        return None if calls["n"] == 1 else real_find(model, system, external_id)

    monkeypatch.setattr(upserts, "_find", find_missing_first)
    job, created = job_upsert(by=recruiter, title="New", external_id="gh-7")
    assert (job.pk, created) == (existing.pk, False)
    assert Job.objects.get().title == "New"


@pytest.mark.django_db
def test_a_clash_on_another_field_is_not_swallowed(recruiter):
    """candidate_create's own rules still decide without an external_id clash."""
    first = CandidateFactory(email="grace@example.com")
    candidate, created = candidate_upsert(
        by=recruiter, full_name="Grace", email="grace@example.com", external_id="c-9"
    )
    # As before the upsert service: the e-mail's candidate comes back unchanged.
    assert candidate.pk == first.pk and created
