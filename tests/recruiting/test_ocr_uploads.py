"""Scans and photos through every door (portal upload, API, import_resumes) to a parsed,
scored candidate: the resume says "read by OCR" with its confidence, and a scan that was hard
to read is marked for a person to check (issue 18)."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import ImageFilter
from rest_framework.test import APIClient

from integrations.keys import api_key_create, integration_get_or_create
from mlcore.parsing.ocr import CHECK_BELOW
from recruiting.models import Candidate, FitScore, Resume, UploadItem
from tests import scans

from ..factories import JobFactory

# Real commits: parsing and scoring are queued with on_commit, as in the app.
pytestmark = pytest.mark.django_db(transaction=True)

FRONT_END = (
    "Front End Engineer. Build user interfaces with JavaScript, React, HTML and CSS; "
    "responsive design, REST APIs, Git."
)


@pytest.fixture
def job(recruiter):
    return JobFactory(
        title="Front End Engineer",
        description=FRONT_END,
        owner=recruiter,
        required_skills=["JavaScript", "React", "HTML", "CSS"],
    )


def _assert_scored_candidate(job, resumes: int) -> Candidate:
    """One candidate from the scans, parsed from them, applied to the job and scored."""
    candidate = Candidate.objects.get()
    assert candidate.full_name == scans.NAME
    assert candidate.email == scans.EMAIL
    assert candidate.phone == scans.PHONE
    assert {"JavaScript", "React"} <= set(candidate.skills)
    assert [e["employer"] for e in candidate.experience] == scans.EMPLOYERS
    stored = list(Resume.objects.all())
    assert len(stored) == resumes
    for resume in stored:
        assert resume.parse_status == Resume.ParseStatus.PARSED, resume.parse_error
        assert resume.ocr_confidence is not None and resume.ocr_confidence >= CHECK_BELOW
        assert resume.needs_check is False
        assert resume.parsed["ocr"] is True
    fit = FitScore.objects.get(application__candidate=candidate, application__job=job)
    assert 0 <= fit.score <= 100
    assert "JavaScript" in fit.explanation["matched_skills"]
    return candidate


def test_portal_upload_of_a_scanned_pdf_and_a_png(recruiter, job):
    client = Client()
    client.force_login(recruiter)
    files = [
        SimpleUploadedFile("scan.pdf", scans.scanned_pdf(), content_type="application/pdf"),
        SimpleUploadedFile("photo.png", scans.scanned_png(), content_type="image/png"),
    ]
    response = client.post(reverse("recruiting:upload_new"), {"files": files, "job": job.pk})
    assert response.status_code == 302
    assert sorted(i.status for i in UploadItem.objects.all()) == ["parsed", "parsed"]
    candidate = _assert_scored_candidate(job, resumes=2)

    page = client.get(reverse("recruiting:candidate_detail", args=[candidate.pk]))
    html = page.content.decode()
    assert "Read by OCR (a scan or photo), confidence" in html
    assert "Needs a person to check" not in html


def _api_client(user) -> APIClient:
    integration = integration_get_or_create(user=user, name="ATS")
    _, text = api_key_create(
        integration=integration, scopes=["recruiting:read", "recruiting:write"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


def test_api_upload_of_a_scanned_pdf_and_a_png(recruiter, job):
    api = _api_client(recruiter)
    ids = []
    for name, data in (("scan.pdf", scans.scanned_pdf()), ("photo.png", scans.scanned_png())):
        upload = SimpleUploadedFile(name, data)
        response = api.post("/api/v1/resumes/", {"file": upload, "job": job.pk}, format="multipart")
        assert response.status_code == 202, response.json()
        ids.append(response.json()["resume"]["id"])
    _assert_scored_candidate(job, resumes=2)
    for pk in ids:
        body = api.get(f"/api/v1/resumes/{pk}/").json()
        assert body["parse_status"] == "parsed"
        assert CHECK_BELOW <= body["ocr_confidence"] <= 1 and body["needs_check"] is False
        assert body["parsed"]["ocr"] is True and body["content_type"].startswith(
            ("application/pdf", "image/png")
        )


def test_import_resumes_reads_a_scanned_pdf_and_a_png(recruiter, job, tmp_path):
    (tmp_path / "scan.pdf").write_bytes(scans.scanned_pdf())
    (tmp_path / "photo.png").write_bytes(scans.scanned_png())
    out = StringIO()
    call_command("import_resumes", str(tmp_path), "--job", str(job.pk), stdout=out)
    assert "2 files: 2 parsed, 0 duplicates, 0 failed, 0 refused" in out.getvalue()
    _assert_scored_candidate(job, resumes=2)


def test_a_scan_hard_to_read_is_marked_for_a_person_to_check(recruiter):
    page = scans.one_page_image().convert("L")
    small = page.resize((page.width // 3, page.height // 3)).filter(ImageFilter.GaussianBlur(1.6))
    buffer = io.BytesIO()
    small.save(buffer, "PNG")
    client = Client()
    client.force_login(recruiter)
    upload = SimpleUploadedFile("blurry.png", buffer.getvalue(), content_type="image/png")
    client.post(reverse("recruiting:upload_new"), {"files": [upload]})
    resume = Resume.objects.get()
    assert resume.parse_status == Resume.ParseStatus.PARSED, resume.parse_error
    assert resume.needs_check is True and resume.ocr_confidence < CHECK_BELOW
    html = client.get(reverse("recruiting:candidate_detail", args=[resume.candidate_id]))
    assert "Needs a person to check" in html.content.decode()


def test_an_unreadable_image_is_kept_with_a_clear_status(recruiter):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (1200, 1600), 255).save(buffer, "PNG")  # a blank page
    data = buffer.getvalue()
    client = Client()
    client.force_login(recruiter)
    upload = SimpleUploadedFile("blank.png", data, content_type="image/png")
    client.post(reverse("recruiting:upload_new"), {"files": [upload]})
    item = UploadItem.objects.get()
    assert item.status == "failed"
    assert item.reason.startswith("OCR found no text")
    assert item.resume.file.read() == data  # nothing uploaded is lost
