"""The recruiting rules: jobs, candidates, applications and the pipeline."""

from __future__ import annotations

import pytest
from django.core import mail

from core.errors import NotAllowed
from hr.models import Employee
from recruiting import services
from recruiting.errors import (
    AlreadyApplied,
    InvalidCandidate,
    InvalidJobStatus,
    InvalidTransition,
    JobNotOpen,
    ReasonRequired,
)
from recruiting.models import Application, Candidate, Job, StageEvent
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, DepartmentFactory, JobFactory

pytestmark = pytest.mark.django_db


# --- jobs -------------------------------------------------------------------------------


def test_job_is_created_as_draft_with_clean_skills(recruiter):
    job = services.job_create(
        by=recruiter,
        title="  Data Engineer ",
        description="Pipelines.",
        required_skills=["Python", " python ", "SQL", ""],
    )
    assert job.status == Job.Status.DRAFT
    assert job.title == "Data Engineer"
    assert job.required_skills == ["Python", "SQL"]
    assert job.owner == recruiter


def test_job_publish_then_close_then_reopen(recruiter):
    job = services.job_create(by=recruiter, title="QA Engineer", description="Testing.")
    job = services.job_publish(job=job, by=recruiter)
    assert job.status == Job.Status.OPEN and job.published_at is not None
    job = services.job_close(job=job, by=recruiter)
    assert job.status == Job.Status.CLOSED and job.closed_at is not None
    job = services.job_reopen(job=job, by=recruiter)
    assert job.status == Job.Status.OPEN and job.closed_at is None


def test_job_without_description_cannot_be_published(recruiter):
    job = services.job_create(by=recruiter, title="Mystery role")
    with pytest.raises(InvalidJobStatus, match="description"):
        services.job_publish(job=job, by=recruiter)
    job.refresh_from_db()
    assert job.status == Job.Status.DRAFT


def test_closing_a_draft_is_refused(recruiter):
    job = services.job_create(by=recruiter, title="Draft role", description="x")
    with pytest.raises(InvalidJobStatus, match="Only an open job"):
        services.job_close(job=job, by=recruiter)


def test_job_with_impossible_minimum_years_is_refused(recruiter):
    with pytest.raises(InvalidJobStatus, match="between 0 and 60"):
        services.job_create(by=recruiter, title="Elder", min_years_experience=99)
    assert not Job.objects.exists()


# --- candidates -------------------------------------------------------------------------


def test_candidate_email_and_phone_are_normalised(recruiter):
    candidate = services.candidate_create(
        by=recruiter, full_name="Ada Lovelace", email="  Ada@Example.COM ", phone="+44 20 7946 0958"
    )
    assert candidate.email == "ada@example.com"
    assert candidate.phone == "+442079460958"


def test_second_add_with_same_email_returns_the_same_candidate(recruiter):
    first = services.candidate_create(by=recruiter, full_name="Ada", email="ada@example.com")
    second = services.candidate_create(by=recruiter, full_name="Ada L.", email="ADA@example.com ")
    assert second.pk == first.pk
    assert second.full_name == "Ada"  # the existing record is not overwritten
    assert Candidate.objects.count() == 1


def test_candidates_without_email_are_not_merged(recruiter):
    services.candidate_create(by=recruiter, full_name="No Mail One")
    services.candidate_create(by=recruiter, full_name="No Mail Two")
    assert Candidate.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"full_name": "X", "email": "not-an-email"}, "not a valid e-mail"),
        ({"full_name": "X", "phone": "12"}, "not a valid phone"),
        ({}, "at least a name or an e-mail"),
    ],
)
def test_invalid_candidate_is_refused_with_a_clear_message(recruiter, fields, message):
    with pytest.raises(InvalidCandidate, match=message):
        services.candidate_create(by=recruiter, **fields)
    assert not Candidate.objects.exists()


def test_profile_edit_marks_fields_as_edited_by_hand(recruiter):
    candidate = CandidateFactory()
    services.candidate_update_profile(
        candidate=candidate, by=recruiter, location="Berlin", skills=["Go"]
    )
    candidate.refresh_from_db()
    assert candidate.location == "Berlin"
    assert set(candidate.edited_fields) == {"location", "skills"}


# --- applications -----------------------------------------------------------------------


def test_apply_once_writes_the_first_stage_event(recruiter):
    candidate, job = CandidateFactory(), JobFactory()
    application = services.application_create(candidate=candidate, job=job, by=recruiter)
    assert application.stage == Stage.APPLIED
    events = list(application.stage_events.values_list("from_stage", "to_stage", "by"))
    assert events == [("", Stage.APPLIED, recruiter.pk)]


def test_applying_twice_is_refused(recruiter):
    candidate, job = CandidateFactory(), JobFactory()
    services.application_create(candidate=candidate, job=job, by=recruiter)
    with pytest.raises(AlreadyApplied):
        services.application_create(candidate=candidate, job=job, by=recruiter)
    assert Application.objects.count() == 1


@pytest.mark.parametrize("status", [Job.Status.DRAFT, Job.Status.CLOSED])
def test_only_open_jobs_take_applications(recruiter, status):
    job = JobFactory(status=status)
    with pytest.raises(JobNotOpen):
        services.application_create(candidate=CandidateFactory(), job=job, by=recruiter)
    assert not Application.objects.exists()


def test_full_pipeline_to_hired_creates_employee_and_audit_trail(
    recruiter, django_capture_on_commit_callbacks
):
    department = DepartmentFactory(name="Platform")
    job = JobFactory(title="Platform Engineer", department=department)
    candidate = CandidateFactory(full_name="Grace Hopper", email="grace@example.com")
    application = services.application_create(candidate=candidate, job=job, by=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            application = services.application_advance(application=application, by=recruiter)
    assert application.stage == Stage.HIRED and application.hired_at is not None
    trail = list(application.stage_events.values_list("from_stage", "to_stage"))
    assert trail == [
        ("", "applied"),
        ("applied", "screening"),
        ("screening", "interview"),
        ("interview", "offer"),
        ("offer", "hired"),
    ]
    employee = Employee.objects.get(hired_from=candidate)
    assert (employee.full_name, employee.title, employee.department) == (
        "Grace Hopper",
        "Platform Engineer",
        department,
    )


@pytest.mark.parametrize(
    ("stage", "to_stage"),
    [
        (Stage.APPLIED, Stage.HIRED),  # nobody is hired without an offer
        (Stage.SCREENING, Stage.HIRED),
        (Stage.HIRED, Stage.REJECTED),  # closed applications stay closed
        (Stage.REJECTED, Stage.SCREENING),
        (Stage.APPLIED, "nonsense"),
    ],
)
def test_refused_move_changes_nothing(recruiter, stage, to_stage):
    application = ApplicationFactory(stage=stage)
    before = (application.stage, application.stage_changed_at)
    with pytest.raises(InvalidTransition, match="cannot move"):
        services.application_move(
            application=application, to_stage=to_stage, by=recruiter, reason="because"
        )
    application.refresh_from_db()
    assert (application.stage, application.stage_changed_at) == before
    assert not StageEvent.objects.exists()
    assert not Employee.objects.exists()


@pytest.mark.parametrize("to_stage", [Stage.REJECTED, Stage.WITHDRAWN])
def test_leaving_the_pipeline_needs_a_reason(recruiter, to_stage):
    application = ApplicationFactory(stage=Stage.SCREENING)
    with pytest.raises(ReasonRequired):
        services.application_move(
            application=application, to_stage=to_stage, by=recruiter, reason="   "
        )
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


def test_rejection_records_reason_time_and_event(recruiter):
    application = ApplicationFactory(stage=Stage.INTERVIEW)
    application = services.application_reject(
        application=application, by=recruiter, reason="Needs more Kubernetes depth"
    )
    assert application.stage == Stage.REJECTED
    assert application.rejected_at is not None
    assert application.rejection_reason == "Needs more Kubernetes depth"
    event = application.stage_events.get()
    assert (event.from_stage, event.to_stage, event.by) == ("interview", "rejected", recruiter)
    assert "Kubernetes" in event.note


def test_stage_change_emails_the_hiring_team_but_not_the_actor(
    recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    job = JobFactory(owner=recruiter)
    job.hiring_team.add(hiring_manager)
    application = ApplicationFactory(job=job)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_advance(application=application, by=recruiter)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [hiring_manager.email]
    assert "Screening" in mail.outbox[0].subject
    event = StageEvent.objects.get()
    assert event.notified_at is not None
    # Running the task again (a redelivery) sends nothing more.
    assert services.stage_event_notify(stage_event_id=event.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_is_sent_when_the_move_is_refused(
    recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    application = ApplicationFactory(job=job)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        services.application_move(application=application, to_stage=Stage.HIRED, by=recruiter)
    assert mail.outbox == []


def test_scorecard_validates_recommendation_and_ratings(recruiter):
    application = ApplicationFactory(stage=Stage.INTERVIEW)
    card = services.scorecard_submit(
        application=application, by=recruiter, recommendation="yes", ratings={"Python": 4}
    )
    assert card.stage == Stage.INTERVIEW and card.ratings == {"Python": 4}
    with pytest.raises(Exception, match="not a recommendation"):
        services.scorecard_submit(application=application, by=recruiter, recommendation="maybe")
    with pytest.raises(Exception, match="1–4"):
        services.scorecard_submit(
            application=application, by=recruiter, recommendation="no", ratings={"Go": 7}
        )


def test_user_without_role_cannot_do_anything(no_role_user):
    with pytest.raises(NotAllowed):
        services.job_create(by=no_role_user, title="x")
    with pytest.raises(NotAllowed):
        services.candidate_create(by=no_role_user, full_name="x")
    with pytest.raises(NotAllowed):
        services.application_advance(application=ApplicationFactory(), by=no_role_user)


def test_a_strong_candidate_goes_straight_to_interview_and_the_skip_is_recorded(recruiter):
    application = ApplicationFactory(stage=Stage.APPLIED)
    services.application_move(application=application, to_stage=Stage.INTERVIEW, by=recruiter)
    event = StageEvent.objects.get(application=application)
    assert (event.from_stage, event.to_stage) == (Stage.APPLIED, Stage.INTERVIEW)
    assert event.skipped_stages == [Stage.SCREENING]
    from audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="application.moved")
    assert entry.details["skipped_stages"] == [Stage.SCREENING]


def test_moving_back_needs_a_reason_and_keeps_it(recruiter):
    from recruiting.errors import ReasonRequired

    application = ApplicationFactory(stage=Stage.INTERVIEW)
    with pytest.raises(ReasonRequired, match="back to 'screening' needs a reason"):
        services.application_move(application=application, to_stage=Stage.SCREENING, by=recruiter)
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    services.application_move(
        application=application, to_stage=Stage.SCREENING, by=recruiter, reason="Needs a re-screen"
    )
    event = StageEvent.objects.get(application=application)
    assert event.note == "Needs a re-screen" and event.skipped_stages == []
