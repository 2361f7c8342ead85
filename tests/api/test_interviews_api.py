"""GET /api/v1/interviews/ and /rejection-reasons/: what they answer, to whom, in how many
queries, and that the schema describes it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from core.roles import Role
from recruiting import services
from recruiting.models import RejectionReason
from recruiting.pipeline import Stage
from recruiting.services import Slot
from tests.factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory

pytestmark = pytest.mark.django_db


def _schedule(application, by, people, days=9, reason_to_cancel=None):
    day = (timezone.now() + timedelta(days=days)).date()
    slot = Slot(
        starts_at=datetime(day.year, day.month, day.day, 14, 30),
        time_zone="Asia/Tokyo",
        duration_minutes=30,
        interviewers=people,
        video_url="https://meet.example.com/x",
    )
    interview = services.interview_schedule(application=application, by=by, slot=slot)
    if reason_to_cancel is not None:
        interview = services.interview_cancel(interview=interview, by=by, reason=reason_to_cancel)
    return interview


def _check_against_schema(path: str, body: dict) -> None:
    """The published answer of GET `path` has exactly the body's fields, all required, and
    each value has the published type (nullable where it may be null)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    answer = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    ref = answer["schema"]["$ref"].rsplit("/", 1)[-1]
    component = schema["components"]["schemas"][ref]
    if "results" in component["properties"]:  # a page: check one row
        ref = component["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
        component, body = schema["components"]["schemas"][ref], body["results"][0]
    assert set(component["properties"]) == set(body)
    assert set(component["required"]) == set(body)
    types = {"integer": int, "string": str, "boolean": bool, "array": list}
    for name, value in body.items():
        spec = component["properties"][name]
        if value is None:
            assert spec.get("nullable"), f"{name} is null but not nullable"
        elif "type" in spec:
            assert isinstance(value, types[spec["type"]]), (name, value, spec)


def test_interviews_list_and_detail_match_the_schema(recruiter_api, recruiter):
    job = JobFactory(owner=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.INTERVIEW)
    interview = _schedule(application, recruiter, [recruiter])
    body = recruiter_api.get("/api/v1/interviews/").json()
    _check_against_schema("/api/v1/interviews/", body)
    (row,) = body["results"]
    assert row["id"] == interview.pk and row["application"] == application.pk
    assert row["job"] == job.pk and row["candidate"] == application.candidate_id
    assert row["interviewers"] == [recruiter.pk] and row["time_zone"] == "Asia/Tokyo"
    assert row["uid"] == f"{interview.uid}@smarthr" and row["sequence"] == 0
    assert row["status"] == "scheduled" and row["duration_minutes"] == 30
    detail = recruiter_api.get(f"/api/v1/interviews/{interview.pk}/")
    assert detail.status_code == 200 and detail.json() == row
    _check_against_schema("/api/v1/interviews/{id}/", detail.json())


def test_filters_and_query_count(recruiter_api, recruiter, django_assert_max_num_queries):
    job = JobFactory(owner=recruiter)
    first = ApplicationFactory(job=job, stage=Stage.INTERVIEW)
    _schedule(first, recruiter, [recruiter])
    with django_assert_max_num_queries(12) as small:
        recruiter_api.get("/api/v1/interviews/")
    for _ in range(4):
        _schedule(ApplicationFactory(job=job, stage=Stage.INTERVIEW), recruiter, [recruiter])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(recruiter_api.get("/api/v1/interviews/").json()["results"]) == 5
    one = recruiter_api.get("/api/v1/interviews/", {"application": first.pk}).json()
    assert [r["application"] for r in one["results"]] == [first.pk]
    assert recruiter_api.get("/api/v1/interviews/", {"status": "cancelled"}).json()["results"] == []
    bad = recruiter_api.get("/api/v1/interviews/", {"status": "maybe"})
    assert bad.status_code == 400


def test_a_hiring_manager_sees_only_their_jobs_interviews(make_client, recruiter):
    manager = UserFactory(roles=[Role.HIRING_MANAGER])
    theirs = JobFactory(owner=recruiter)
    theirs.hiring_team.add(manager)
    mine = _schedule(ApplicationFactory(job=theirs, stage=Stage.INTERVIEW), recruiter, [manager])
    other = _schedule(ApplicationFactory(stage=Stage.INTERVIEW), recruiter, [recruiter])
    api = make_client(manager)
    ids = [r["id"] for r in api.get("/api/v1/interviews/").json()["results"]]
    assert ids == [mine.pk]
    missing = api.get(f"/api/v1/interviews/{other.pk}/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_blind_screening_scrubs_the_cancellation_reason(recruiter_api, recruiter):
    job = JobFactory(owner=recruiter, blind_screening=True)
    candidate = CandidateFactory(full_name="Zqelina Vexkyle")
    application = ApplicationFactory(job=job, candidate=candidate, stage=Stage.SCREENING)
    interview = _schedule(
        application, recruiter, [recruiter], reason_to_cancel="Zqelina asked to move it"
    )
    row = recruiter_api.get(f"/api/v1/interviews/{interview.pk}/").json()
    assert row["cancel_reason"] == "[NAME] asked to move it" and row["sequence"] == 1
    listed = recruiter_api.get("/api/v1/interviews/").json()["results"][0]
    assert "Zqelina" not in str(listed)


def test_rejection_reasons_are_listed_with_archived_ones(recruiter_api):
    RejectionReason.objects.filter(code="no_response").update(active=False)
    body = recruiter_api.get("/api/v1/rejection-reasons/").json()
    _check_against_schema("/api/v1/rejection-reasons/", body)
    codes = {r["code"]: r["active"] for r in body["results"]}
    assert codes["position_filled"] is True and codes["no_response"] is False


def test_the_read_scope_is_needed(make_client, recruiter):
    api = make_client(recruiter, scopes=["hr:read"])
    assert api.get("/api/v1/interviews/").status_code == 403
    assert api.get("/api/v1/rejection-reasons/").status_code == 403


# --- writes -----------------------------------------------------------------------------


def _body(application, people, **changes) -> dict:
    start = (timezone.now() + timedelta(days=9)).replace(microsecond=0)
    body = {
        "application": application.pk,
        "starts_at": start.isoformat(),
        "time_zone": "Europe/Paris",
        "duration_minutes": 45,
        "interviewers": [p.pk for p in people],
        "video_url": "https://meet.example.com/a",
    }
    body.update(changes)
    return body


def test_schedule_reschedule_cancel_through_the_api(
    recruiter_api, recruiter, django_capture_on_commit_callbacks
):
    from django.core import mail

    application = ApplicationFactory(job=JobFactory(owner=recruiter), stage=Stage.INTERVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        created = recruiter_api.post(
            "/api/v1/interviews/", _body(application, [recruiter]), format="json"
        )
    assert created.status_code == 201, created.content
    row = created.json()
    _check_against_schema("/api/v1/interviews/{id}/", row)
    assert row["sequence"] == 0 and row["interviewers"] == [recruiter.pk]
    assert len(mail.outbox) == 2  # the candidate and the interviewer
    later = (timezone.now() + timedelta(days=10)).replace(microsecond=0).isoformat()
    body = _body(application, [recruiter], starts_at=later)
    del body["application"]
    with django_capture_on_commit_callbacks(execute=True):
        moved = recruiter_api.post(
            f"/api/v1/interviews/{row['id']}/reschedule/", body, format="json"
        )
    assert moved.status_code == 200 and moved.json()["sequence"] == 1
    assert moved.json()["uid"] == row["uid"]
    with django_capture_on_commit_callbacks(execute=True):
        gone = recruiter_api.post(f"/api/v1/interviews/{row['id']}/cancel/", {}, format="json")
    assert gone.status_code == 200 and gone.json()["status"] == "cancelled"
    again = recruiter_api.post(f"/api/v1/interviews/{row['id']}/cancel/", {}, format="json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_interview"
    assert len(mail.outbox) == 6


def test_api_errors_name_the_field(recruiter_api, recruiter):
    application = ApplicationFactory(job=JobFactory(owner=recruiter), stage=Stage.INTERVIEW)
    past = recruiter_api.post(
        "/api/v1/interviews/",
        _body(application, [recruiter], starts_at="2020-01-06T10:00:00Z"),
        format="json",
    )
    assert past.status_code == 400
    assert past.json()["error"]["fields"] == {
        "starts_at": ["An interview cannot start in the past."]
    }
    nobody = recruiter_api.post(
        "/api/v1/interviews/", {**_body(application, []), "interviewers": [987654]}, format="json"
    )
    assert nobody.status_code == 400
    assert nobody.json()["error"]["fields"] == {"interviewers": ["No user with id 987654."]}
    zone = recruiter_api.post(
        "/api/v1/interviews/", _body(application, [recruiter], time_zone="Mars/Base"), format="json"
    )
    assert zone.status_code == 400 and "time_zone" in zone.json()["error"]["fields"]
    unknown = recruiter_api.post(
        "/api/v1/interviews/",
        {**_body(application, [recruiter]), "application": 987654},
        format="json",
    )
    assert unknown.status_code == 404


def test_another_jobs_manager_cannot_schedule_and_read_scope_cannot_write(make_client, recruiter):
    application = ApplicationFactory(job=JobFactory(owner=recruiter), stage=Stage.INTERVIEW)
    manager_api = make_client(UserFactory(roles=[Role.HIRING_MANAGER]))
    answer = manager_api.post("/api/v1/interviews/", _body(application, [recruiter]), format="json")
    assert answer.status_code == 404
    reader = make_client(recruiter, scopes=["recruiting:read"])
    answer = reader.post("/api/v1/interviews/", _body(application, [recruiter]), format="json")
    assert answer.status_code == 403
