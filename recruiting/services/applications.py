"""Applications: applying once, moving through the pipeline with an audit trail, hiring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from core.events import emit
from core.roles import signed_in
from core.tasks import enqueue_on_commit
from core.text import NOTE_MAX_CHARS, ensure_length
from hr.services import employee_create_from_hire

from ..errors import (
    AlreadyApplied,
    InvalidTransition,
    JobNotOpen,
    ReasonRequired,
    UnknownStage,
)
from ..models import Application, Candidate, Job, StageEvent
from ..permissions import ensure_can_act_on_application, ensure_can_manage_candidates
from ..pipeline import CUSTOM_PREFIX, Pipeline, Stage
from ..selectors.stages import job_pipeline
from ..tasks import notify_stage_change, score_application

if TYPE_CHECKING:
    from core.roles import AnyUser


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    job: Job,
    by: AnyUser,
    source: str = "",
    external_id: str = "",
    external_system: str = "",
) -> Application:
    """Apply a candidate to an open job, once; the first StageEvent records the entry."""
    ensure_can_manage_candidates(by)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != Job.Status.OPEN:
        raise JobNotOpen(job, job.get_status_display().lower())
    if Application.objects.filter(candidate=candidate, job=job).exists():
        raise AlreadyApplied(candidate, job)
    now = timezone.now()
    try:
        with transaction.atomic():
            application = Application.objects.create(
                candidate=candidate,
                job=job,
                stage=Stage.APPLIED,
                source=source,
                external_id=external_id,
                external_system=external_system,
                applied_at=now,
                stage_changed_at=now,
            )
    except IntegrityError as exc:
        raise AlreadyApplied(candidate, job) from exc
    StageEvent.objects.create(
        application=application, from_stage="", to_stage=Stage.APPLIED, by=signed_in(by)
    )
    audit_record(
        action="application.created",
        actor=by,
        target=application,
        details={"candidate_id": candidate.pk, "job_id": job.pk, "source": source},
    )
    emit(
        "application.created",
        {"application_id": application.pk, "candidate_id": candidate.pk, "job_id": job.pk},
    )
    enqueue_on_commit(score_application, application.pk)
    return application


@transaction.atomic
def application_move(
    *, application: Application, to_stage: str, by: AnyUser, note: str = "", reason: str = ""
) -> Application:
    """Move to an allowed stage, write the StageEvent, tell the hiring team after commit.

    A refused move raises and changes nothing. Rejecting or withdrawing needs a reason;
    hiring creates the Employee record in the same transaction.
    """
    ensure_can_act_on_application(by, application)
    # Lock the row so two people moving the same card cannot both pass the check.
    application = (
        Application.objects.select_for_update()
        .select_related("job", "candidate")
        .get(pk=application.pk)
    )
    from_stage = application.stage
    pipeline = _check_move(application, to_stage, reason=reason)
    reason = ensure_length(reason, limit=NOTE_MAX_CHARS, what="A reason", field="reason")
    note = ensure_length(note, limit=NOTE_MAX_CHARS, what="A note", field="note")
    skipped = pipeline.skipped_stages(from_stage, to_stage)

    now = timezone.now()
    application.stage = to_stage
    application.stage_changed_at = now
    if to_stage == Stage.REJECTED:
        application.rejected_at, application.rejection_reason = now, reason
    elif to_stage == Stage.WITHDRAWN:
        application.withdrawn_at, application.withdrawal_reason = now, reason
    elif to_stage == Stage.HIRED:
        application.hired_at = now
        employee_create_from_hire(application=application)
    application.save()
    event = StageEvent.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        by=signed_in(by),
        note="\n\n".join(part for part in (reason, note.strip()) if part),
        skipped_stages=skipped,
    )
    audit_record(
        action="application.moved",
        actor=by,
        target=application,
        details={
            "from_stage": from_stage,
            "to_stage": to_stage,
            "stage_event_id": event.pk,
            "skipped_stages": skipped,
        },
    )
    emit(
        "application.stage_changed",
        {
            "application_id": application.pk,
            "job_id": application.job_id,
            "candidate_id": application.candidate_id,
            "from_stage": from_stage,
            "to_stage": to_stage,
        },
    )
    # A broker that is down leaves the event unnotified for the sweeper, never an error.
    enqueue_on_commit(notify_stage_change, event.pk)
    return application


def _check_move(application: Application, to_stage: str, *, reason: str) -> Pipeline:
    """The job's pipeline, once the move is known to be allowed in it. Read under the job
    row's lock (application_move's FOR UPDATE covers the joined job), which every change to
    the job's stages takes first: a stage is never removed with an application just moved
    into it (tests/recruiting/test_job_stages_race.py)."""
    pipeline = job_pipeline(job=application.job)
    from_stage = application.stage
    allowed = pipeline.allowed_moves(from_stage)

    def shown(stage: str) -> str:
        # Default stages by their value (as the API names them), the job's own by name.
        return pipeline.label(stage) if stage.startswith(CUSTOM_PREFIX) else stage

    if to_stage not in pipeline.columns:
        raise UnknownStage(shown(from_stage), to_stage)
    if to_stage not in allowed:
        ordered = pipeline.moves_in_order(from_stage)
        raise InvalidTransition(shown(from_stage), shown(to_stage), [shown(m) for m in ordered])
    if pipeline.needs_reason(from_stage, to_stage) and not reason.strip():
        raise ReasonRequired(shown(to_stage), back=pipeline.is_backward(from_stage, to_stage))
    return pipeline


def application_advance(*, application: Application, by: AnyUser, note: str = "") -> Application:
    """One step forward in the job's pipeline (applied → … → offer → hired)."""
    next_stage = job_pipeline(job=application.job).next_stage(application.stage)
    if next_stage is None:
        raise InvalidTransition(application.stage, "the next stage", [])
    return application_move(application=application, to_stage=next_stage, by=by, note=note)


def application_reject(
    *, application: Application, by: AnyUser, reason: str, note: str = ""
) -> Application:
    return application_move(
        application=application, to_stage=Stage.REJECTED, by=by, reason=reason, note=note
    )


def application_withdraw(
    *, application: Application, by: AnyUser, reason: str, note: str = ""
) -> Application:
    return application_move(
        application=application, to_stage=Stage.WITHDRAWN, by=by, reason=reason, note=note
    )


def application_hire(*, application: Application, by: AnyUser, note: str = "") -> Application:
    return application_move(application=application, to_stage=Stage.HIRED, by=by, note=note)
