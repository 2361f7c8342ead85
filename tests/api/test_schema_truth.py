"""The OpenAPI schema tells the truth (issue 17): JSON bodies only, the one error body on
every operation, integer ids, declared bounds and headers, typed JSON, and a JSON 404 for
any path under /api/."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from core.api import ERROR_BODY_SCHEMA
from integrations.pagination import SyncCursorPagination
from recruiting.models import Scorecard
from recruiting.pipeline import Stage
from tests.factories import ApplicationFactory, CandidateFactory, EmployeeFactory, JobFactory

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/ErrorResponse"
UPLOADS = {
    ("post", "/api/v1/resumes/"),
    ("post", "/api/v1/candidates/{id}/resumes/"),
    ("post", "/api/v1/candidates/{id}/attachments/"),
    ("post", "/api/v1/ml/parse/"),
}
METHODS = ("get", "post", "put", "patch", "delete")
NAMES_OBJECTS = {
    ("post", "/api/v1/applications/"),
    ("post", "/api/v1/resumes/"),
    ("post", "/api/v1/hr/responses/"),
    ("post", "/api/v1/interviews/"),  # `application`
    ("post", "/api/v1/hr/departments/"),  # `parent`
    ("post", "/api/v1/hr/employees/"),  # `department`, `manager`
    ("get", "/api/v1/privacy/bias-audit/"),  # `job`
    ("get", "/api/v1/analytics/recruiting/"),  # `job`
    ("post", "/api/v1/jobs/"),  # `department`
}


@cache
def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in _schema()["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _component(name: str) -> dict[str, Any]:
    return _schema()["components"]["schemas"][name]


def _error_body(response, status: int) -> dict[str, Any]:
    """The answer is `status` with a body the published ErrorResponse component accepts."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    jsonschema.validate(body, _component("ErrorResponse"))
    return body["error"]


# --- 1. JSON bodies only -----------------------------------------------------------------
# Before: the parsers took multipart and forms too, and a scorecard sent as multipart was
# saved with its nested `ratings` dropped (201, ratings {}).


@pytest.mark.parametrize("fmt", ["multipart", "form"])
def test_a_scorecard_sent_as_a_form_is_refused_not_dropped(recruiter_api, fmt):
    application = ApplicationFactory(stage=Stage.INTERVIEW)
    url = f"/api/v1/applications/{application.pk}/scorecards/"
    if fmt == "multipart":  # what a generated client sent, `ratings` flattened away
        data = {"recommendation": "yes", "comment": "Good", "ratings[SQL]": "4"}
        response = recruiter_api.post(url, data, format="multipart")
    else:
        response = recruiter_api.post(
            url, "recommendation=yes&ratings=x", content_type="application/x-www-form-urlencoded"
        )
    error = _error_body(response, 415)
    assert error["code"] == "unsupported_media_type"
    assert not Scorecard.objects.exists()


def test_a_scorecard_sent_as_json_keeps_its_ratings(recruiter_api):
    application = ApplicationFactory(stage=Stage.INTERVIEW)
    response = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/scorecards/",
        {"recommendation": "yes", "ratings": {"SQL": 4}},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["ratings"] == {"SQL": 4}
    assert Scorecard.objects.get().ratings == {"SQL": 4}


def test_uploads_still_take_multipart(recruiter_api):
    candidate = CandidateFactory()
    upload = SimpleUploadedFile("jane.txt", b"Jane Doe\njane@example.com\nPython.\n")
    response = recruiter_api.post(
        f"/api/v1/candidates/{candidate.pk}/resumes/", {"file": upload}, format="multipart"
    )
    assert response.status_code in (200, 202), response.content


def test_the_schema_publishes_json_bodies_as_json_and_uploads_as_multipart():
    # Before: every JSON body was also published as multipart/form-data.
    bodies = {
        (method, path): set(operation["requestBody"]["content"])
        for method, path, operation in _operations()
        if "requestBody" in operation
    }
    assert set(bodies) >= UPLOADS
    for key, media_types in bodies.items():
        expected = {"multipart/form-data"} if key in UPLOADS else {"application/json"}
        assert media_types == expected, key


# --- 2. the one error body on every operation ---------------------------------------------
# Before: no operation declared an error response, and there was no ErrorResponse component.


def test_the_error_component_is_the_handlers_body():
    assert _component("ErrorResponse") == ERROR_BODY_SCHEMA
    served = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert served.status_code == 200
    assert served.json()["components"]["schemas"]["ErrorResponse"] == ERROR_BODY_SCHEMA


def test_every_operation_declares_its_error_responses():
    operations = _operations()
    assert len(operations) > 40
    for method, path, operation in operations:
        label = f"{method.upper()} {path}"
        responses = operation["responses"]
        errors = {int(code) for code in responses if code[0] in "45"}
        for code in errors:
            schema = responses[str(code)]["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_REF}, (label, code)
        assert {401, 403, 429} <= errors, label
        # 404 on paths with an id; elsewhere where the body names an object (a job, a
        # candidate, a survey token).
        assert (404 in errors) == ("{" in path or (method, path) in NAMES_OBJECTS), label
        has_body = "requestBody" in operation
        assert (415 in errors) == has_body, label
        assert (413 in errors) == ((method, path) in UPLOADS or path.startswith("/api/v1/ml/")), (
            label
        )
        queried = any(p["in"] == "query" for p in operation.get("parameters", []))
        if method == "post" or has_body or queried:
            assert 400 in errors, label
        if method == "post":
            assert 409 in errors, label
        # A download answers any Accept; everything else is JSON only.
        assert (406 in errors) == (not path.endswith("/download/")), label
    assert (
        "Retry-After" in _schema()["paths"]["/api/v1/jobs/"]["get"]["responses"]["429"]["headers"]
    )


def test_a_rules_own_statuses_are_declared():
    paths = _schema()["paths"]
    assert {"404", "410"} <= set(paths["/api/v1/hr/responses/"]["post"]["responses"])
    assert "422" in paths["/api/v1/ml/parse/"]["post"]["responses"]
    assert "409" in paths["/api/v1/jobs/{id}/"]["patch"]["responses"]


def test_real_error_bodies_match_the_component(recruiter_api, make_client, recruiter):
    job = JobFactory()
    # 400: an invalid field.
    bad = recruiter_api.post("/api/v1/jobs/", {"title": ""}, format="json")
    assert "title" in _error_body(bad, 400)["fields"]
    # 404: no such object.
    assert _error_body(recruiter_api.get("/api/v1/jobs/999999/"), 404)["code"] == "not_found"
    # 415: a body the operation cannot read.
    form = recruiter_api.patch(f"/api/v1/jobs/{job.pk}/", {"title": "A"}, format="multipart")
    assert _error_body(form, 415)["code"] == "unsupported_media_type"
    # 406: an Accept the API does not answer.
    html = recruiter_api.get("/api/v1/jobs/", HTTP_ACCEPT="text/html")
    assert _error_body(html, 406)["code"] == "not_acceptable"
    # 401: no key.
    assert _error_body(APIClient().get("/api/v1/jobs/"), 401)["code"]
    # 409: a unique value taken (the key's integration already uses this external_id).
    JobFactory(
        external_id="gh-1", external_system=f"integration:{recruiter_api.key.integration_id}"
    )
    taken = recruiter_api.patch(f"/api/v1/jobs/{job.pk}/", {"external_id": "gh-1"}, format="json")
    assert _error_body(taken, 409)["code"] == "conflict"
    # 429: the key's rate limit.
    limited = make_client(recruiter, rate_limit=1)
    limited.get("/api/v1/jobs/")
    assert _error_body(limited.get("/api/v1/jobs/"), 429)["code"] == "throttled"


# --- 3. types, bounds and headers --------------------------------------------------------


def _parameter(path: str, method: str, name: str) -> dict[str, Any]:
    (found,) = [
        p for p in _schema()["paths"][path][method].get("parameters", []) if p["name"] == name
    ]
    return found


@pytest.mark.parametrize(
    "path,name",
    [
        ("/api/v1/applications/", "job"),
        ("/api/v1/applications/", "candidate"),
        ("/api/v1/applications/", "department"),
        ("/api/v1/candidates/", "job"),
        ("/api/v1/jobs/", "department"),
        ("/api/v1/hr/employees/", "department"),
        ("/api/v1/hr/departments/", "parent"),
    ],
)
def test_id_filters_are_integers(path, name):
    # Before: `number`, and a generated client's 9.0 was refused.
    schema = _parameter(path, "get", name)["schema"]
    assert schema["type"] == "integer" and schema["minimum"] == 1


def test_an_id_filter_takes_whole_numbers(recruiter_api):
    application = ApplicationFactory()
    JobFactory()
    listed = recruiter_api.get("/api/v1/applications/", {"job": application.job_id}).json()
    assert [a["id"] for a in listed["results"]] == [application.pk]
    assert _error_body(recruiter_api.get("/api/v1/applications/", {"job": "9.5"}), 400)["fields"]
    assert _error_body(recruiter_api.get("/api/v1/applications/", {"job": "0"}), 400)["fields"]


def test_pagination_and_limits_are_declared():
    cursor = _parameter("/api/v1/jobs/", "get", "cursor")["schema"]
    page_size = _parameter("/api/v1/jobs/", "get", "page_size")["schema"]
    assert cursor == {"type": "string"}
    assert (page_size["minimum"], page_size["maximum"]) == (1, SyncCursorPagination.max_page_size)
    limit = _parameter("/api/v1/jobs/{id}/ranking/", "get", "limit")["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, 500)
    min_score = _parameter("/api/v1/jobs/{id}/ranking/", "get", "min_score")["schema"]
    assert (min_score["minimum"], min_score["maximum"]) == (0, 100)


def test_idempotency_key_is_a_declared_header_on_posts():
    for method, path, operation in _operations():
        names = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
        assert (("header", "Idempotency-Key") in names) == (method == "post"), (method, path)
    header = _parameter("/api/v1/jobs/", "post", "Idempotency-Key")
    assert header["schema"]["maxLength"] == 255 and header["required"] is False


def test_stored_emails_are_plain_strings(hr_api):
    # Before: `format: email`, which an accented local part does not meet.
    for name in ("EmployeeOut", "CandidateOut"):
        assert _component(name)["properties"]["email"] == {
            "type": "string",
            "description": _component(name)["properties"]["email"].get("description"),
        }
    EmployeeFactory(email="tomás.oliveira@example.com")
    (row,) = hr_api.get("/api/v1/hr/employees/").json()["results"]
    jsonschema.validate(row["email"], _component("EmployeeOut")["properties"]["email"])


def test_the_download_declares_the_types_it_answers(recruiter_api):
    # Before: application/octet-stream only.
    declared = set(
        _schema()["paths"]["/api/v1/resumes/{id}/download/"]["get"]["responses"]["200"]["content"]
    )
    assert {"application/pdf", "text/plain"} <= declared
    candidate = CandidateFactory()
    upload = SimpleUploadedFile("jane.txt", b"Jane Doe\njane@example.com\nPython.\n")
    created = recruiter_api.post(
        f"/api/v1/candidates/{candidate.pk}/resumes/", {"file": upload}, format="multipart"
    ).json()
    download = recruiter_api.get(f"/api/v1/resumes/{created['resume']['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Type"].split(";")[0] in declared


def test_min_years_experience_is_a_number_in_and_out(recruiter_api):
    # Before: a decimal string in, a number out.
    for name in ("JobInRequest", "PatchedJobPatchInRequest", "JobOut"):
        assert _component(name)["properties"]["min_years_experience"]["type"] == "number", name
    created = recruiter_api.post(
        "/api/v1/jobs/", {"title": "Analyst", "min_years_experience": 2.5}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["min_years_experience"] == 2.5
    too_precise = recruiter_api.post(
        "/api/v1/jobs/", {"title": "Analyst", "min_years_experience": 2.55}, format="json"
    )
    assert "min_years_experience" in _error_body(too_precise, 400)["fields"]


def test_rules_are_in_the_operation_descriptions():
    paths = _schema()["paths"]
    for method, path in (("post", "/api/v1/candidates/"), ("patch", "/api/v1/candidates/{id}/")):
        assert "name or an e-mail" in paths[path][method]["description"], path
    for method, path in (("post", "/api/v1/jobs/"), ("post", "/api/v1/jobs/{id}/publish/")):
        assert "needs a description" in paths[path][method]["description"], path


def test_stored_json_is_typed():
    # Before: required_skills, parsed, explanation (and other JSON columns) had no type.
    untyped = [
        f"{name}.{prop}"
        for name, component in _schema()["components"]["schemas"].items()
        for prop, schema in component.get("properties", {}).items()
        if not {"type", "$ref", "allOf", "oneOf", "anyOf"} & set(schema)
    ]
    assert untyped == []
    job = _component("JobOut")["properties"]
    assert job["required_skills"] == {"type": "array", "items": {"type": "string"}}
    parsed = _component("ResumeOut")["properties"]["parsed"]
    assert parsed["type"] == "object" and {"skills", "experience"} <= set(parsed["properties"])
    explanation = _component("FitScoreOut")["properties"]["explanation"]
    assert {"matched_skills", "missing_skills"} <= set(explanation["properties"])


# --- 4. an unrouted /api/ path -----------------------------------------------------------
# Before: Django's HTML 404 page.


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v2/jobs/", "/api/v1/jobs/abc/", "/api/"]
)
def test_an_unrouted_api_path_is_the_json_404(recruiter_api, path):
    for response in (recruiter_api.get(path), recruiter_api.post(path, {}, format="json")):
        assert _error_body(response, 404)["code"] == "not_found"


def test_the_portal_keeps_its_html_404(recruiter):
    client = APIClient()
    client.force_login(recruiter)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


# --- 5. every status the server answers is declared -------------------------------------
# Before: 104 undocumented statuses in an integrator's run. Schemathesis checks every answer
# with all its checks in tests/api/test_schemathesis.py.


# --- 6. what Schemathesis with every check found -----------------------------------------


@pytest.mark.parametrize("name", ["updated_after", "created_after", "external_id", "job"])
def test_a_filter_sent_empty_is_refused_not_ignored(recruiter_api, name):
    # Before: `?updated_after=` listed everything, as if the sync had no timestamp.
    error = _error_body(recruiter_api.get("/api/v1/applications/", {name: ""}), 400)
    assert error["fields"] == {name: ["Give a value, or leave the parameter out."]}


def test_a_cursor_no_page_gave_is_a_rule_refusal(recruiter_api):
    error = _error_body(recruiter_api.get("/api/v1/jobs/", {"cursor": "candidate__skills"}), 400)
    assert error["code"] == "invalid_cursor"
    assert error["fields"] == {"cursor": ["This cursor is not valid."]}


@pytest.mark.parametrize(
    "path,body,named",
    [
        ("/api/v1/jobs/", {"title": "Analyst", "department": 424242}, "department 424242"),
        (
            "/api/v1/hr/employees/",
            {"full_name": "Ada", "hire_date": "2024-01-01", "manager": 424242},
            "manager 424242",
        ),
        ("/api/v1/hr/departments/", {"name": "Ops", "parent": 424242}, "parent 424242"),
    ],
)
def test_an_unknown_object_named_in_the_body_is_404(recruiter_api, hr_api, path, body, named):
    # Before: 400 `invalid`, as if the schema had allowed a value it does not.
    client = hr_api if path.startswith("/api/v1/hr/") else recruiter_api
    error = _error_body(client.post(path, body, format="json"), 404)
    assert named in error["message"]


def test_the_bias_audit_of_an_unknown_job_is_404(hr_api):
    assert _error_body(hr_api.get("/api/v1/privacy/bias-audit/", {"job": 424242}), 404)
    empty = _error_body(hr_api.get("/api/v1/privacy/bias-audit/", {"start": ""}), 400)
    assert "start" in empty["fields"]


def test_years_of_experience_declare_one_decimal_place():
    schema = _component("JobInRequest")["properties"]["min_years_experience"]
    assert schema["multipleOf"] == 0.1 and (schema["minimum"], schema["maximum"]) == (0, 60)


def test_request_text_declares_no_nul_and_not_blank(recruiter_api):
    # Django refuses NUL in text, and trims a required text before checking it is not blank.
    candidate = _component("PatchedCandidateInRequest")["properties"]
    assert candidate["summary"]["pattern"] == r"^[^\x00]*$"
    assert candidate["links"]["items"]["pattern"] == r"^[^\x00]*[^\s\x00][^\x00]*$"
    title = _component("JobInRequest")["properties"]["title"]
    assert title["minLength"] == 1 and title["pattern"] == r"^[^\x00]*[^\s\x00][^\x00]*$"
    job = JobFactory()
    refused = recruiter_api.patch(f"/api/v1/jobs/{job.pk}/", {"title": "\x1c"}, format="json")
    assert "title" in _error_body(refused, 400)["fields"]
    candidate_ = CandidateFactory()
    nul = recruiter_api.patch(
        f"/api/v1/candidates/{candidate_.pk}/", {"links": ["a", "b\x00"]}, format="json"
    )
    # The message names the item, not the repr of DRF's nested errors.
    assert _error_body(nul, 400)["fields"]["links"] == ["1: Null characters are not allowed."]


def test_a_webhook_url_that_is_no_web_address_is_a_rule_refusal(recruiter_api):
    host = ".".join(["a" * 63] * 5)  # `format: uri` takes it; no host name is this long
    error = _error_body(
        recruiter_api.post(
            "/api/v1/webhooks/",
            {"url": f"https://{host}/hook", "events": ["candidate.created"]},
            format="json",
        ),
        400,
    )
    assert error["code"] == "invalid_webhook" and "url" in error["fields"]


def test_a_survey_answer_is_a_number_or_a_text(hr_api):
    schema = _component("ResponseInRequest")["properties"]["answers"]["additionalProperties"]
    assert schema == {"anyOf": [{"type": "number"}, {"type": "string"}]}
    refused = hr_api.post(
        "/api/v1/hr/responses/",
        {"token": "t", "answers": {"1": None, "2": {"a": 1}, "3": True, "4": 5}},
        format="json",
    )
    assert _error_body(refused, 400)["fields"]["answers"] == [
        "1: This field may not be null.",
        "2: An answer is a number or a text.",
        "3: An answer is a number or a text.",
    ]


def test_a_search_list_longer_than_declared_is_refused(recruiter_api):
    # Found by Schemathesis: `titles` declares maxLength 500, and 600 characters were taken.
    refused = recruiter_api.get("/api/v1/candidates/search/", {"titles": "a" * 501})
    assert _error_body(refused, 400)["fields"] == {"titles": ["At most 500 characters."]}
