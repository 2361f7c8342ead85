"""external_id belongs to the integration that sent it, and an application upsert that
contradicts its stored application is a 409 (issue 17)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rest_framework.test import APIClient

from integrations.keys import api_key_create, integration_get_or_create
from recruiting.models import Application, Candidate, Job
from tests.factories import ApplicationFactory, CandidateFactory, JobFactory

from .conftest import ALL_SCOPES

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration_client(recruiter):
    """A client of a named integration of the recruiter (several keys may share one)."""

    def make(name: str) -> APIClient:
        integration = integration_get_or_create(user=recruiter, name=name)
        _, text = api_key_create(integration=integration, scopes=ALL_SCOPES)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
        return client

    return make


# --- application upsert conflicts --------------------------------------------------------
# Before: the same external_id with another candidate or job answered 200 with the old
# application, as if the new one had been made.


@pytest.mark.parametrize("changed", ["candidate", "job"])
def test_an_application_upsert_with_another_candidate_or_job_is_409(recruiter_api, changed):
    job, candidate = JobFactory(), CandidateFactory()
    body = {"candidate": candidate.pk, "job": job.pk, "external_id": "app-1"}
    first = recruiter_api.post("/api/v1/applications/", body, format="json")
    assert first.status_code == 201
    other = CandidateFactory() if changed == "candidate" else JobFactory()
    clash = recruiter_api.post("/api/v1/applications/", {**body, changed: other.pk}, format="json")
    assert clash.status_code == 409, clash.json()
    error = clash.json()["error"]
    assert error["code"] == "external_id_conflict"
    assert f"application {first.json()['id']}" in error["message"]
    assert f"{changed} {other.pk}" in error["message"]
    assert set(error["fields"]) == {"external_id"}
    assert Application.objects.count() == 1
    # The same request again is still the upsert it was.
    again = recruiter_api.post("/api/v1/applications/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_the_conflict_is_declared_on_the_application_post():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/applications/"]["post"]
    assert "external_id_conflict" in operation["description"]
    conflict = operation["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }
    assert "external_id_conflict" in conflict["description"]


# --- one namespace per integration -------------------------------------------------------
# Before: external_id was global, so a second integration's "gh-1" updated the first one's job.


def test_two_integrations_keep_their_own_ids(integration_client):
    greenhouse, lever = integration_client("Greenhouse"), integration_client("Lever")
    a = greenhouse.post("/api/v1/jobs/", {"title": "Greenhouse job", "external_id": "1"}, "json")
    b = lever.post("/api/v1/jobs/", {"title": "Lever job", "external_id": "1"}, "json")
    assert (a.status_code, b.status_code) == (201, 201), b.json()
    assert a.json()["id"] != b.json()["id"]
    assert set(Job.objects.values_list("title", flat=True)) == {"Greenhouse job", "Lever job"}
    # Each integration's upsert and filter find its own record.
    again = greenhouse.post("/api/v1/jobs/", {"title": "Renamed", "external_id": "1"}, "json")
    assert again.status_code == 200 and again.json()["id"] == a.json()["id"]
    assert Job.objects.get(pk=b.json()["id"]).title == "Lever job"
    found = lever.get("/api/v1/jobs/", {"external_id": "1"}).json()["results"]
    assert [j["id"] for j in found] == [b.json()["id"]]


def test_candidates_and_applications_are_per_integration_too(integration_client):
    greenhouse, lever = integration_client("Greenhouse"), integration_client("Lever")
    for client, name in ((greenhouse, "Ada"), (lever, "Grace")):
        made = client.post(
            "/api/v1/candidates/", {"full_name": name, "external_id": "c-1"}, format="json"
        )
        assert made.status_code == 201, made.json()
    assert sorted(Candidate.objects.values_list("full_name", flat=True)) == ["Ada", "Grace"]
    job = JobFactory()
    ada, grace = Candidate.objects.get(full_name="Ada"), Candidate.objects.get(full_name="Grace")
    for client, candidate in ((greenhouse, ada), (lever, grace)):
        made = client.post(
            "/api/v1/applications/",
            {"candidate": candidate.pk, "job": job.pk, "external_id": "a-1"},
            format="json",
        )
        # Before: Lever's a-1 answered 200 with Ada's application.
        assert made.status_code == 201, made.json()
        assert made.json()["candidate"] == candidate.pk


def test_all_keys_of_one_integration_share_its_ids(integration_client):
    first, rotated = integration_client("Greenhouse"), integration_client("Greenhouse")
    made = first.post("/api/v1/jobs/", {"title": "A", "external_id": "gh-9"}, format="json")
    again = rotated.post("/api/v1/jobs/", {"title": "B", "external_id": "gh-9"}, format="json")
    assert (made.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == made.json()["id"]


def test_a_patch_that_takes_an_id_clashes_only_within_the_integration(integration_client):
    greenhouse, lever = integration_client("Greenhouse"), integration_client("Lever")
    greenhouse.post("/api/v1/jobs/", {"title": "A", "external_id": "x"}, format="json")
    mine = lever.post("/api/v1/jobs/", {"title": "B"}, format="json").json()["id"]
    # Lever's own "x" is free, whatever Greenhouse uses.
    taken = lever.patch(f"/api/v1/jobs/{mine}/", {"external_id": "x"}, format="json")
    assert taken.status_code == 200, taken.json()
    other = lever.post("/api/v1/jobs/", {"title": "C"}, format="json").json()["id"]
    clash = lever.patch(f"/api/v1/jobs/{other}/", {"external_id": "x"}, format="json")
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "conflict"


# --- the migration keeps existing ids valid and findable ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_attributes_existing_ids_to_their_integration(recruiter, hiring_manager):
    executor = MigrationExecutor(connection)
    before = [("recruiting", "0012_stage_event_skipped_stages")]
    latest = executor.loader.graph.leaf_nodes("recruiting")
    executor.migrate(before)
    try:
        apps = executor.loader.project_state([*before, ("integrations", "0001_initial")]).apps
        Integration = apps.get_model("integrations", "Integration")
        OldJob = apps.get_model("recruiting", "Job")
        greenhouse = Integration.objects.create(name="Greenhouse", user_id=recruiter.pk)
        Integration.objects.create(name="Lever", user_id=hiring_manager.pk)
        Integration.objects.create(name="Workday", user_id=hiring_manager.pk)
        OldJob.objects.create(title="Owned", external_id="gh-1", owner_id=recruiter.pk)
        OldJob.objects.create(title="Unknown", external_id="x-1", owner_id=hiring_manager.pk)
        OldJob.objects.create(title="Portal", owner_id=recruiter.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    systems = dict(Job.objects.values_list("title", "external_system"))
    assert systems == {
        "Owned": f"integration:{greenhouse.pk}",  # its owner has one integration
        "Unknown": "",  # two possible: left in the unattributed namespace, still unique
        "Portal": "",
    }


def test_the_unique_constraint_holds_within_one_namespace(recruiter):
    Job.objects.create(title="A", external_id="gh-1", external_system="integration:1")
    Job.objects.create(title="B", external_id="gh-1", external_system="integration:2")
    ApplicationFactory(external_id="", external_system="integration:1")
    ApplicationFactory(external_id="", external_system="integration:1")  # blank ids: no limit
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(title="C", external_id="gh-1", external_system="integration:1")
