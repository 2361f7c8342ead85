"""The candidate page: profile edits, resume preview, fit explanation and override, notes,
scorecards and stage history; errors keep what was typed; queries stay flat."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import AuditEntry
from mlcore.matching.calibration import FitCalibration
from recruiting import services
from recruiting.models import FitScore, Note, Resume, Scorecard, StageEvent
from recruiting.pipeline import Stage
from recruiting.services.scoring import fit_score_override

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db

EXPLANATION = {
    "matched_skills": ["Python"],
    "missing_skills": ["Kubernetes"],
    "years_experience": 6.0,
    "min_years_experience": 3.0,
    "meets_min_years": True,
    "attributions": {
        "method": "contribution",
        "resume": [["django", 0.9], ["python", 0.3], ["painting", -0.8], ["and", 0.01]],
        "job": [["kubernetes", -0.6], ["django", 1.0]],
    },
}


def _fit(application, score=64.0):
    return FitScore.objects.create(
        application=application,
        score=score,
        model_version=FitCalibration.active().version,
        explanation=EXPLANATION,
    )


def _page(client, candidate):
    return client.get(reverse("recruiting:candidate_detail", args=[candidate.pk]))


def _resume(candidate, name="cv.pdf", content_type="application/pdf", text="Django expert"):
    resume = Resume(
        candidate=candidate,
        original_name=name,
        content_type=content_type,
        size=10,
        sha256=f"{candidate.pk:064d}",
        text=text,
        parse_status=Resume.ParseStatus.PARSED,
    )
    resume.file.save(name, ContentFile(b"%PDF-1.4 fake"), save=False)
    resume.save()
    return resume


def test_page_shows_contact_explanation_history_and_both_scores(client, recruiter):
    application = ApplicationFactory(candidate__full_name="Ada Lovelace", candidate__phone="+44")
    services.application_move(application=application, to_stage=Stage.SCREENING, by=recruiter)
    fit = _fit(application)
    fit_score_override(fit_score=fit, by=recruiter, score=80, reason="Strong portfolio")
    client.force_login(recruiter)
    html = _page(client, application.candidate).content.decode()
    assert "Ada Lovelace" in html and application.candidate.email in html
    # Both signs, stronger colour for a stronger word.
    marks = {  # the resume's words come first on the page
        m["word"]: m
        for m in reversed(
            list(
                re.finditer(
                    r'<mark class="attr" data-sign="(?P<sign>up|down)" '
                    r'style="background: rgba\((?P<rgb>var\(--hl-\w+\)), (?P<alpha>[\d.]+)\)"[^>]*'
                    r'title="(?P<title>[^"]*)">(?P<word>\w+)</mark>',
                    html,
                )
            )
        )
    }
    django, painting = marks["django"], marks["painting"]
    assert django["sign"] == "up" and django["title"].startswith("+0.90")
    assert painting["sign"] == "down" and painting["title"].startswith("-0.80")
    assert django["rgb"] == "var(--hl-green)" and painting["rgb"] == "var(--hl-red)"
    assert float(django["alpha"]) > float(painting["alpha"]) > 0
    assert "Kubernetes" in html
    # Model score and the person's override, with the reason.
    assert ">80</span>" in html and ">64</span>" in html and "Strong portfolio" in html
    # Stage history with times.
    assert html.count("<time datetime=") >= 2 and "Applied → Screening" in html


def test_pdf_resume_is_previewed_inline_and_text_for_other_types(client, recruiter):
    candidate = CandidateFactory()
    resume = _resume(candidate)
    client.force_login(recruiter)
    html = _page(client, candidate).content.decode()
    url = reverse("recruiting:resume_download", args=[resume.pk])
    assert f'<iframe class="resume-preview" src="{url}?inline=1"' in html
    inline = client.get(url + "?inline=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get(url)["Content-Disposition"].startswith("attachment")

    other = CandidateFactory()
    docx = _resume(other, name="cv.docx", content_type="application/msword", text="Rust and Go")
    html = _page(client, other).content.decode()
    assert "<iframe" not in html and "Rust and Go" in html
    url = reverse("recruiting:resume_download", args=[docx.pk])
    # Only PDFs are shown inline: anything else downloads.
    assert client.get(url + "?inline=1")["Content-Disposition"].startswith("attachment")


def test_profile_edit_marks_only_changed_fields_and_survives_reparse(client, recruiter):
    candidate = CandidateFactory(full_name="Grace Hopper", headline="Engineer")
    client.force_login(recruiter)
    url = reverse("recruiting:candidate_profile_edit", args=[candidate.pk])
    data = {
        "full_name": "Grace Hopper",
        "email": candidate.email,
        "phone": "",
        "location": "",
        "links": "",
        "headline": "Rear admiral of COBOL",
        "summary": "",
        "skills": "COBOL, Compilers",
        "years_experience": "40",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.headline == "Rear admiral of COBOL"
    assert candidate.skills == ["COBOL", "Compilers"]
    assert candidate.edited_fields == ["headline", "skills", "years_experience"]
    html = _page(client, candidate).content.decode()
    assert "headline, skills, years_experience" in html
    assert html.count('class="edited"') >= 3

    # A re-parse fills what nobody edited and keeps what a person did.
    services.candidate_fill_from_parse(
        candidate=candidate,
        parsed={"headline": "Parsed headline", "skills": ["Fortran"], "location": "Arlington"},
    )
    candidate.refresh_from_db()
    assert candidate.headline == "Rear admiral of COBOL"
    assert candidate.skills == ["COBOL", "Compilers"] and candidate.location == "Arlington"


def test_invalid_profile_edit_shows_message_and_keeps_input(client, recruiter):
    candidate = CandidateFactory(full_name="Grace Hopper")
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:candidate_profile_edit", args=[candidate.pk]),
        {"full_name": "Grace B. Hopper", "email": "not-an-email", "headline": "Kept headline"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a valid e-mail address" in html
    assert 'value="Grace B. Hopper"' in html and 'value="Kept headline"' in html
    candidate.refresh_from_db()
    assert candidate.full_name == "Grace Hopper" and candidate.edited_fields == []


def test_hiring_manager_cannot_edit_profile(client, hiring_manager):
    application = ApplicationFactory()
    application.job.hiring_team.add(hiring_manager)
    client.force_login(hiring_manager)
    response = client.post(
        reverse("recruiting:candidate_profile_edit", args=[application.candidate_id]),
        {"headline": "Changed"},
    )
    assert response.status_code == 403
    application.candidate.refresh_from_db()
    assert application.candidate.headline == ""


def test_note_and_scorecard_are_added(client, recruiter):
    application = ApplicationFactory()
    candidate = application.candidate
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:note_add", args=[candidate.pk]),
        {"body": "Called; available in March", "application": application.pk},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.application == application and note.author == recruiter
    response = client.post(
        reverse("recruiting:scorecard_add", args=[candidate.pk]),
        {
            "application": application.pk,
            "stage": Stage.INTERVIEW,
            "recommendation": "strong_yes",
            "ratings": "Python: 4\nCommunication: 3",
            "comment": "Clear thinker",
        },
    )
    assert response.status_code == 302
    card = Scorecard.objects.get()
    assert card.stage == Stage.INTERVIEW and card.ratings == {"Python": 4, "Communication": 3}
    html = _page(client, candidate).content.decode()
    assert "Called; available in March" in html and "Strong yes" in html
    assert "Python: 4/4" in html and "Clear thinker" in html


@pytest.mark.parametrize(
    ("ratings", "message"),
    [("Python: 7", "must be 1–4"), ("Python: lots", "must be a whole number"), ("Python", "as")],
)
def test_bad_scorecard_shows_message_and_keeps_input(client, recruiter, ratings, message):
    application = ApplicationFactory()
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:scorecard_add", args=[application.candidate_id]),
        {
            "application": application.pk,
            "stage": Stage.SCREENING,
            "recommendation": "yes",
            "ratings": ratings,
            "comment": "My long careful comment",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "My long careful comment" in html and ratings in html
    assert not Scorecard.objects.exists()


def test_empty_note_is_refused_with_a_message(client, recruiter):
    candidate = CandidateFactory()
    client.force_login(recruiter)
    response = client.post(reverse("recruiting:note_add", args=[candidate.pk]), {"body": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Note.objects.exists()


def test_override_needs_reason_and_range_and_is_audited(client, recruiter):
    fit = _fit(ApplicationFactory())
    client.force_login(recruiter)
    url = reverse("recruiting:fit_override", args=[fit.pk])
    prefix = f"fit{fit.pk}-"
    response = client.post(url, {prefix + "score": "150", prefix + "reason": "Typed reason"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "less than or equal to 100" in html and "Typed reason" in html
    response = client.post(url, {prefix + "score": "75", prefix + "reason": ""})
    assert response.status_code == 400
    fit.refresh_from_db()
    assert fit.override_score is None
    response = client.post(url, {prefix + "score": "75", prefix + "reason": "Knows the domain"})
    assert response.status_code == 302
    fit.refresh_from_db()
    assert (fit.score, fit.override_score, fit.override_reason) == (64.0, 75.0, "Knows the domain")
    assert fit.overridden_by == recruiter and fit.overridden_at is not None
    entry = AuditEntry.objects.get(action="score.overridden")
    assert entry.actor == recruiter and entry.target_id == str(fit.pk)
    assert entry.details["model_score"] == 64.0 and entry.details["override_score"] == 75.0


def test_override_service_rules(recruiter, hiring_manager):
    from core.errors import DomainError, NotAllowed

    fit = _fit(ApplicationFactory())
    with pytest.raises(DomainError, match="0 to 100"):
        fit_score_override(fit_score=fit, by=recruiter, score=-1, reason="x")
    with pytest.raises(DomainError, match="why"):
        fit_score_override(fit_score=fit, by=recruiter, score=50, reason="   ")
    with pytest.raises(NotAllowed):  # not on this job's hiring team
        fit_score_override(fit_score=fit, by=hiring_manager, score=50, reason="x")
    assert not AuditEntry.objects.filter(action="score.overridden").exists()


def test_hiring_manager_sees_only_their_jobs_notes_and_scores(client, recruiter, hiring_manager):
    candidate = CandidateFactory()
    mine = ApplicationFactory(candidate=candidate)
    mine.job.hiring_team.add(hiring_manager)
    other = ApplicationFactory(candidate=candidate, job=JobFactory(title="Secret role"))
    services.note_create(candidate=candidate, by=recruiter, body="Note on mine", application=mine)
    services.note_create(candidate=candidate, by=recruiter, body="Note on other", application=other)
    services.scorecard_submit(application=other, by=recruiter, recommendation="no", comment="Hush")
    _fit(other, score=11)
    client.force_login(hiring_manager)
    html = _page(client, candidate).content.decode()
    assert "Note on mine" in html
    assert "Note on other" not in html and "Hush" not in html and "Secret role" not in html


def test_query_count_does_not_grow_with_notes_scorecards_and_events(
    client, recruiter, django_assert_max_num_queries
):
    application = ApplicationFactory()
    candidate = application.candidate
    _fit(application)
    _resume(candidate)
    client.force_login(recruiter)

    def add_some(n):
        for i in range(n):
            services.note_create(candidate=candidate, by=recruiter, body=f"note {i}")
            services.scorecard_submit(application=application, by=recruiter, recommendation="yes")
            StageEvent.objects.create(
                application=application, from_stage="applied", to_stage="applied", by=recruiter
            )

    add_some(1)
    with django_assert_max_num_queries(20) as small:
        assert _page(client, candidate).status_code == 200
    add_some(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = _page(client, candidate).content.decode()
    assert html.count('class="note"') == 16 and html.count('class="scorecard"') == 16


def test_own_stages_are_named_without_a_query_per_application(
    client, recruiter, django_assert_max_num_queries
):
    candidate = CandidateFactory()
    client.force_login(recruiter)

    def apply_in_own_stage(n):
        job = JobFactory(title=f"Job {n}")
        stage = services.job_stage_add(job=job, name=f"Portfolio {n}", by=recruiter)
        application = ApplicationFactory(candidate=candidate, job=job, stage=stage.key)
        StageEvent.objects.create(
            application=application, from_stage="applied", to_stage=stage.key, by=recruiter
        )

    apply_in_own_stage(0)
    with django_assert_max_num_queries(25) as small:
        assert _page(client, candidate).status_code == 200
    for n in range(1, 6):
        apply_in_own_stage(n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = _page(client, candidate).content.decode()
    # The heading and the history name each job's own stage.
    assert '<span class="stage">Portfolio 5</span>' in html
    assert "Applied → Portfolio 5" in html
    assert "custom_" not in html
