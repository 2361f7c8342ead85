"""Fit scoring in the app: scores on apply/parse, rankings both ways, explanations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mlcore.matching.calibration import FitCalibration
from recruiting import selectors, services
from recruiting.models import Application, FitScore, JobEmbedding, ResumeEmbedding, UploadBatch
from recruiting.services import scoring

from ..factories import EmployeeFactory, JobFactory

# Real commits: parsing and scoring are queued with on_commit, as in the app.
pytestmark = pytest.mark.django_db(transaction=True)

FRONT_END = (
    "Front End Engineer. Build user interfaces with JavaScript, React, HTML and CSS; "
    "responsive design, REST APIs, Git."
)
PRODUCT = (
    "Product Manager. Own the roadmap, write requirements with engineering and design, "
    "run discovery with customers, Agile, Jira, analytics."
)


@pytest.fixture
def jobs(recruiter):
    front = JobFactory(
        title="Front End Engineer",
        description=FRONT_END,
        owner=recruiter,
        required_skills=["JavaScript", "React", "HTML", "CSS"],
    )
    product = JobFactory(
        title="Product Manager",
        description=PRODUCT,
        owner=recruiter,
        required_skills=["Product Management", "Agile"],
    )
    return front, product


def _upload(recruiter, shared_data, name, job=None):
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.API, job=job)
    data = (shared_data / "resume_files" / "pdf" / name).read_bytes()
    item = services.resume_ingest(batch=batch, data=data, filename=name)
    item.refresh_from_db()
    return item.resume.candidate


def test_uploading_to_a_job_scores_the_application(recruiter, jobs, shared_data):
    front, _ = jobs
    candidate = _upload(recruiter, shared_data, "barry_allen_fe.pdf", job=front)
    fit = FitScore.objects.get(application__candidate=candidate, application__job=front)
    assert fit.model_version == FitCalibration.active().version
    assert 0 <= fit.score <= 100
    e = fit.explanation
    assert "JavaScript" in e["matched_skills"]
    assert e["attributions"]["method"] == "contribution"
    words = [w for w, _ in e["attributions"]["resume"]]
    weights = [x for _, x in e["attributions"]["resume"]]
    # Words past the model's read limit are stored without a weight (shown unhighlighted).
    assert words and any(x is not None for x in weights)
    assert all(x is None or -1 <= x <= 1 for x in weights)
    assert "barry" not in " ".join(words).lower()  # the model read the blinded text
    assert ResumeEmbedding.objects.filter(resume__candidate=candidate).count() == 1


def test_the_prepared_model_text_is_stored_once_and_renewed_by_a_reparse(
    recruiter, jobs, shared_data
):
    from recruiting.models import Resume

    # What the active model reads: a blend reads further than one 256-token window.
    model = scoring.get_fit_model()
    prepare_resume = model.prepare_resume
    front, _ = jobs
    candidate = _upload(recruiter, shared_data, "barry_allen_fe.pdf", job=front)
    resume = Resume.objects.get(candidate=candidate)
    assert resume.model_text_version == model.text_version
    assert resume.model_text == prepare_resume(resume.text)
    assert "barry" not in resume.model_text.lower()

    # Stored means reused: what is stored is what the model reads next time.
    Resume.objects.filter(pk=resume.pk).update(model_text="React developer")
    resume.refresh_from_db()
    assert scoring.resume_model_text(resume) == "React developer"

    services.resume_parse(resume_id=resume.pk, force=True)  # new text: prepared again
    resume.refresh_from_db()
    assert scoring.resume_model_text(resume) == prepare_resume(resume.text)


def test_rankings_both_ways(recruiter, jobs, shared_data):
    front, product = jobs
    barry = _upload(recruiter, shared_data, "barry_allen_fe.pdf", job=front)
    alfred = _upload(recruiter, shared_data, "alfred_pennyworth_pm.pdf", job=front)
    harvey = _upload(recruiter, shared_data, "harvey_dent_mle.pdf")  # talent pool only
    ranked = selectors.ranked_applicants(user=recruiter, job=front)
    assert [r.obj.candidate for r in ranked] == [barry, alfred]
    assert ranked[0].score > ranked[1].score

    scoring.job_embed(job=product)
    pool = selectors.talent_pool_matches(user=recruiter, job=product)
    assert {r.obj for r in pool} == {barry, alfred, harvey}  # nobody applied to it
    assert pool[0].obj == alfred  # the product manager fits the product job best

    best_jobs = selectors.jobs_for_candidate(user=recruiter, candidate=alfred)
    assert next(r.obj for r in best_jobs) == product


def test_editing_the_job_text_rescores_its_applicants(recruiter, jobs, shared_data):
    front, _ = jobs
    _upload(recruiter, shared_data, "barry_allen_fe.pdf", job=front)
    before = FitScore.objects.get().score
    digest = JobEmbedding.objects.get(job=front).text_sha256
    services.job_update(job=front, by=recruiter, description=PRODUCT, required_skills=["COBOL"])
    assert JobEmbedding.objects.get(job=front).text_sha256 != digest
    after = FitScore.objects.get()
    assert after.score != before
    assert after.explanation["missing_skills"] == ["COBOL"]


def test_internal_candidates_are_employees_hired_through_smarthr(recruiter, jobs, shared_data):
    front, _product = jobs
    barry = _upload(recruiter, shared_data, "barry_allen_fe.pdf")
    EmployeeFactory(full_name="Barry Allen", hired_from=barry)
    scoring.job_embed(job=front)
    internal = selectors.internal_candidates(user=recruiter, job=front)
    assert [r.obj.hired_from for r in internal] == [barry]


def test_integrated_gradients_on_request_is_stored(recruiter, jobs, shared_data):
    front, _ = jobs
    _upload(recruiter, shared_data, "barry_allen_fe.pdf", job=front)
    fit = FitScore.objects.get()
    services.fit_score_request_explanation(fit_score=fit)  # queued on commit, eager here
    fit.refresh_from_db()
    deep = fit.explanation["integrated_gradients"]
    assert deep["method"] == "integrated_gradients" and deep["resume"] and deep["job"]


def test_outcomes_become_training_pairs(recruiter, jobs, shared_data):
    front, _product = jobs
    barry = _upload(recruiter, shared_data, "barry_allen_fe.pdf", job=front)
    alfred = _upload(recruiter, shared_data, "alfred_pennyworth_pm.pdf", job=front)
    advanced = Application.objects.get(candidate=barry)
    for _ in range(2):
        advanced = services.application_advance(application=advanced, by=recruiter)
    services.application_reject(
        application=Application.objects.get(candidate=alfred), by=recruiter, reason="Not a fit"
    )
    pairs = scoring.outcome_pairs()
    assert sorted(label for _, _, label in pairs) == [False, True]


def test_ranking_and_candidate_pages_show_scores_and_highlights(
    client, recruiter, jobs, shared_data, django_assert_max_num_queries
):
    front, _ = jobs
    barry = _upload(recruiter, shared_data, "barry_allen_fe.pdf", job=front)
    client.force_login(recruiter)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("recruiting:job_ranking", args=[front.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Barry Allen" in html and 'class="score score-' in html
    page = client.get(reverse("recruiting:candidate_detail", args=[barry.pk]))
    html = page.content.decode()
    assert 'class="attr"' in html and "Why this score" in html


def test_hiring_manager_does_not_see_talent_pool(hiring_manager, recruiter, jobs, shared_data):
    front, _ = jobs
    front.hiring_team.add(hiring_manager)
    _upload(recruiter, shared_data, "barry_allen_fe.pdf")
    scoring.job_embed(job=front)
    assert selectors.talent_pool_matches(user=hiring_manager, job=front) == []
    assert selectors.talent_pool_matches(user=recruiter, job=front)


def test_matched_and_missing_skills_go_by_alias(db):
    from recruiting.models import Resume
    from recruiting.services.scoring import fit_explanation

    from ..factories import CandidateFactory, JobFactory

    job = JobFactory(required_skills=["Spark", "Excel", "Kubernetes"], preferred_skills=["Oracle"])
    candidate = CandidateFactory(skills=["Apache Spark", "MS Excel"])
    resume = Resume(candidate=candidate, text="Databases: Oracle Database 19c.")
    explanation = fit_explanation(job=job, resume=resume, candidate=candidate)
    assert explanation["matched_skills"] == ["Spark", "Excel"]
    assert explanation["missing_skills"] == ["Kubernetes"]


def test_mask_placeholders_are_never_among_the_strongest_words():
    from recruiting.templatetags.fit import top_words

    pairs = [["[", 0.9], ["name", 0.9], ["]", 0.9], ["[NAME]", 0.8], ["python", 0.5]]
    pairs += [["[", -0.9], ["email", -0.9], ["]", -0.9], ["cobol", -0.4]]
    assert top_words(pairs) == {"up": ["python"], "down": ["cobol"]}


def test_a_score_says_what_kind_of_work_each_side_reads_as(client, recruiter, jobs, shared_data):
    """The active version has occupation profiles: it stores, with every score, the O*NET
    occupations the job and the resume read most like, and the candidate page (which shows
    the active version's scores) shows them."""
    from mlcore.matching import get_fit_model

    assert get_fit_model().w_occupations > 0
    front, _ = jobs
    candidate = _upload(recruiter, shared_data, "barry_allen_fe.pdf", job=front)
    fit = FitScore.objects.get(application__candidate=candidate, application__job=front)
    reads = fit.explanation["occupations"]
    assert len(reads["job"]) == 3 and len(reads["resume"]) == 3
    assert all(set(o) == {"code", "title", "share"} for o in reads["job"] + reads["resume"])
    titles = [o["title"] for o in reads["job"]]
    assert any("Developer" in t or "Programmer" in t or "Designer" in t for t in titles), titles
    client.force_login(recruiter)
    page = client.get(reverse("recruiting:candidate_detail", args=[candidate.pk])).content.decode()
    assert "Kind of work" in page and reads["resume"][0]["title"] in page
