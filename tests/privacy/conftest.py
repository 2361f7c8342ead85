"""Privacy fixtures: a candidate with everything a recruiter's work leaves behind."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile

from privacy.models import SelfIdentification
from recruiting.models import (
    FitScore,
    Note,
    Resume,
    ResumeEmbedding,
    Scorecard,
    StageEvent,
)

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

# Self-ID answers no recruiter page, API response or model input may ever contain.
SELF_ID = {
    "sex": "non_binary",
    "race_ethnicity": "pacific_islander",
    "age_band": "65_plus",
    "disability": "yes",
    "veteran": "veteran",
}
SELF_ID_TEXTS = (
    "non_binary",
    "Non-binary",
    "pacific_islander",
    "Pacific Islander",
    "65_plus",
    "65 or over",
    "protected veteran",
    "I have a disability",
)

RESUME_TEXT = (
    "Quentin Zabriskie\nquentin.zabriskie@example.org | +1 415 555 0199\n"
    "Backend engineer: Python, Django, PostgreSQL, Celery, Docker, REST APIs. "
    "Built payment services and data pipelines for six years."
)


def make_resume(candidate, text: str = RESUME_TEXT, name: str = "quentin_cv.txt") -> Resume:
    data = text.encode()
    resume = Resume(
        candidate=candidate,
        original_name=name,
        content_type="text/plain",
        size=len(data),
        sha256=hashlib.sha256(data + str(candidate.pk).encode()).hexdigest(),
        text=text,
        parse_status=Resume.ParseStatus.PARSED,
    )
    resume.file.save(name, ContentFile(data), save=False)
    resume.save()
    return resume


@pytest.fixture
def job(recruiter):
    return JobFactory(
        title="Backend Engineer",
        description="Python, Django and PostgreSQL services.",
        owner=recruiter,
    )


@pytest.fixture
def candidate(job, recruiter):
    candidate = CandidateFactory(
        full_name="Quentin Zabriskie",
        email="quentin.zabriskie@example.org",
        phone="+14155550199",
        location="Oakland, CA",
        skills=["Python", "Django"],
    )
    resume = make_resume(candidate)
    ResumeEmbedding.objects.create(resume=resume, model_version="fit-test", vector=b"\0" * 16)
    application = ApplicationFactory(candidate=candidate, job=job, stage="screening")
    StageEvent.objects.create(
        application=application,
        from_stage="applied",
        to_stage="screening",
        by=recruiter,
        note="Strong Django background, spoke with Quentin",
    )
    FitScore.objects.create(
        application=application,
        score=72.5,
        model_version="fit-test",
        explanation={
            "matched_skills": ["Python", "Django"],
            "missing_skills": [],
            "resume_id": resume.pk,
            "attributions": {
                "method": "contribution",
                "resume": [["[NAME]", 0.1], ["django", 0.9]],
            },
            "integrated_gradients": {"resume": [["payment", 0.4]]},
        },
    )
    Note.objects.create(
        candidate=candidate,
        application=application,
        author=recruiter,
        body="Quentin prefers remote work",
    )
    Scorecard.objects.create(
        application=application,
        interviewer=recruiter,
        stage="screening",
        recommendation="yes",
        ratings={"Python": 4},
        comment="Quentin was great",
    )
    SelfIdentification.objects.create(candidate=candidate, **SELF_ID)
    return candidate
