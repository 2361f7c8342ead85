"""GET /api/v1/analytics/recruiting/ (issue 20): the portal page's figures, the same filters
and roles, and an answer the published schema accepts exactly (no key it does not declare)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from recruiting.pipeline import Stage
from recruiting.selectors.analytics import AnalyticsFilters, recruiting_analytics

from ..factories import JobFactory
from ..recruiting.analytics_data import LEAK_NAME, journey, six_applications

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/recruiting/"


@cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _closed(schema: Any) -> Any:
    """The schema with `additionalProperties: false` on every object, so a key the answer
    has and the schema does not declare fails validation (and OpenAPI 3.0's `nullable` in
    JSON Schema's words)."""
    if isinstance(schema, dict):
        closed = {k: _closed(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable") and "type" in closed:
            closed["type"] = [closed["type"], "null"]
        if closed.get("type") == "object" and "properties" in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


def _response_schema() -> dict[str, Any]:
    operation = _schema()["paths"][URL]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    components = _schema()["components"]["schemas"]
    return _closed({**schema, "components": {"schemas": components}})


@pytest.fixture
def jobs(recruiter, hiring_manager):
    mine = JobFactory(title="Data Engineer", owner=recruiter)
    mine.hiring_team.add(hiring_manager)
    six_applications(mine)
    other = JobFactory(title="Office Manager")
    journey(other, source="Indeed", applied=20, steps=[(Stage.OFFER, 21), (Stage.HIRED, 30)])
    return mine, other


def test_the_answer_is_the_selectors_result_and_matches_the_schema(recruiter_api, recruiter, jobs):
    mine, _ = jobs
    response = recruiter_api.get(URL, {"job": mine.pk})
    assert response.status_code == 200, response.content
    body = response.json()
    expected = recruiting_analytics(user=recruiter, filters=AnalyticsFilters(job=mine))
    assert body == expected
    assert body["offers"]["acceptance_pct"] == 66.7
    assert LEAK_NAME not in response.content.decode()
    schema = _response_schema()
    # Every key declared is required, and every key returned is declared.
    assert set(schema["required"]) == set(body) == set(schema["properties"])
    jsonschema.validate(body, schema)
    empty = recruiter_api.get(URL, {"source": "Fax"}).json()
    jsonschema.validate(empty, schema)  # nulls where there is nothing to measure


def test_filters_period_and_source(recruiter_api, jobs):
    body = recruiter_api.get(URL, {"since": "2026-03-03", "until": "2026-03-04"}).json()
    assert body["applications"] == 3
    assert body["filters"] == {
        "job": None,
        "since": "2026-03-03",
        "until": "2026-03-04",
        "source": None,
    }
    assert recruiter_api.get(URL, {"source": "Indeed"}).json()["hires"] == 1
    assert recruiter_api.get(URL).json()["applications"] == 7


def test_a_managers_key_counts_only_their_jobs(manager_api, jobs):
    mine, other = jobs
    body = manager_api.get(URL).json()
    assert body["applications"] == 6 and [j["job"] for j in body["jobs"]] == [mine.pk]
    refused = manager_api.get(URL, {"job": other.pk})
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "params,status,field",
    [
        ({"since": "2026-03-05", "until": "2026-03-01"}, 400, "until"),
        ({"since": "march"}, 400, "since"),
        ({"job": "0"}, 400, "job"),
        ({"source": ""}, 400, "source"),
        ({"job": "424242"}, 404, None),
    ],
)
def test_bad_filters_have_clear_errors(recruiter_api, params, status, field):
    response = recruiter_api.get(URL, params)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    if field:
        assert field in error["fields"], error
    if "until" in params:
        assert error["code"] == "invalid_analytics_filter"
        assert error["fields"]["until"] == ["The period ends before it starts."]


def test_a_key_without_the_read_scope_is_refused(make_client, recruiter):
    client = make_client(recruiter, scopes=["hr:read"])
    assert client.get(URL).status_code == 403


def test_the_schema_declares_the_parameters():
    params = {p["name"]: p for p in _schema()["paths"][URL]["get"]["parameters"]}
    assert {"job", "since", "until", "source"} <= set(params)
    assert params["job"]["schema"]["minimum"] == 1
    assert params["since"]["schema"]["format"] == "date"
