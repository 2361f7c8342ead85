"""Recruiting resources over the API: roles, 403/404/400, upsert, sync filters, pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recruiting.models import Application, Candidate, Job, Note, Scorecard, StageEvent
from recruiting.pipeline import Stage
from tests.factories import ApplicationFactory, CandidateFactory, DepartmentFactory, JobFactory

pytestmark = pytest.mark.django_db


# --- jobs -------------------------------------------------------------------------------


def test_recruiter_creates_and_publishes_a_job(recruiter_api, recruiter):
    dept = DepartmentFactory()
    response = recruiter_api.post(
        "/api/v1/jobs/",
        {
            "title": "Data Engineer",
            "description": "Pipelines in Python.",
            "required_skills": ["Python", " python ", "SQL"],
            "department": dept.pk,
            "external_id": "gh-1",
            "publish": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open"
    assert body["required_skills"] == ["Python", "SQL"]  # the service's cleaning applies
    job = Job.objects.get(pk=body["id"])
    assert job.owner == recruiter and job.department == dept


def test_job_upsert_by_external_id_updates_instead_of_duplicating(recruiter_api):
    first = recruiter_api.post("/api/v1/jobs/", {"title": "A", "external_id": "x-9"}, format="json")
    again = recruiter_api.post("/api/v1/jobs/", {"title": "B", "external_id": "x-9"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Job.objects.get(external_id="x-9").title == "B"


def test_hiring_manager_cannot_create_jobs(manager_api):
    response = manager_api.post("/api/v1/jobs/", {"title": "Nope"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Job.objects.exists()


def test_invalid_job_is_400_with_field_errors(recruiter_api):
    response = recruiter_api.post(
        "/api/v1/jobs/", {"title": "", "min_years_experience": 99}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"title", "min_years_experience"} <= set(fields)


def test_publishing_without_description_is_a_domain_400(recruiter_api):
    job = JobFactory(status=Job.Status.DRAFT, description="")
    response = recruiter_api.post(f"/api/v1/jobs/{job.pk}/publish/")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["description"]


def test_hiring_manager_sees_only_their_jobs_and_404_for_others(manager_api, hiring_manager):
    mine, other = JobFactory(), JobFactory()
    mine.hiring_team.add(hiring_manager)
    listed = [j["id"] for j in manager_api.get("/api/v1/jobs/").json()["results"]]
    assert listed == [mine.pk]
    assert manager_api.get(f"/api/v1/jobs/{other.pk}/").status_code == 404
    assert manager_api.get("/api/v1/jobs/999999/").json()["error"]["code"] == "not_found"


def test_job_filters_and_sync(recruiter_api):
    old = JobFactory(status=Job.Status.CLOSED)
    Job.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
    new = JobFactory(status=Job.Status.OPEN)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    got = recruiter_api.get("/api/v1/jobs/", {"updated_after": since}).json()["results"]
    assert [j["id"] for j in got] == [new.pk]
    got = recruiter_api.get("/api/v1/jobs/", {"status": "closed"}).json()["results"]
    assert [j["id"] for j in got] == [old.pk]
    bad = recruiter_api.get("/api/v1/jobs/", {"status": "sideways", "updated_after": "soon"})
    assert bad.status_code == 400
    assert {"status", "updated_after"} <= set(bad.json()["error"]["fields"])


def test_odd_but_valid_offsets_and_out_of_range_times(recruiter_api):
    # PostgreSQL refuses offsets beyond ±16 h: the filter normalises to UTC first.
    odd = recruiter_api.get("/api/v1/candidates/", {"updated_after": "2025-05-22T13:20:52-18:47"})
    assert odd.status_code == 200
    late = recruiter_api.get("/api/v1/jobs/", {"updated_after": "9999-12-31T23:00:00-05:00"})
    assert late.status_code == 400 and "updated_after" in late.json()["error"]["fields"]


def test_cursor_pagination_walks_every_row_once_with_link_header(recruiter_api):
    JobFactory.create_batch(5)
    seen, url, pages = [], "/api/v1/jobs/?page_size=2", 0
    while url:
        response = recruiter_api.get(url)
        assert response.status_code == 200
        body = response.json()
        seen += [j["id"] for j in body["results"]]
        if body["next"]:
            assert f'<{body["next"]}>; rel="next"' in response["Link"]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert seen == sorted(seen, reverse=True) and len(set(seen)) == 5


def test_bad_cursor_and_page_size_are_400(recruiter_api):
    assert recruiter_api.get("/api/v1/jobs/", {"cursor": "garbage"}).status_code == 400
    assert recruiter_api.get("/api/v1/jobs/", {"page_size": 0}).status_code == 400
    assert recruiter_api.get("/api/v1/jobs/", {"page_size": 10_000}).status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/v1/candidates/", "/api/v1/applications/"])
def test_list_query_count_does_not_grow_with_page_size(
    recruiter_api, django_assert_max_num_queries, path
):
    for job in JobFactory.create_batch(3):
        ApplicationFactory.create_batch(4, job=job)
    recruiter_api.get(path)  # the first call records the key's use
    with django_assert_max_num_queries(8) as small:
        assert recruiter_api.get(path, {"page_size": 2}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        assert len(recruiter_api.get(path, {"page_size": 50}).json()["results"]) > 2
    assert len(large.captured_queries) == len(small.captured_queries)


# --- candidates -------------------------------------------------------------------------


def test_candidate_create_and_upsert_by_external_id(recruiter_api):
    payload = {"full_name": "Ada Lovelace", "email": " ADA@example.com ", "external_id": "c-1"}
    first = recruiter_api.post("/api/v1/candidates/", payload, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["email"] == "ada@example.com"
    again = recruiter_api.post(
        "/api/v1/candidates/", {**payload, "headline": "Analyst"}, format="json"
    )
    assert again.status_code == 200
    assert Candidate.objects.get().headline == "Analyst"


def test_candidate_invalid_email_is_400_on_the_field(recruiter_api):
    response = recruiter_api.post(
        "/api/v1/candidates/", {"full_name": "X", "email": "not-an-email"}, format="json"
    )
    assert response.status_code == 400
    assert "email" in response.json()["error"]["fields"]


def test_hiring_manager_cannot_add_candidates_and_sees_only_theirs(manager_api, hiring_manager):
    response = manager_api.post("/api/v1/candidates/", {"full_name": "X"}, format="json")
    assert response.status_code == 403
    mine = ApplicationFactory()
    mine.job.hiring_team.add(hiring_manager)
    other = ApplicationFactory()
    listed = [c["id"] for c in manager_api.get("/api/v1/candidates/").json()["results"]]
    assert listed == [mine.candidate_id]
    assert manager_api.get(f"/api/v1/candidates/{other.candidate_id}/").status_code == 404


def test_blind_screening_hides_identity_from_screeners(recruiter_api):
    application = ApplicationFactory(job=JobFactory(blind_screening=True))
    body = recruiter_api.get(f"/api/v1/candidates/{application.candidate_id}/").json()
    assert body["identity_hidden"] is True
    assert body["email"] == "" and body["full_name"] == f"Candidate #{application.candidate_id}"


def test_resume_upload_list_and_download(recruiter_api):
    candidate = CandidateFactory()
    text = b"Jane Doe\njane@example.com\nPython developer with Django and SQL.\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("jane.txt", text, content_type="text/plain")
    response = recruiter_api.post(
        f"/api/v1/candidates/{candidate.pk}/resumes/", {"file": upload}, format="multipart"
    )
    assert response.status_code in (200, 202), response.json()
    resume_id = response.json()["resume"]["id"]
    listed = recruiter_api.get(f"/api/v1/candidates/{candidate.pk}/resumes/").json()
    assert [r["id"] for r in listed["results"]] == [resume_id]
    download = recruiter_api.get(f"/api/v1/resumes/{resume_id}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == text


# --- applications and actions -----------------------------------------------------------


def test_application_create_list_and_filter(recruiter_api):
    job, candidate = JobFactory(), CandidateFactory()
    created = recruiter_api.post(
        "/api/v1/applications/",
        {"candidate": candidate.pk, "job": job.pk, "external_id": "app-1"},
        format="json",
    )
    assert created.status_code == 201
    again = recruiter_api.post(
        "/api/v1/applications/",
        {"candidate": candidate.pk, "job": job.pk, "external_id": "app-1"},
        format="json",
    )
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    ApplicationFactory(stage=Stage.INTERVIEW)
    got = recruiter_api.get("/api/v1/applications/", {"job": job.pk}).json()["results"]
    assert [a["id"] for a in got] == [created.json()["id"]]
    got = recruiter_api.get("/api/v1/applications/", {"stage": "interview"}).json()["results"]
    assert [a["stage"] for a in got] == ["interview"]


def test_applying_twice_or_to_a_closed_job_is_400(recruiter_api):
    application = ApplicationFactory()
    twice = recruiter_api.post(
        "/api/v1/applications/",
        {"candidate": application.candidate_id, "job": application.job_id},
        format="json",
    )
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "already_applied"
    closed = JobFactory(status=Job.Status.CLOSED)
    response = recruiter_api.post(
        "/api/v1/applications/",
        {"candidate": application.candidate_id, "job": closed.pk},
        format="json",
    )
    assert response.json()["error"]["code"] == "job_not_open"


def test_actions_go_through_the_pipeline_rules(recruiter_api, recruiter):
    application = ApplicationFactory()
    url = f"/api/v1/applications/{application.pk}"
    assert (
        recruiter_api.post(f"{url}/advance/", {"note": "ok"}, format="json").json()["stage"]
        == "screening"
    )
    skip = recruiter_api.post(f"{url}/move/", {"to_stage": "hired"}, format="json")
    assert skip.status_code == 400
    assert skip.json()["error"]["code"] == "invalid_transition"
    assert "to_stage" in skip.json()["error"]["fields"]
    no_reason = recruiter_api.post(f"{url}/move/", {"to_stage": "rejected"}, format="json")
    assert no_reason.json()["error"]["fields"].keys() == {"reason"}
    rejected = recruiter_api.post(f"{url}/reject/", {"reason": "Not a fit"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["stage"] == "rejected"
    event = StageEvent.objects.filter(application=application).last()
    assert event.by == recruiter and event.to_stage == "rejected"


def test_hire_creates_the_employee(recruiter_api):
    application = ApplicationFactory(stage=Stage.OFFER)
    response = recruiter_api.post(f"/api/v1/applications/{application.pk}/hire/")
    assert response.status_code == 200 and response.json()["stage"] == "hired"
    from hr.models import Employee

    assert Employee.objects.filter(hired_from=application.candidate).exists()


def test_hiring_manager_acts_only_on_their_jobs(manager_api, hiring_manager):
    mine, other = ApplicationFactory(), ApplicationFactory()
    mine.job.hiring_team.add(hiring_manager)
    assert manager_api.post(f"/api/v1/applications/{mine.pk}/advance/").status_code == 200
    assert manager_api.post(f"/api/v1/applications/{other.pk}/advance/").status_code == 404
    assert Application.objects.get(pk=other.pk).stage == Stage.APPLIED


# --- notes, scorecards, scores, ranking -------------------------------------------------


def test_notes_and_scorecards(recruiter_api, recruiter):
    application = ApplicationFactory(stage=Stage.INTERVIEW)
    note = recruiter_api.post(
        f"/api/v1/candidates/{application.candidate_id}/notes/",
        {"body": "Strong SQL.", "application": application.pk},
        format="json",
    )
    assert note.status_code == 201 and Note.objects.get().author == recruiter
    empty = recruiter_api.post(
        f"/api/v1/candidates/{application.candidate_id}/notes/", {"body": " "}, format="json"
    )
    assert empty.status_code == 400
    card = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/scorecards/",
        {"recommendation": "yes", "ratings": {"SQL": 4}},
        format="json",
    )
    assert card.status_code == 201, card.json()
    bad = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/scorecards/",
        {"recommendation": "yes", "ratings": {"SQL": 9}},
        format="json",
    )
    assert bad.status_code == 400 and "ratings" in bad.json()["error"]["fields"]
    listed = recruiter_api.get(f"/api/v1/applications/{application.pk}/scorecards/").json()
    assert [c["id"] for c in listed["results"]] == [Scorecard.objects.get().pk]


def test_scores_and_ranking(recruiter_api):
    from mlcore.matching.calibration import FitCalibration
    from recruiting.models import FitScore

    version = FitCalibration.active().version
    job = JobFactory()
    low, high, unscored = ApplicationFactory.create_batch(3, job=job)
    FitScore.objects.create(application=low, score=40, model_version=version)
    FitScore.objects.create(application=high, score=90, model_version=version)
    ranking = recruiter_api.get(f"/api/v1/jobs/{job.pk}/ranking/").json()
    assert [r["application"] for r in ranking] == [high.pk, low.pk, unscored.pk]
    assert ranking[0]["model_version"] == version and ranking[0]["rank"] == 1
    scores = recruiter_api.get(f"/api/v1/applications/{high.pk}/scores/").json()["results"]
    assert scores[0]["score"] == 90
    assert recruiter_api.get(f"/api/v1/jobs/{job.pk}/ranking/", {"limit": 0}).status_code == 400


def test_an_application_shows_one_fit_score_on_every_door(recruiter_api, recruiter):
    from mlcore.matching.calibration import FitCalibration
    from recruiting.models import FitScore

    application = ApplicationFactory()
    FitScore.objects.create(
        application=application, score=71.5, model_version=FitCalibration.active().version
    )
    listed = recruiter_api.get("/api/v1/applications/").json()["results"]
    (row,) = [r for r in listed if r["id"] == application.pk]
    detail = recruiter_api.get(f"/api/v1/applications/{application.pk}/").json()
    moved = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/advance/", {"note": ""}, format="json"
    ).json()
    assert row["fit_score"] == detail["fit_score"] == moved["fit_score"] == 71.5
