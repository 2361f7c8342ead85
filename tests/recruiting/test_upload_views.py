"""Portal bulk upload with live progress, and the resume upload API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recruiting.models import Candidate, Resume, UploadItem

from ..factories import CandidateFactory, JobFactory

# Real commits, so parsing queued with on_commit runs as it does in the app.
pytestmark = pytest.mark.django_db(transaction=True)


def _file(shared_data, rel: str, name: str | None = None) -> SimpleUploadedFile:
    path = shared_data / "resume_files" / rel
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def test_portal_bulk_upload_shows_per_file_progress(client, recruiter, shared_data):
    client.force_login(recruiter)
    job = JobFactory()
    files = [
        _file(shared_data, "pdf/john_doe.pdf"),
        _file(shared_data, "pdf/harvey_dent_mle.pdf"),
        SimpleUploadedFile("notes.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ]
    response = client.post(reverse("recruiting:upload_new"), {"job": job.pk, "files": files})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "3 of 3" in html and "finished" in html
    assert html.count("status-parsed") == 2 and html.count("status-refused") == 1
    assert "not a resume format" in html
    # The fragment htmx polls: no more polling once finished.
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section id="upload-progress"')
    assert "hx-trigger" not in fragment


def test_progress_fragment_keeps_polling_while_files_are_queued(client, recruiter):
    from recruiting import services

    client.force_login(recruiter)
    batch = services.upload_batch_create(by=recruiter, source="portal")
    resume = Resume.objects.create(original_name="a.txt", size=1, sha256="0" * 64)
    UploadItem.objects.create(
        batch=batch, filename="a.txt", size=1, outcome="accepted", resume=resume
    )
    url = reverse("recruiting:upload_detail", args=[batch.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "Queued" in fragment


def test_upload_without_files_keeps_the_chosen_job(client, recruiter):
    client.force_login(recruiter)
    job = JobFactory()
    response = client.post(reverse("recruiting:upload_new"), {"job": job.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one file" in html
    assert f'value="{job.pk}" selected' in html


def test_hiring_manager_cannot_upload(client, hiring_manager):
    client.force_login(hiring_manager)
    assert client.get(reverse("recruiting:upload_new")).status_code == 403


# --- API ------------------------------------------------------------------------------


def test_api_upload_creates_candidate_from_resume(client, recruiter, shared_data):
    client.force_login(recruiter)
    response = client.post("/api/v1/resumes/", {"file": _file(shared_data, "pdf/john_doe.pdf")})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "parsed"
    assert body["resume"]["parsed"]["email"] == "john.doe@email.com"
    candidate_id = body["resume"]["candidate"]
    assert Candidate.objects.get(pk=candidate_id).email == "john.doe@email.com"
    detail = client.get(f"/api/v1/resumes/{body['resume']['id']}/")
    assert detail.status_code == 200 and detail.json()["parse_status"] == "parsed"

    again = client.post("/api/v1/resumes/", {"file": _file(shared_data, "pdf/john_doe.pdf")})
    assert again.status_code == 200 and again.json()["status"] == "duplicate"


def test_api_upload_for_a_known_candidate(client, recruiter, shared_data):
    client.force_login(recruiter)
    candidate = CandidateFactory(email="someone.else@example.com")
    url = f"/api/v1/candidates/{candidate.pk}/resumes/"
    response = client.post(url, {"file": _file(shared_data, "txt/hr_helper_sample_resume.txt")})
    assert response.status_code == 202, response.content
    assert response.json()["resume"]["candidate"] == candidate.pk


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({}, 400, "invalid"),
        (
            {"file": SimpleUploadedFile("x.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50)},
            415,
            "upload_refused",
        ),
        ({"file": SimpleUploadedFile("x.txt", b"")}, 400, "upload_refused"),
    ],
)
def test_api_upload_errors_have_one_shape(client, recruiter, payload, status, code):
    client.force_login(recruiter)
    response = client.post("/api/v1/resumes/", payload)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert not Resume.objects.exists()


def test_api_upload_oversize_is_413(client, recruiter, settings):
    settings.MAX_UPLOAD_SIZE = 100
    client.force_login(recruiter)
    response = client.post("/api/v1/resumes/", {"file": SimpleUploadedFile("big.txt", b"a" * 500)})
    assert response.status_code == 413
    assert "the limit is" in response.json()["error"]["message"]


def test_api_needs_login_and_the_recruiter_role(client, hiring_manager, shared_data):
    response = client.post("/api/v1/resumes/", {"file": _file(shared_data, "pdf/john_doe.pdf")})
    # No credentials: 401 with a Bearer challenge (API keys, docs/api.md).
    assert response.status_code == 401
    client.force_login(hiring_manager)
    response = client.post("/api/v1/resumes/", {"file": _file(shared_data, "pdf/john_doe.pdf")})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_api_unknown_candidate_is_404(client, recruiter, shared_data):
    client.force_login(recruiter)
    response = client.post(
        "/api/v1/candidates/999999/resumes/", {"file": _file(shared_data, "pdf/john_doe.pdf")}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_resume_download_is_permission_checked(client, recruiter, hiring_manager, shared_data):
    client.force_login(recruiter)
    body = client.post("/api/v1/resumes/", {"file": _file(shared_data, "pdf/john_doe.pdf")}).json()
    url = reverse("recruiting:resume_download", args=[body["resume"]["id"]])
    response = client.get(url)
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content)
        == (shared_data / "resume_files/pdf/john_doe.pdf").read_bytes()
    )
    client.force_login(hiring_manager)  # the candidate applied to none of their jobs
    assert client.get(url).status_code == 404
    candidate_page = reverse("recruiting:candidate_detail", args=[body["resume"]["candidate"]])
    client.force_login(recruiter)
    html = client.get(candidate_page).content.decode()
    assert "Work history" in html and "john_doe.pdf" in html


def test_portal_bulk_upload_of_every_shared_resume_file(client, recruiter, shared_data):
    """All of ../shared/data/resume_files through the portal in one drop: each file gets a
    final status, failures say why, and no file is stored twice."""
    client.force_login(recruiter)
    paths = sorted(p for p in (shared_data / "resume_files").rglob("*") if p.is_file())
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in paths]
    response = client.post(reverse("recruiting:upload_new"), {"files": files})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert f"{len(paths)} of {len(paths)}" in html and "finished" in html
    items = list(UploadItem.objects.select_related("resume"))
    assert len(items) == len(paths)
    assert all(i.status in ("parsed", "failed", "refused") for i in items)
    assert all(i.reason for i in items if i.status in ("failed", "refused"))
    assert Resume.objects.count() == len({i.resume_id for i in items if i.resume_id})
    assert Candidate.objects.filter(resumes__parse_status="parsed").distinct().count() >= 20
