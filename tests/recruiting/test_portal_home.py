"""Home page of the portal: my open jobs with stage waits, new applicants, resumes to fix."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recruiting import services
from recruiting.models import Job, Resume
from recruiting.pipeline import Stage
from recruiting.selectors.home import my_open_jobs

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db


def make_resume(candidate=None, status=Resume.ParseStatus.QUEUED, **fields) -> Resume:
    sha = uuid.uuid4().hex * 2
    return Resume.objects.create(
        candidate=candidate,
        file=f"resumes/{sha[:2]}/{sha}/cv.pdf",
        original_name=fields.pop("original_name", "cv.pdf"),
        size=100,
        sha256=sha,
        parse_status=status,
        **fields,
    )


def test_home_needs_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_hr_admin_goes_to_hr_and_no_role_user_to_explanation(client, hr_admin, no_role_user):
    client.force_login(hr_admin)
    assert client.get(reverse("home"))["Location"] == reverse("hr:dashboard")
    client.force_login(no_role_user)
    assert client.get(reverse("home"))["Location"] == reverse("no_role")


def test_stage_counts_median_and_oldest_wait(recruiter):
    now = timezone.now()
    job = JobFactory(owner=recruiter, title="Data Engineer")
    for days in (1, 3, 10):
        ApplicationFactory(job=job, stage_changed_at=now - timedelta(days=days))
    ApplicationFactory(job=job, stage=Stage.INTERVIEW, stage_changed_at=now - timedelta(days=4))
    ApplicationFactory(job=job, stage=Stage.REJECTED)  # closed: not in the pipeline
    JobFactory(owner=recruiter, status=Job.Status.DRAFT)  # not open
    JobFactory()  # not mine

    [summary] = my_open_jobs(user=recruiter, now=now)
    stages = {s.stage: s for s in summary.stages}
    assert summary.job == job
    assert stages[Stage.APPLIED].count == 3
    assert stages[Stage.APPLIED].median_days == pytest.approx(3, abs=0.01)
    assert stages[Stage.APPLIED].oldest_days == pytest.approx(10, abs=0.01)
    assert stages[Stage.INTERVIEW].count == 1
    assert stages[Stage.SCREENING].count == 0 and stages[Stage.SCREENING].median_days is None
    assert summary.in_pipeline == 4


def test_counts_are_not_multiplied_by_the_hiring_team(hiring_manager, recruiter):
    job = JobFactory(owner=hiring_manager)
    job.hiring_team.add(hiring_manager, recruiter)
    ApplicationFactory(job=job)
    [summary] = my_open_jobs(user=hiring_manager)
    assert summary.stages[0].count == 1


def test_home_shows_new_applicants_and_resumes_waiting(client, recruiter):
    job = JobFactory(owner=recruiter, title="Platform Engineer")
    fresh = ApplicationFactory(job=job, candidate=CandidateFactory(full_name="Ada Fresh"))
    ApplicationFactory(
        job=job,
        candidate=CandidateFactory(full_name="Old Timer"),
        applied_at=timezone.now() - timedelta(days=9),
    )
    make_resume(
        original_name="broken.pdf",
        status=Resume.ParseStatus.FAILED,
        parse_error="The PDF has no text layer.",
    )
    make_resume(original_name="done.pdf", status=Resume.ParseStatus.PARSED)
    client.force_login(recruiter)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Platform Engineer" in html
    assert fresh.candidate.full_name in html
    assert "Old Timer" not in html
    assert "1 in the last 7 days" in html
    assert "broken.pdf" in html and "The PDF has no text layer." in html
    assert "done.pdf" not in html


def test_hiring_manager_home_shows_only_their_jobs_and_candidates(client, hiring_manager):
    mine = JobFactory(title="Mine to hire")
    mine.hiring_team.add(hiring_manager)
    theirs = JobFactory(title="Someone else's")
    ApplicationFactory(job=theirs, candidate=CandidateFactory(full_name="Hidden Person"))
    make_resume(candidate=theirs.applications.get().candidate, original_name="hidden.pdf")
    client.force_login(hiring_manager)
    html = client.get(reverse("home")).content.decode()
    assert "Mine to hire" in html
    assert "Someone else" not in html
    assert "Hidden Person" not in html and "hidden.pdf" not in html


def test_home_query_count_does_not_grow_with_rows(client, recruiter, django_assert_max_num_queries):
    client.force_login(recruiter)

    def add_rows():
        job = JobFactory(owner=recruiter)
        for stage in (Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW):
            ApplicationFactory(job=job, stage=stage)
        make_resume(status=Resume.ParseStatus.FAILED)

    add_rows()
    # 12: the jobs' stage rows are read once for the table and once for the new applicants.
    with django_assert_max_num_queries(12):
        small = client.get(reverse("home"))
    for _ in range(8):
        add_rows()
    with django_assert_max_num_queries(12):
        large = client.get(reverse("home"))
    assert small.status_code == large.status_code == 200
    assert large.content.count(b'<th scope="row">') == 9


def _job_with_own_stage(recruiter, name="Technical test"):
    job = JobFactory(owner=recruiter)
    stage = services.job_stage_add(job=job, name=name, by=recruiter)
    return job, stage


def test_my_open_jobs_counts_a_jobs_own_stages_in_pipeline_order(recruiter):
    job, test = _job_with_own_stage(recruiter)
    long_ago = timezone.now() - timedelta(days=6)
    for days in (2, 4, 6):
        ApplicationFactory(
            job=job, stage=test.key, stage_changed_at=timezone.now() - timedelta(days=days)
        )
    ApplicationFactory(job=job, stage=Stage.APPLIED, stage_changed_at=long_ago)
    ApplicationFactory(job=job, stage=Stage.REJECTED)  # out of the pipeline: not counted
    [summary] = my_open_jobs(user=recruiter)
    assert [s.stage for s in summary.stages] == [
        "applied",
        "screening",
        "interview",
        test.key,
        "offer",
    ]
    [own] = summary.own_stages
    assert (own.label, own.count) == ("Technical test", 3)
    assert round(own.median_days) == 4 and round(own.oldest_days) == 6
    assert [s.count for s in summary.default_stages] == [1, 0, 0, 0]
    assert summary.in_pipeline == 4


def test_home_shows_own_stages_by_name_with_their_counts(client, recruiter):
    job, test = _job_with_own_stage(recruiter, "Portfolio review")
    ApplicationFactory(job=job, stage=test.key)
    ApplicationFactory(job=job, stage=test.key, candidate=CandidateFactory(full_name="Ada New"))
    JobFactory(owner=recruiter, title="Plain job")  # default stages only: "—"
    client.force_login(recruiter)
    html = client.get(reverse("home")).content.decode()
    assert "Portfolio review</span>: <strong>2</strong>" in html
    assert "custom_" not in html  # the new applicants list names the stage too
    assert "Portfolio review" in html.split('id="new-applicants"')[1]


def test_home_query_count_does_not_grow_with_own_stages(
    client, recruiter, django_assert_max_num_queries
):
    client.force_login(recruiter)

    def add_job(n):
        job, _ = _job_with_own_stage(recruiter, f"Own stage {n}")
        later = services.job_stage_add(job=job, name=f"Later {n}", by=recruiter)
        for key in (Stage.APPLIED, later.key, later.key):
            ApplicationFactory(job=job, stage=key)

    add_job(0)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse("home")).status_code == 200
    for n in range(1, 8):
        add_job(n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("home")).content.decode()
    assert "Later 7</span>: <strong>2</strong>" in html
