"""Uploading a file SmartHR already has, and what an upload changes (issue 17).

A file is stored once (by SHA-256) and belongs to one candidate. Sent for a candidate, it must
be theirs or no one's; another candidate's file is 409 and that candidate is neither moved,
applied nor named. Sent in bulk (portal, import_resumes, POST /resumes/), the file says whose
it is. Parsed fields fill the profile except those a person or the integration gave.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from recruiting import services
from recruiting.models import Application, Resume, UploadBatch, UploadItem
from tests.factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db

TEXT = b"Bruce Wayne\nbruce@wayne.example\n+1 212 555 0101\n\nSkills: Python, Django, SQL\n"


def _upload(client, path: str, data: bytes = TEXT, **fields):
    upload = SimpleUploadedFile("cv.txt", data, content_type="text/plain")
    return client.post(path, {"file": upload, **fields}, format="multipart")


def _owned_by(candidate, by, data: bytes = TEXT) -> Resume:
    batch = services.upload_batch_create(by=by, source=UploadBatch.Source.API)
    item = services.resume_ingest(batch=batch, data=data, filename="b.txt", candidate=candidate)
    return item.resume


# --- 1. a file another candidate has ------------------------------------------------------
# Before: 200 "duplicate" with B's resume, "resume of <B's name>" in the reason, and B
# applied to the job named.


def test_another_candidates_file_is_409_and_reveals_or_moves_no_one(recruiter_api, recruiter):
    a = CandidateFactory(full_name="Alfred Pennyworth")
    b = CandidateFactory(full_name="Bruce Wayne", email="bruce@wayne.example")
    resume = _owned_by(b, recruiter)
    job = JobFactory()
    batches = UploadBatch.objects.count()

    response = _upload(recruiter_api, f"/api/v1/candidates/{a.pk}/resumes/", job=job.pk)

    assert response.status_code == 409, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "duplicate_resume"
    assert "another candidate" in error["message"] and set(error["fields"]) == {"file"}
    body = response.content.decode()
    for revealing in ("Bruce", "Wayne", "bruce@", f'"id": {b.pk}', str(resume.pk)):
        assert revealing not in body, revealing
    resume.refresh_from_db()
    assert resume.candidate_id == b.pk  # not moved
    assert not Application.objects.filter(job=job).exists()  # nobody applied
    assert not a.resumes.exists()
    assert UploadBatch.objects.count() == batches  # nothing kept of the refused request


def test_the_candidates_own_file_again_is_a_duplicate_applied_to_the_job(recruiter_api):
    a = CandidateFactory()
    first = _upload(recruiter_api, f"/api/v1/candidates/{a.pk}/resumes/")
    assert first.status_code == 202
    job = JobFactory()
    again = _upload(recruiter_api, f"/api/v1/candidates/{a.pk}/resumes/", job=job.pk)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert again.json()["resume"]["id"] == first.json()["resume"]["id"]
    assert Application.objects.filter(job=job, candidate=a).exists()


def test_a_file_no_one_has_yet_becomes_this_candidates(recruiter_api):
    # A bulk upload not parsed yet (here: its parse is queued after a commit that a test
    # transaction never makes) holds the file for no one.
    bulk = _upload(recruiter_api, "/api/v1/resumes/")
    assert bulk.status_code == 202
    resume = Resume.objects.get(pk=bulk.json()["resume"]["id"])
    assert resume.candidate_id is None
    a = CandidateFactory()
    response = _upload(recruiter_api, f"/api/v1/candidates/{a.pk}/resumes/")
    assert response.status_code == 200 and response.json()["status"] == "duplicate"
    resume.refresh_from_db()
    assert resume.candidate_id == a.pk
    listed = recruiter_api.get(f"/api/v1/candidates/{a.pk}/resumes/").json()["results"]
    assert [r["id"] for r in listed] == [resume.pk]


# --- the bulk doors share the rule: the file says whose it is ----------------------------


def _portal(recruiter, job, tmp_path):
    from django.test import Client

    client = Client()
    client.force_login(recruiter)
    upload = SimpleUploadedFile("cv.txt", TEXT, content_type="text/plain")
    response = client.post(reverse("recruiting:upload_new"), {"files": [upload], "job": job.pk})
    assert response.status_code == 302


def _command(recruiter, job, tmp_path):
    path = tmp_path / "cv.txt"
    path.write_bytes(TEXT)
    call_command("import_resumes", str(path), "--job", str(job.pk), "--user", recruiter.username)


def _api(recruiter, job, tmp_path, make_client):
    response = _upload(make_client(recruiter), "/api/v1/resumes/", job=job.pk)
    assert response.status_code == 200


@pytest.mark.parametrize("door", ["portal", "command", "api"])
def test_every_bulk_door_applies_the_files_candidate(recruiter, make_client, tmp_path, door):
    b = CandidateFactory(full_name="Bruce Wayne")
    _owned_by(b, recruiter)
    job = JobFactory()
    if door == "portal":
        _portal(recruiter, job, tmp_path)
    elif door == "command":
        _command(recruiter, job, tmp_path)
    else:
        _api(recruiter, job, tmp_path, make_client)
    item = UploadItem.objects.filter(batch__job=job).get()
    assert item.outcome == UploadItem.Outcome.DUPLICATE
    assert Application.objects.filter(job=job, candidate=b).exists()


def test_a_bulk_duplicate_does_not_name_a_blind_screened_candidate(recruiter_api, recruiter):
    # Before: the reason said "resume of Bruce Wayne" to a recruiter screening blind.
    b = CandidateFactory(full_name="Bruce Wayne")
    resume = _owned_by(b, recruiter)
    Resume.objects.filter(pk=resume.pk).update(original_name="bruce_wayne_cv.txt")
    blind = JobFactory(blind_screening=True)
    ApplicationFactory(candidate=b, job=blind)
    response = _upload(recruiter_api, "/api/v1/resumes/", job=blind.pk)
    assert response.status_code == 200
    assert response.json()["status"] == "duplicate"
    text = json.dumps(response.json())
    assert "Bruce" not in text and "Wayne" not in text and "bruce" not in text, text


# --- 5. what an upload changes -------------------------------------------------------------


def test_parsing_fills_only_what_nobody_gave(recruiter_api, django_capture_on_commit_callbacks):
    made = recruiter_api.post(
        "/api/v1/candidates/",
        {"full_name": "B. Wayne", "phone": "+44 20 7946 0958", "external_id": "c-1"},
        format="json",
    )
    assert made.status_code == 201
    candidate_id = made.json()["id"]
    # A person (or the integration) corrects the links afterwards.
    recruiter_api.patch(
        f"/api/v1/candidates/{candidate_id}/",
        {"links": ["https://example.com/bruce"]},
        format="json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(recruiter_api, f"/api/v1/candidates/{candidate_id}/resumes/")
    assert response.status_code == 202
    body = recruiter_api.get(f"/api/v1/candidates/{candidate_id}/").json()
    # Given at creation or edited later: kept. Before: name and phone became the parsed ones.
    assert body["full_name"] == "B. Wayne"
    assert body["phone"] == "+442079460958"
    assert body["links"] == ["https://example.com/bruce"]
    # Nobody gave skills: the parse fills them.
    assert {"Python", "Django", "SQL"} <= set(body["skills"])
