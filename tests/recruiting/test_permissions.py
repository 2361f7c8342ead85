"""Each role is refused what it must not see or do."""

from __future__ import annotations

import pytest

from core.errors import NotAllowed
from recruiting import selectors, services
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_jobs(hiring_manager):
    mine, other = JobFactory(title="Mine"), JobFactory(title="Not mine")
    mine.hiring_team.add(hiring_manager)
    return mine, other


def test_hiring_manager_sees_only_jobs_on_their_team(hiring_manager, two_jobs):
    mine, other = two_jobs
    ApplicationFactory(job=mine)
    ApplicationFactory(job=other)
    assert list(selectors.job_list(user=hiring_manager)) == [mine]
    apps = selectors.job_applications(user=hiring_manager, job=other)
    assert not apps.exists()


def test_hiring_manager_sees_only_candidates_of_their_jobs(hiring_manager, two_jobs):
    mine, other = two_jobs
    visible = ApplicationFactory(job=mine).candidate
    hidden = ApplicationFactory(job=other).candidate
    assert selectors.candidate_get(user=hiring_manager, pk=visible.pk) == visible
    with pytest.raises(Exception, match="No such candidate"):
        selectors.candidate_get(user=hiring_manager, pk=hidden.pk)


def test_hiring_manager_can_move_on_own_job_but_not_others(hiring_manager, two_jobs):
    mine, other = two_jobs
    moved = services.application_advance(
        application=ApplicationFactory(job=mine), by=hiring_manager
    )
    assert moved.stage == Stage.SCREENING
    foreign = ApplicationFactory(job=other)
    with pytest.raises(NotAllowed):
        services.application_advance(application=foreign, by=hiring_manager)
    foreign.refresh_from_db()
    assert foreign.stage == Stage.APPLIED


def test_hiring_manager_cannot_manage_jobs_or_candidates(hiring_manager, two_jobs):
    mine, _ = two_jobs
    with pytest.raises(NotAllowed):
        services.job_create(by=hiring_manager, title="Shadow role")
    with pytest.raises(NotAllowed):
        services.job_close(job=mine, by=hiring_manager)
    with pytest.raises(NotAllowed):
        services.candidate_create(by=hiring_manager, full_name="Someone")
    with pytest.raises(NotAllowed):
        services.application_create(candidate=CandidateFactory(), job=mine, by=hiring_manager)


def test_hr_admin_reads_recruiting_but_cannot_change_it(hr_admin):
    application = ApplicationFactory()
    assert list(selectors.job_list(user=hr_admin)) == [application.job]
    with pytest.raises(NotAllowed):
        services.application_advance(application=application, by=hr_admin)
    with pytest.raises(NotAllowed):
        services.job_create(by=hr_admin, title="x")


def test_recruiter_cannot_read_hr_data(recruiter):
    from hr import selectors as hr_selectors

    with pytest.raises(NotAllowed):
        hr_selectors.employee_list(user=recruiter)
    with pytest.raises(NotAllowed):
        hr_selectors.survey_list(user=recruiter)


def test_hiring_manager_cannot_read_hr_data(hiring_manager):
    from hr import selectors as hr_selectors

    with pytest.raises(NotAllowed):
        hr_selectors.department_list(user=hiring_manager)


def test_no_role_sees_nothing(no_role_user):
    ApplicationFactory()
    assert not selectors.job_list(user=no_role_user).exists()
