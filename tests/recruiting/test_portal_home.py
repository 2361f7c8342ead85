"""Home page of the portal: my open jobs with stage waits, new applicants, resumes to fix."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

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
    with django_assert_max_num_queries(10):
        small = client.get(reverse("home"))
    for _ in range(8):
        add_rows()
    with django_assert_max_num_queries(10):
        large = client.get(reverse("home"))
    assert small.status_code == large.status_code == 200
    assert large.content.count(b'<th scope="row">') == 9
