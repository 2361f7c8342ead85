"""Blind screening: identity hidden until an application passes screening; reveals logged."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import AuditEntry
from recruiting import blind, services
from recruiting.models import Resume
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db

# Strings no factory can generate (Faker names, "user<n>"), so a leak check cannot collide
# with a random recruiter or hiring-team member who happens to share a name.
NAME = "Zqelina Vexkyle"
EMAIL = "zqelina.vexkyle@example.com"


@pytest.fixture
def blind_application():
    candidate = CandidateFactory(
        full_name=NAME,
        email=EMAIL,
        phone="+442079460958",
        location="Gotham",
        links=["https://github.com/zqelinavexkyle"],
        summary="She led a team of five. Zqelina enjoys climbing.",
        headline="Security consultant",
        skills=["Python", "Penetration testing"],
        education=[{"degree": "BSc", "institution": "Metropolis University", "year": "1998"}],
    )
    resume = Resume(
        candidate=candidate,
        original_name="selina.pdf",
        content_type="application/pdf",
        size=10,
        sha256="b" * 64,
        text=f"{NAME}\n{EMAIL} | +44 20 7946 0958\nDate of birth: 1 May 1980\nShe is skilled.",
        parse_status=Resume.ParseStatus.PARSED,
    )
    resume.file.save("selina.pdf", ContentFile(b"%PDF-1.4 photo inside"), save=False)
    resume.save()
    return ApplicationFactory(candidate=candidate, job=JobFactory(blind_screening=True))


def _page(client, candidate):
    return client.get(reverse("recruiting:candidate_detail", args=[candidate.pk]))


def _identity_shown(html: str) -> list[str]:
    # Digits only in forms a random CSRF token cannot hold (it has no spaces or brackets).
    leaks = [NAME, "Zqelina", "Vexkyle", EMAIL, "2079460958", "7946 0958", "Gotham", "github.com"]
    leaks += ["(1998)", "May 1980"]
    return [leak for leak in leaks if leak in html]


def test_candidate_page_masks_identity_while_screening(client, recruiter, blind_application):
    candidate = blind_application.candidate
    client.force_login(recruiter)
    for stage in (Stage.APPLIED, Stage.SCREENING):
        blind_application.stage = stage
        blind_application.save()
        response = _page(client, candidate)
        html = response.content.decode()
        assert response.status_code == 200
        assert _identity_shown(html) == []
        assert f"Candidate #{candidate.pk}" in html
        assert "Penetration testing" in html and "Security consultant" in html
        assert "They led a team of five" in html  # gendered pronoun neutralised
        assert "<iframe" not in html and "Date of birth" not in html
    # The original file (photos, layout) is withheld too.
    resume = candidate.resumes.get()
    url = reverse("recruiting:resume_download", args=[resume.pk])
    assert client.get(url + "?inline=1").status_code == 403


def test_identity_shown_when_job_is_not_blind_or_for_hr(client, recruiter, hr_admin):
    application = ApplicationFactory(candidate__full_name=NAME)
    client.force_login(recruiter)
    assert NAME in _page(client, application.candidate).content.decode()
    application.job.blind_screening = True
    application.job.save()
    assert NAME not in _page(client, application.candidate).content.decode()
    client.force_login(hr_admin)  # oversight, not screening
    assert NAME in _page(client, application.candidate).content.decode()


def test_rule_over_several_applications(recruiter, hiring_manager, blind_application):
    candidate = blind_application.candidate
    blind_job = blind_application.job
    blind_job.hiring_team.add(hiring_manager)
    assert blind.identity_hidden(recruiter, candidate)
    # A second application, to a job without blind screening: the recruiter sees both and so
    # knows who it is; the hiring manager sees only the blind one and stays blind.
    ApplicationFactory(candidate=candidate, job=JobFactory(blind_screening=False))
    assert not blind.identity_hidden(recruiter, candidate)
    assert blind.identity_hidden(hiring_manager, candidate)
    assert blind.display_name(hiring_manager, candidate) == f"Candidate #{candidate.pk}"
    assert blind.display_name(recruiter, candidate) == NAME
    # A talent-pool candidate with no application is not hidden.
    assert not blind.identity_hidden(recruiter, CandidateFactory())


def test_advancing_past_screening_reveals_and_logs(client, recruiter, blind_application):
    candidate = blind_application.candidate
    services.application_move(application=blind_application, to_stage="screening", by=recruiter)
    assert not AuditEntry.objects.filter(action="identity.revealed").exists()
    assert blind.identity_hidden(recruiter, candidate)
    services.application_move(application=blind_application, to_stage="interview", by=recruiter)
    entry = AuditEntry.objects.get(action="identity.revealed")
    assert entry.actor == recruiter
    assert (entry.target_type, entry.target_id) == ("recruiting.candidate", str(candidate.pk))
    assert entry.details["application_id"] == blind_application.pk
    assert entry.details["reason"] == "advanced to interview"
    client.force_login(recruiter)
    html = _page(client, candidate).content.decode()
    assert NAME in html and EMAIL in html


def test_rejecting_in_screening_reveals_nothing(recruiter, blind_application):
    services.application_move(
        application=blind_application, to_stage="rejected", by=recruiter, reason="No fit"
    )
    assert not AuditEntry.objects.filter(action="identity.revealed").exists()


def test_explicit_reveal_needs_a_reason_and_is_logged(client, recruiter, blind_application):
    candidate = blind_application.candidate
    client.force_login(recruiter)
    url = reverse("recruiting:identity_reveal", args=[candidate.pk])
    response = client.post(url, {"application": blind_application.pk, "reason": "  "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not AuditEntry.objects.filter(action="identity.revealed").exists()

    response = client.post(url, {"application": blind_application.pk, "reason": "Reference call"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="identity.revealed")
    assert entry.actor == recruiter
    assert entry.details == {
        "application_id": blind_application.pk,
        "reason": "Reference call",
        "explicit": True,
    }
    assert NAME in _page(client, candidate).content.decode()


def test_hiring_manager_cannot_reveal(client, hiring_manager, blind_application):
    blind_application.job.hiring_team.add(hiring_manager)
    client.force_login(hiring_manager)
    html = _page(client, blind_application.candidate).content.decode()
    assert _identity_shown(html) == [] and "Reveal identity" not in html
    response = client.post(
        reverse("recruiting:identity_reveal", args=[blind_application.candidate_id]),
        {"application": blind_application.pk, "reason": "Curious"},
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="identity.revealed").exists()


def test_ranking_rows_and_board_cards_are_masked(
    client, recruiter, blind_application, django_assert_max_num_queries
):
    job = blind_application.job
    advanced = ApplicationFactory(job=job, candidate__full_name="Bruce Wayne")
    services.application_move(application=advanced, to_stage="screening", by=recruiter)
    services.application_move(application=advanced, to_stage="interview", by=recruiter)
    client.force_login(recruiter)
    for name in ("job_ranking", "job_detail"):
        html = client.get(reverse(f"recruiting:{name}", args=[job.pk])).content.decode()
        assert f"Candidate #{blind_application.candidate_id}" in html, name
        assert NAME not in html and "Gotham" not in html, name
        assert "Bruce Wayne" in html, name  # past screening: the real name

    # The masking costs a fixed number of queries, however many blind applicants.
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("recruiting:job_ranking", args=[job.pk]))
    for _ in range(10):
        ApplicationFactory(job=job)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("recruiting:job_ranking", args=[job.pk])).content.decode()
    assert html.count("Candidate #") == 11


def test_scrub_replaces_name_and_contacts_in_typed_text(blind_application):
    candidate = blind_application.candidate
    text = f"Spoke to Zqelina ({EMAIL}); Vexkyle will send references. zqelina.vexkyle rocks."
    scrubbed = blind.scrub(candidate, text)
    assert "Zqelina" not in scrubbed and "Vexkyle" not in scrubbed and EMAIL not in scrubbed
    assert "references" in scrubbed


def test_free_text_search_never_finds_a_blind_candidate_by_name(client, recruiter):
    from recruiting.models import Job

    job = JobFactory(owner=recruiter, blind_screening=True, status=Job.Status.OPEN)
    hidden = CandidateFactory(full_name="Zebulon Quartermaine", skills=["Python"])
    ApplicationFactory(candidate=hidden, job=job)
    client.force_login(recruiter)
    by_name = client.get("/search/", {"q": "Quartermaine"})
    assert by_name.status_code == 200
    assert f"/candidates/{hidden.pk}/" not in by_name.content.decode()
    by_skill = client.get("/search/", {"skills": "Python"})
    body = by_skill.content.decode()
    assert f"/candidates/{hidden.pk}/" in body
    assert "Quartermaine" not in body
