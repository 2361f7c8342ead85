"""Export and erasure of a candidate: contents, what is removed, what the audit log says."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AuditEntry
from core.errors import NotAllowed
from privacy.errors import AlreadyErased, ErasureRefused
from privacy.models import CandidateErasure, SelfIdentification
from privacy.services import candidate_erase, candidate_export
from recruiting.models import (
    Application,
    FitScore,
    Note,
    Resume,
    ResumeEmbedding,
    Scorecard,
    StageEvent,
)

from .conftest import RESUME_TEXT

pytestmark = pytest.mark.django_db


def _unzip(data: bytes) -> tuple[dict, dict[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    files = {n: archive.read(n) for n in archive.namelist()}
    return json.loads(files.pop("candidate.json")), files


def test_export_holds_everything_and_is_audited(candidate, hr_admin):
    data, files = _unzip(candidate_export(candidate=candidate, by=hr_admin))
    assert data["candidate"]["full_name"] == "Quentin Zabriskie"
    assert data["candidate"]["email"] == "quentin.zabriskie@example.org"
    (resume,) = data["resumes"]
    assert resume["text"] == RESUME_TEXT
    assert files[resume["file"]] == RESUME_TEXT.encode()
    (application,) = data["applications"]
    assert application["job"]["title"] == "Backend Engineer"
    assert [e["to_stage"] for e in application["stage_events"]] == ["screening"]
    (score,) = application["scores"]
    assert score["score"] == 72.5
    assert score["explanation"]["attributions"]["resume"][1] == ["django", 0.9]
    assert application["scorecards"][0]["comment"] == "Quentin was great"
    assert data["notes"][0]["body"] == "Quentin prefers remote work"
    assert data["self_identification"]["race_ethnicity"] == "pacific_islander"
    entry = AuditEntry.objects.get(action="candidate.exported")
    assert (entry.actor, entry.target_id) == (hr_admin, str(candidate.pk))
    assert "Quentin" not in json.dumps(entry.details)


def test_only_hr_admins_export(candidate, recruiter, client):
    with pytest.raises(NotAllowed):
        candidate_export(candidate=candidate, by=recruiter)
    client.force_login(recruiter)
    response = client.post(reverse("privacy:candidate_export", args=[candidate.pk]))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="candidate.exported").exists()


def test_export_download_from_the_panel(candidate, hr_admin, client):
    client.force_login(hr_admin)
    page = client.get(reverse("privacy:candidate_privacy", args=[candidate.pk]))
    assert page.status_code == 200
    assert b"Export" in page.content and b"Erase candidate" in page.content
    response = client.post(reverse("privacy:candidate_export", args=[candidate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data, _ = _unzip(response.content)
    assert data["candidate"]["id"] == candidate.pk


def test_erasure_removes_personal_data_files_embeddings_and_explanation_text(candidate, hr_admin):
    resume = Resume.objects.get(candidate=candidate)
    path = resume.file.name
    assert default_storage.exists(path)
    application = Application.objects.get(candidate=candidate)

    candidate_erase(candidate=candidate, by=hr_admin, reason="E-mail request, ticket 4711")

    candidate.refresh_from_db()
    assert (candidate.full_name, candidate.email, candidate.phone, candidate.location) == (
        "",
        "",
        "",
        "",
    )
    assert candidate.skills == []
    assert not default_storage.exists(path)
    assert not Resume.objects.filter(candidate=candidate).exists()
    assert not ResumeEmbedding.objects.filter(resume_id=resume.pk).exists()
    assert not Note.objects.filter(candidate=candidate).exists()
    assert not SelfIdentification.objects.filter(candidate=candidate).exists()
    # Aggregates stay, without identity or text.
    fit = FitScore.objects.get(application=application)
    assert fit.score == 72.5
    assert fit.explanation == {"matched_skills": ["Python", "Django"], "missing_skills": []}
    assert StageEvent.objects.get(application=application).note == ""
    assert Scorecard.objects.get(application=application).comment == ""
    assert Scorecard.objects.get(application=application).recommendation == "yes"
    assert Application.objects.get(pk=application.pk).stage == "screening"
    erasure = CandidateErasure.objects.get(candidate=candidate)
    assert erasure.kind == "erased" and erasure.by == hr_admin

    entry = AuditEntry.objects.get(action="candidate.erased")
    assert entry.actor == hr_admin and entry.target_id == str(candidate.pk)
    removed = entry.details["removed"]
    assert removed["files"] == 1 and removed["embeddings"] == 1 and removed["notes"] == 1
    assert "full_name" in removed["profile_fields"]
    # What was erased, never the data itself.
    text = json.dumps(entry.details) + entry.summary
    for secret in ("Quentin", "Zabriskie", "example.org", "555", "pacific", "remote work"):
        assert secret not in text


def test_erasure_needs_a_reason_and_happens_once(candidate, hr_admin, recruiter):
    with pytest.raises(NotAllowed):
        candidate_erase(candidate=candidate, by=recruiter, reason="asked")
    with pytest.raises(ErasureRefused):
        candidate_erase(candidate=candidate, by=hr_admin, reason="  ")
    candidate_erase(candidate=candidate, by=hr_admin, reason="asked")
    with pytest.raises(AlreadyErased):
        candidate_erase(candidate=candidate, by=hr_admin, reason="asked again")
    assert AuditEntry.objects.filter(action="candidate.erased").count() == 1


def test_erase_from_the_panel_needs_confirmation(candidate, hr_admin, client):
    client.force_login(hr_admin)
    url = reverse("privacy:candidate_erase", args=[candidate.pk])
    response = client.post(url, {"reason": "Request 12"})  # no confirmation
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.full_name == "Quentin Zabriskie"
    response = client.post(url, {"reason": "Request 12", "confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert b"Erased on request" in response.content
    candidate.refresh_from_db()
    assert candidate.full_name == ""
    entry = AuditEntry.objects.get(action="candidate.erased")
    assert entry.via == "portal" and entry.ip == "127.0.0.1"


def test_hr_admin_finds_a_candidate_to_open_the_panel(candidate, hr_admin, recruiter, client):
    url = reverse("privacy:candidate_lookup")
    client.force_login(recruiter)
    assert client.get(url, {"q": "zabriskie"}).status_code == 403
    client.force_login(hr_admin)
    for q in ("zabriskie", "quentin.zabriskie@example.org", f"#{candidate.pk}"):
        body = client.get(url, {"q": q}).content.decode()
        assert reverse("privacy:candidate_privacy", args=[candidate.pk]) in body, q
    assert "No candidate matches" in client.get(url, {"q": "nobody-here"}).content.decode()
