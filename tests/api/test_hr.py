"""HR resources over the API: HR admins only, answers by token, aggregates kept anonymous."""

from __future__ import annotations

import pytest

from hr import services
from hr.models import Invitation, Question, Response
from hr.services.surveys import token_hash
from tests.factories import DepartmentFactory, EmployeeFactory
from tests.hr.factories import close, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_survey(hr_admin):
    survey = services.survey_create(by=hr_admin, title="Pulse", min_group_size=3)
    services.question_add(by=hr_admin, survey=survey, kind=Question.Kind.ENPS, text="Recommend?")
    services.question_add(
        by=hr_admin, survey=survey, kind=Question.Kind.FREE_TEXT, text="Else?", required=False
    )
    return services.survey_open(by=hr_admin, survey=survey)


def test_hr_admin_creates_and_lists_departments_and_employees(hr_api):
    dept = hr_api.post("/api/v1/hr/departments/", {"name": "Data"}, format="json")
    assert dept.status_code == 201
    employee = hr_api.post(
        "/api/v1/hr/employees/",
        {"full_name": "Ann", "hire_date": "2024-01-15", "department": dept.json()["id"]},
        format="json",
    )
    assert employee.status_code == 201, employee.json()
    listed = hr_api.get("/api/v1/hr/employees/", {"department": dept.json()["id"]}).json()
    assert [e["full_name"] for e in listed["results"]] == ["Ann"]
    one = hr_api.get(f"/api/v1/hr/employees/{employee.json()['id']}/").json()
    assert one["department"] == dept.json()["id"]
    assert hr_api.get(f"/api/v1/hr/departments/{dept.json()['id']}/").json()["name"] == "Data"
    assert hr_api.get("/api/v1/hr/departments/999999/").status_code == 404


def test_hr_errors_400_and_unknown_references(hr_api):
    DepartmentFactory(name="Data")
    dup = hr_api.post("/api/v1/hr/departments/", {"name": "data"}, format="json")
    assert dup.status_code == 400 and "name" in dup.json()["error"]["fields"]
    ghost = hr_api.post(
        "/api/v1/hr/employees/",
        {"full_name": "Bo", "hire_date": "2024-01-01", "department": 999999},
        format="json",
    )
    # An object named in the body that does not exist is 404, as everywhere in the API.
    assert ghost.status_code == 404 and "department 999999" in ghost.json()["error"]["message"]


def test_recruiters_cannot_read_hr(recruiter_api):
    assert recruiter_api.get("/api/v1/hr/employees/").status_code == 403
    assert recruiter_api.get("/api/v1/hr/surveys/").status_code == 403


def test_hr_scope_is_needed(make_client, hr_admin):
    client = make_client(hr_admin, scopes=["recruiting:read"])
    assert client.get("/api/v1/hr/departments/").status_code == 403


def test_surveys_and_questions(hr_api, open_survey):
    assert hr_api.get(f"/api/v1/hr/surveys/{open_survey.pk}/").json()["status"] == "open"
    questions = hr_api.get(f"/api/v1/hr/surveys/{open_survey.pk}/questions/").json()
    assert [q["kind"] for q in questions] == ["enps", "free_text"]
    draft = hr_api.post("/api/v1/hr/surveys/", {"title": "Onboarding"}, format="json").json()
    added = hr_api.post(
        f"/api/v1/hr/surveys/{draft['id']}/questions/",
        {"kind": "likert", "text": "Tools OK?"},
        format="json",
    )
    assert added.status_code == 201
    # An open survey's questions are fixed (the service's rule).
    refused = hr_api.post(
        f"/api/v1/hr/surveys/{open_survey.pk}/questions/",
        {"kind": "likert", "text": "Late?"},
        format="json",
    )
    assert refused.status_code == 400
    assert hr_api.get("/api/v1/hr/surveys/999999/").status_code == 404
    opened = hr_api.post(f"/api/v1/hr/surveys/{draft['id']}/open/")
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    again = hr_api.post(f"/api/v1/hr/surveys/{draft['id']}/open/")
    assert again.status_code == 400
    closed = hr_api.post(f"/api/v1/hr/surveys/{draft['id']}/close/")
    assert closed.json()["status"] == "closed"


def test_response_by_token_is_stored_once(hr_api, open_survey):
    employee = EmployeeFactory(email="e@example.com")
    Invitation.objects.create(survey=open_survey, employee=employee, token_hash=token_hash("t0k"))
    enps, text = open_survey.questions.all()
    bad = hr_api.post(
        "/api/v1/hr/responses/", {"token": "t0k", "answers": {str(enps.pk): 42}}, format="json"
    )
    assert bad.status_code == 400 and f"answers.{enps.pk}" in bad.json()["error"]["fields"]
    ok = hr_api.post(
        "/api/v1/hr/responses/",
        {"token": "t0k", "answers": {str(enps.pk): 9, str(text.pk): "Great team."}},
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    again = hr_api.post(
        "/api/v1/hr/responses/", {"token": "t0k", "answers": {str(enps.pk): 9}}, format="json"
    )
    assert again.status_code == 410
    unknown = hr_api.post("/api/v1/hr/responses/", {"token": "nope", "answers": {}}, format="json")
    assert unknown.status_code in (400, 404, 410)
    assert Response.objects.count() == 1


def test_analytics_hide_groups_under_the_minimum(hr_api, open_survey):
    big, small = DepartmentFactory(name="Big"), DepartmentFactory(name="Small")
    for _ in range(6):
        respond(open_survey, big, enps=9)
    respond(open_survey, small, enps=1)
    close(open_survey)
    url = f"/api/v1/hr/surveys/{open_survey.pk}/analytics/"
    whole = hr_api.get(url).json()
    assert whole["overview"]["suppressed"] is False and whole["overview"]["responses"] == 7
    hidden = hr_api.get(url, {"department": small.pk}).json()
    assert hidden["suppressed"] is True
    assert hidden["overview"] == {"suppressed": True}
    assert all("distribution" not in q for q in hidden["questions"])
    bad = hr_api.get(url, {"grain": "year"})
    assert bad.status_code == 400 and "grain" in bad.json()["error"]["fields"]
    unknown = hr_api.get(url, {"department": 999999})
    assert unknown.status_code == 400


def _strict(schema):
    """The published OpenAPI 3.0 schema as JSON Schema that also refuses undeclared keys."""
    if isinstance(schema, list):
        return [_strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _strict(v) for k, v in schema.items() if k not in ("nullable", "format")}
    if schema.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    if "properties" in schema:
        out["additionalProperties"] = False
    return out


def test_analytics_answer_is_the_published_schema(hr_api, open_survey):
    # The schema comes from the types the dashboard is built from (hr.analytics.results):
    # every key the API sends is declared, with its type, hidden groups and comments included.
    import jsonschema
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/hr/surveys/{id}/analytics/"]["get"]
    published = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"overview", "questions", "trend", "comments"} <= set(published["properties"])
    big, mid, small = (DepartmentFactory(name=name) for name in ("Big", "Mid", "Small"))
    for department, n in ((big, 6), (mid, 3), (small, 1)):
        for _ in range(n):
            respond(open_survey, department, enps=9, text="Great team.", label="positive")
    url = f"/api/v1/hr/surveys/{open_survey.pk}/analytics/"
    validator = jsonschema.Draft202012Validator(_strict(published))
    validator.validate(hr_api.get(url).json())  # open: participation only
    close(open_survey)
    whole = hr_api.get(url).json()
    assert whole["comments"] and whole["trend"]["by_department"]
    assert any(row["suppressed"] for row in whole["breakdown"])
    validator.validate(whole)
    validator.validate(hr_api.get(url, {"department": small.pk}).json())
