"""Requests that used to end in a 500: each is now a 4xx with the one error body."""

from __future__ import annotations

import base64
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from core.roles import Role
from hr.models import Survey
from tests.factories import (
    ApplicationFactory,
    CandidateFactory,
    DepartmentFactory,
    EmployeeFactory,
    JobFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


# --- cursors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [b"p=\x00", b"p=abc", b"p=1.5", b"o=1&p=\x00", b"r=1&p=-x", b"p=" + b"9" * 40],
    ids=["nul", "word", "decimal", "offset-nul", "reverse-word", "huge"],
)
@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/v1/candidates/", "/api/v1/applications/"])
def test_a_tampered_cursor_is_400(recruiter_api, path, raw):
    JobFactory()
    cursor = base64.b64encode(raw).decode()
    response = recruiter_api.get(path, {"cursor": cursor})
    error = _error(response, 400)
    assert error["fields"] == {"cursor": ["This cursor is not valid."]}


def test_a_genuine_cursor_still_pages(recruiter_api):
    JobFactory.create_batch(3)
    first = recruiter_api.get("/api/v1/jobs/", {"page_size": 2}).json()
    following = recruiter_api.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(following["results"]) == 1


# --- Accept: text/html ------------------------------------------------------------------


def _api_get_routes() -> list[str]:
    """Every route under /api/v1/ whose view answers GET, as a regex-free template."""

    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                view_class = getattr(pattern.callback, "cls", None)
                if route.startswith("api/v1/") and view_class and hasattr(view_class, "get"):
                    routes.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return routes


@pytest.fixture
def every_object():
    job = JobFactory()
    candidate = CandidateFactory()
    application = ApplicationFactory(job=job, candidate=candidate)
    survey = Survey.objects.create(title="Pulse")
    department = DepartmentFactory()
    employee = EmployeeFactory(department=department)
    return {
        "jobs": job.pk,
        "candidates": candidate.pk,
        "applications": application.pk,
        "surveys": survey.pk,
        "departments": department.pk,
        "employees": employee.pk,
    }


def _fill(route: str, ids: dict[str, int]) -> str:
    def one(match: re.Match) -> str:
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        return str(ids.get(before, 999_999))

    return re.sub(r"<int:\w+>", one, route)


def test_every_api_get_route_is_found():
    routes = _api_get_routes()
    # The lists the outside pass saw fail, and the rest, are all in the sweep below.
    for expected in (
        "/api/v1/applications/<int:pk>/scores/",
        "/api/v1/candidates/<int:pk>/notes/",
        "/api/v1/applications/<int:pk>/scorecards/",
        "/api/v1/candidates/<int:pk>/resumes/",
        "/api/v1/hr/surveys/",
        "/api/v1/jobs/",
        "/api/v1/webhook-deliveries/",
    ):
        assert expected in routes
    assert len(routes) >= 20


@pytest.mark.parametrize("auth", ["session", "key"])
def test_accept_text_html_is_406_json_on_every_api_get(auth, every_object, make_client):
    user = UserFactory(roles=[Role.RECRUITER, Role.HR_ADMIN])
    if auth == "session":
        client = APIClient()
        client.force_login(user)
    else:
        client = make_client(user)
    for route in _api_get_routes():
        path = _fill(route, every_object)
        response = client.get(path, HTTP_ACCEPT="text/html")
        if route.endswith("/download/"):  # a file answers any Accept; here: no such resume
            assert _error(response, 404)["code"] == "not_found"
            continue
        error = _error(response, 406)
        assert error["code"] == "not_acceptable", path


def test_a_resume_downloads_whatever_the_accept_header(recruiter_api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = b"Jane Doe\njane@example.com\nPython developer.\n"
    upload = SimpleUploadedFile("jane.txt", text, content_type="text/plain")
    candidate = CandidateFactory()
    response = recruiter_api.post(
        f"/api/v1/candidates/{candidate.pk}/resumes/", {"file": upload}, format="multipart"
    )
    resume_id = response.json()["resume"]["id"]
    download = recruiter_api.get(f"/api/v1/resumes/{resume_id}/download/", HTTP_ACCEPT="text/html")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == text


def test_a_browser_accept_header_gets_json(recruiter, every_object):
    client = APIClient()
    client.force_login(recruiter)
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for path in (
        "/api/v1/jobs/",
        f"/api/v1/candidates/{every_object['candidates']}/notes/",
        f"/api/v1/applications/{every_object['applications']}/scores/",
    ):
        response = client.get(path, HTTP_ACCEPT=browser)
        assert response.status_code == 200, (path, response.content[:300])
        assert response["Content-Type"].startswith("application/json")
        assert "results" in response.json()


# --- Idempotency-Key ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["k" * 256, "   ", "a\x00b", "tab\tkey"])
def test_a_malformed_idempotency_key_is_400(recruiter_api, key):
    from recruiting.models import Job

    response = recruiter_api.post(
        "/api/v1/jobs/", {"title": "A"}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    error = _error(response, 400)
    assert error["code"] == "invalid_idempotency_key"
    assert "Idempotency-Key" in error["fields"]
    assert not Job.objects.exists()


def test_an_idempotency_key_of_255_characters_works(recruiter_api):
    key = "k" * 255
    first = recruiter_api.post(
        "/api/v1/jobs/", {"title": "A"}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    again = recruiter_api.post(
        "/api/v1/jobs/", {"title": "A"}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"


# --- a unique value taken ----------------------------------------------------------------


def test_patching_a_job_to_another_jobs_external_id_is_409(recruiter_api):
    system = f"integration:{recruiter_api.key.integration_id}"  # the key's own ids
    JobFactory(external_id="gh-1", external_system=system)
    other = JobFactory(external_id="gh-2", external_system=system)
    response = recruiter_api.patch(
        f"/api/v1/jobs/{other.pk}/", {"external_id": "gh-1"}, format="json"
    )
    assert _error(response, 409)["code"] == "conflict"
    other.refresh_from_db()
    assert other.external_id == "gh-2"
    # The request's transaction was rolled back cleanly: the API goes on working.
    assert recruiter_api.get(f"/api/v1/jobs/{other.pk}/").status_code == 200
