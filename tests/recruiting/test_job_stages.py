"""A job's own pipeline stages: added from the default template, renamed, reordered, removed
while empty; moves through them (forward past stages, back with a reason) and who may do what."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from core.errors import NotAllowed
from recruiting import selectors, services
from recruiting.errors import InvalidTransition, ReasonRequired, StageChangeRefused
from recruiting.models import JobStage, StageEvent
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db


def _keys(job) -> list[str]:
    return list(selectors.job_pipeline(job=job).open)


def test_a_new_job_starts_from_the_default_template(recruiter):
    job = services.job_create(by=recruiter, title="Data Engineer")
    rows = JobStage.objects.filter(job=job).order_by("position")
    assert [(r.key, r.name, r.custom) for r in rows] == [
        ("applied", "Applied", False),
        ("screening", "Screening", False),
        ("interview", "Interview", False),
        ("offer", "Offer", False),
    ]


def test_a_custom_stage_goes_before_offer_or_where_asked_and_is_audited(recruiter):
    job = JobFactory()  # no stage rows yet: the default template until the first change
    assert _keys(job) == ["applied", "screening", "interview", "offer"]
    test = services.job_stage_add(job=job, name="  Technical   test ", by=recruiter)
    assert test.name == "Technical test" and test.key == f"custom_{test.pk}"
    call = services.job_stage_add(job=job, name="Phone call", by=recruiter, before="screening")
    assert _keys(job) == ["applied", call.key, "screening", "interview", test.key, "offer"]
    assert selectors.job_pipeline(job=job).label(test.key) == "Technical test"
    entry = AuditEntry.objects.filter(action="job.stage_added").first()
    assert entry is not None and entry.details["stage"] in {test.key, call.key}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the stage a name"),
        ("x" * 61, "at most 60 characters"),
        ("screening", "already has a stage called “screening”"),
        ("Hired", "already has a stage called “Hired”"),
    ],
)
def test_a_custom_stage_needs_a_new_name_of_a_sane_length(recruiter, name, message):
    job = JobFactory()
    with pytest.raises(StageChangeRefused, match=message):
        services.job_stage_add(job=job, name=name, by=recruiter)
    assert not JobStage.objects.filter(job=job, custom=True).exists()


def test_a_custom_stage_never_goes_before_applied(recruiter):
    job = JobFactory()
    with pytest.raises(StageChangeRefused, match="Choose where the stage goes"):
        services.job_stage_add(job=job, name="Pre-screen", by=recruiter, before="applied")


def test_skipping_forward_past_a_custom_stage_records_it(recruiter):
    job = JobFactory()
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.SCREENING)
    services.application_move(application=application, to_stage=Stage.OFFER, by=recruiter)
    event = StageEvent.objects.get(application=application)
    assert event.skipped_stages == ["interview", test.key]
    entry = AuditEntry.objects.get(action="application.moved")
    assert entry.details["skipped_stages"] == ["interview", test.key]


def test_moving_back_from_a_custom_stage_needs_a_reason(recruiter):
    job = JobFactory()
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)
    services.application_move(application=application, to_stage=test.key, by=recruiter)
    application.refresh_from_db()
    assert application.stage == test.key
    with pytest.raises(ReasonRequired, match="back to 'screening' needs a reason"):
        services.application_move(application=application, to_stage="screening", by=recruiter)
    services.application_move(
        application=application, to_stage="screening", by=recruiter, reason="Retake the call"
    )
    application.refresh_from_db()
    assert application.stage == "screening"
    back = StageEvent.objects.filter(application=application).last()
    assert back is not None and back.from_stage == test.key and back.note == "Retake the call"


def test_a_stage_of_another_job_is_not_a_move(recruiter):
    other = services.job_stage_add(job=JobFactory(), name="Technical test", by=recruiter)
    application = ApplicationFactory(stage=Stage.APPLIED)
    with pytest.raises(InvalidTransition):
        services.application_move(application=application, to_stage=other.key, by=recruiter)


def test_rename_and_reorder_only_the_jobs_own_stages(recruiter):
    job = JobFactory()
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    services.job_stage_rename(stage=test, name="Take-home task", by=recruiter)
    assert selectors.job_pipeline(job=job).label(test.key) == "Take-home task"
    services.job_stage_move(stage=test, by=recruiter, later=False)
    assert _keys(job) == ["applied", "screening", test.key, "interview", "offer"]
    services.job_stage_move(stage=test, by=recruiter, later=False)
    with pytest.raises(StageChangeRefused, match="stays after Applied"):
        services.job_stage_move(stage=test, by=recruiter, later=False)
    default = JobStage.objects.get(job=job, key="screening")
    with pytest.raises(StageChangeRefused, match="default stage"):
        services.job_stage_rename(stage=default, name="Phone screen", by=recruiter)
    with pytest.raises(StageChangeRefused, match="already has a stage called"):
        services.job_stage_rename(stage=test, name="Interview", by=recruiter)
    with pytest.raises(StageChangeRefused, match="default stage"):
        services.job_stage_remove(stage=default, by=recruiter)


def test_a_stage_with_applications_in_it_cannot_be_removed(recruiter):
    job = JobFactory()
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)
    services.application_move(application=application, to_stage=test.key, by=recruiter)
    with pytest.raises(StageChangeRefused, match=r"1 application is in it\. Move them"):
        services.job_stage_remove(stage=test, by=recruiter)
    services.application_move(application=application, to_stage=Stage.OFFER, by=recruiter)
    services.job_stage_remove(stage=test, by=recruiter)
    pipeline = selectors.job_pipeline(job=job)
    assert test.key not in pipeline.open
    # The history that mentions it keeps its name.
    assert pipeline.label(test.key) == "Technical test"
    with pytest.raises(StageChangeRefused, match="removed from the job already"):
        services.job_stage_rename(stage=test, name="Again", by=recruiter)
    application.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.application_move(
            application=application, to_stage=test.key, by=recruiter, reason="back"
        )


def test_hiring_managers_move_through_custom_stages_but_do_not_change_them(
    recruiter, hiring_manager
):
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    with pytest.raises(NotAllowed):
        services.job_stage_add(job=job, name="Reference check", by=hiring_manager)
    with pytest.raises(NotAllowed):
        services.job_stage_remove(stage=test, by=hiring_manager)
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)
    services.application_move(application=application, to_stage=test.key, by=hiring_manager)
    application.refresh_from_db()
    assert application.stage == test.key
    elsewhere = ApplicationFactory(stage=Stage.APPLIED)
    with pytest.raises(NotAllowed):
        services.application_move(
            application=elsewhere, to_stage=Stage.SCREENING, by=hiring_manager
        )


def test_an_application_in_a_custom_stage_is_open_for_privacy_and_rescoring(recruiter):
    from privacy.selectors import candidate_privacy_summary

    job = JobFactory()
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)
    services.application_move(application=application, to_stage=test.key, by=recruiter)
    # Retention skips, and the privacy page counts, a candidate still in the pipeline.
    assert candidate_privacy_summary(application.candidate)["open_applications"] == 1


def test_the_hiring_team_is_told_the_custom_stage_by_name(
    recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    from django.core import mail

    job = JobFactory(owner=recruiter)
    job.hiring_team.add(hiring_manager)
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_move(application=application, to_stage=test.key, by=recruiter)
    assert len(mail.outbox) == 1
    assert "moved to Technical test for" in mail.outbox[0].subject
    assert "from Applied to Technical test" in mail.outbox[0].body
    application.refresh_from_db()
    assert application.get_stage_display() == "Technical test"
    event = StageEvent.objects.filter(application=application).last()
    assert event is not None and event.get_to_stage_display() == "Technical test"
