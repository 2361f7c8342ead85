"""Blind screening holds on every door: each candidate-scoped portal page and API endpoint,
for each screening role, shows none of the candidate's identity while they are blind."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from recruiting.models import Note, Resume, Scorecard, StageEvent, UploadBatch, UploadItem
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db

# Strings no factory produces, so a hit is a leak and never a random recruiter's name.
FIRST, LAST = "Zqora", "Vexhollow"
EMAIL = "zqora.vexhollow@example.com"
PHONE = "+442079460321"
# Digits only with their spaces or in full: a bare "0321" also turns up by chance inside the
# random CSRF tokens of the page's forms.
LEAKS = [FIRST, LAST, EMAIL, "zqora.vexhollow", "2079460321", "7946 0321", "github.com/zqv"]


@pytest.fixture
def blind(recruiter, hiring_manager):
    job = JobFactory(blind_screening=True, owner=recruiter)
    job.hiring_team.add(hiring_manager)
    candidate = CandidateFactory(
        full_name=f"{FIRST} {LAST}",
        email=EMAIL,
        phone=PHONE,
        links=["https://github.com/zqv"],
        summary=f"{FIRST} builds data pipelines.",
        skills=["Python", "Airflow"],
    )
    application = ApplicationFactory(candidate=candidate, job=job, stage=Stage.SCREENING)
    resume = Resume(
        candidate=candidate,
        original_name=f"{FIRST}_{LAST}_cv.pdf",
        content_type="application/pdf",
        size=10,
        sha256="e" * 64,
        text=f"{FIRST} {LAST}\n{EMAIL} | +44 20 7946 0321\nData engineer, Python and Airflow.",
        parsed={
            "name": f"{FIRST} {LAST}",
            "email": EMAIL,
            "phone": PHONE,
            "links": ["https://github.com/zqv"],
            "skills": ["Python", "Airflow"],
            "summary": f"{FIRST} builds data pipelines.",
        },
        parse_status=Resume.ParseStatus.PARSED,
    )
    resume.file.save("cv.pdf", ContentFile(b"%PDF-1.4 photo"), save=False)
    resume.save()
    batch = UploadBatch.objects.create(
        job=job, source=UploadBatch.Source.PORTAL, created_by=recruiter
    )
    UploadItem.objects.create(
        batch=batch, filename=f"{FIRST}_{LAST}_cv.pdf", size=10, resume=resume
    )
    Note.objects.create(
        candidate=candidate,
        application=application,
        author=recruiter,
        body=f"Called {FIRST} at {EMAIL}.",
    )
    Scorecard.objects.create(
        application=application,
        interviewer=hiring_manager,
        stage=Stage.SCREENING,
        recommendation="yes",
        comment=f"{LAST} was clear; phone {PHONE}.",
    )
    StageEvent.objects.create(
        application=application,
        from_stage=Stage.APPLIED,
        to_stage=Stage.SCREENING,
        by=recruiter,
        note=f"{FIRST} asked to move the call.",
    )
    return {
        "job": job,
        "candidate": candidate,
        "application": application,
        "resume": resume,
        "batch": batch,
    }


def _web_urls(b):
    c, j = b["candidate"], b["job"]
    return [
        reverse("recruiting:candidate_detail", args=[c.pk]),
        reverse("recruiting:job_detail", args=[j.pk]),
        reverse("recruiting:job_ranking", args=[j.pk]),
        reverse("recruiting:search") + "?skills=Airflow",
        reverse("recruiting:search") + "?q=people+who+know+Airflow",  # read into a chip
    ]


def _api_urls(b):
    c, a, r, j = b["candidate"], b["application"], b["resume"], b["job"]
    return [
        "/api/v1/candidates/",
        f"/api/v1/candidates/{c.pk}/",
        f"/api/v1/candidates/{c.pk}/notes/",
        f"/api/v1/candidates/{c.pk}/resumes/",
        f"/api/v1/resumes/{r.pk}/",
        "/api/v1/applications/",
        f"/api/v1/applications/{a.pk}/",
        f"/api/v1/applications/{a.pk}/scorecards/",
        f"/api/v1/applications/{a.pk}/scores/",
        f"/api/v1/jobs/{j.pk}/ranking/",
        "/api/v1/candidates/search/?q=Airflow",
    ]


def _leaks(text: str) -> list[str]:
    return [leak for leak in LEAKS if leak.lower() in text.lower()]


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager"])
def test_no_portal_page_shows_a_blind_candidate(request, client, blind, role):
    client.force_login(request.getfixturevalue(role))
    for url in _web_urls(blind):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _leaks(response.content.decode()) == [], url


def test_the_upload_list_names_no_blind_candidate(client, recruiter, blind):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:upload_detail", args=[blind["batch"].pk]))
    assert response.status_code == 200
    assert _leaks(response.content.decode()) == []
    # The upload page script's JSON status (issue 20) is a door too.
    status = client.get(reverse("recruiting:upload_status", args=[blind["batch"].pk]))
    assert status.status_code == 200 and status.json()["items"][0]["filename"] == "resume.pdf"
    assert _leaks(status.content.decode()) == []


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager"])
def test_no_api_endpoint_shows_a_blind_candidate(request, make_client, blind, role):
    api = make_client(request.getfixturevalue(role))
    for url in _api_urls(blind):
        response = api.get(url)
        assert response.status_code == 200, (url, response.content[:200])
        assert _leaks(json.dumps(response.json())) == [], url
    assert api.get(f"/api/v1/resumes/{blind['resume'].pk}/download/").status_code == 403


def test_what_is_withheld_comes_back_once_the_application_passes_screening(
    make_client, recruiter, blind
):
    from recruiting import services

    services.application_move(
        application=blind["application"], to_stage=Stage.INTERVIEW, by=recruiter
    )
    api = make_client(recruiter)
    notes = api.get(f"/api/v1/candidates/{blind['candidate'].pk}/notes/").json()["results"]
    assert notes[0]["body"] == f"Called {FIRST} at {EMAIL}."
    resume = api.get(f"/api/v1/resumes/{blind['resume'].pk}/").json()
    assert resume["parsed"]["email"] == EMAIL


def test_hr_admins_are_not_blinded(make_client, hr_admin, blind):
    api = make_client(hr_admin)
    notes = api.get(f"/api/v1/candidates/{blind['candidate'].pk}/notes/")
    assert notes.status_code == 200
    assert EMAIL in json.dumps(notes.json())
