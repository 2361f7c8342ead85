"""A job's own pipeline stages: added from the default template, renamed, reordered and
removed by recruiters, each change audited. Default stages are fixed: Applied first, Offer
last, in their order and with their names, so every job hires the same way."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit.services import audit_record

from ..errors import StageChangeRefused
from ..models import Application, Job, JobStage
from ..permissions import ensure_can_manage_jobs
from ..pipeline import CLOSED_STAGES, OPEN_STAGES, Stage, custom_key

if TYPE_CHECKING:
    from core.roles import AnyUser

STAGE_NAME_MAX_CHARS = 60


def job_stages_ensure(*, job: Job) -> None:
    """Give a job that has no stage rows the default template (idempotent)."""
    if JobStage.objects.filter(job=job).exists():
        return
    JobStage.objects.bulk_create(
        JobStage(job=job, key=key, name=Stage(key).label, position=position)
        for position, key in enumerate(OPEN_STAGES)
    )


def _locked_stages(job: Job) -> list[JobStage]:
    """The job's current stages in order, locked: one stage change per job at a time."""
    Job.objects.select_for_update().filter(pk=job.pk).first()
    job_stages_ensure(job=job)
    rows: QuerySet[JobStage] = JobStage.objects.select_for_update().filter(
        job=job, removed_at__isnull=True
    )
    return list(rows.order_by("position", "id"))


def _clean_name(name: str, stages: list[JobStage], *, keep: JobStage | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise StageChangeRefused("Give the stage a name.", field="name")
    if len(name) > STAGE_NAME_MAX_CHARS:
        raise StageChangeRefused(
            f"A stage name is at most {STAGE_NAME_MAX_CHARS} characters.", field="name"
        )
    taken = {s.name.casefold() for s in stages if s != keep}
    taken |= {Stage(key).label.casefold() for key in CLOSED_STAGES}
    if name.casefold() in taken:
        raise StageChangeRefused(f"This job already has a stage called “{name}”.", field="name")
    return name


def _renumber(stages: list[JobStage]) -> None:
    for position, stage in enumerate(stages):
        stage.position = position
    JobStage.objects.bulk_update(stages, ["position"])


def _own_stage(stage: JobStage, stages: list[JobStage]) -> JobStage:
    """The locked row of one of the job's own (custom, current) stages."""
    for row in stages:
        if row.pk == stage.pk:
            if not row.custom:
                raise StageChangeRefused(
                    f"“{row.name}” is a default stage: it keeps its name and place, and "
                    "cannot be removed."
                )
            return row
    raise StageChangeRefused("This stage has been removed from the job already.")


@transaction.atomic
def job_stage_add(*, job: Job, name: str, by: AnyUser, before: str = Stage.OFFER) -> JobStage:
    """Add a stage of the job's own, placed before the stage `before` (by default Offer:
    after everything but the offer). Never before Applied."""
    ensure_can_manage_jobs(by)
    stages = _locked_stages(job)
    name = _clean_name(name, stages)
    keys = [s.key for s in stages]
    if before not in keys or before == Stage.APPLIED:
        raise StageChangeRefused(
            "Choose where the stage goes: before one of the job's stages after Applied.",
            field="before",
        )
    stage = JobStage.objects.create(
        job=job, key=f"new_{uuid.uuid4().hex[:12]}", name=name, position=0, custom=True
    )
    stage.key = custom_key(stage.pk)
    stage.save(update_fields=["key"])
    stages.insert(keys.index(before), stage)
    _renumber(stages)
    audit_record(
        action="job.stage_added",
        actor=by,
        target=job,
        details={"stage": stage.key, "before": str(before)},
    )
    return stage


@transaction.atomic
def job_stage_rename(*, stage: JobStage, name: str, by: AnyUser) -> JobStage:
    ensure_can_manage_jobs(by)
    stages = _locked_stages(stage.job)
    row = _own_stage(stage, stages)
    row.name = _clean_name(name, stages, keep=row)
    row.save(update_fields=["name"])
    audit_record(action="job.stage_renamed", actor=by, target=stage.job, details={"stage": row.key})
    return row


@transaction.atomic
def job_stage_move(*, stage: JobStage, by: AnyUser, later: bool) -> JobStage:
    """Move one of the job's own stages one place earlier or later; it stays after Applied
    and before Offer."""
    ensure_can_manage_jobs(by)
    stages = _locked_stages(stage.job)
    row = _own_stage(stage, stages)
    here = stages.index(row)
    there = here + 1 if later else here - 1
    if there <= 0 or there >= len(stages) - 1:
        where = "before Offer" if later else "after Applied"
        raise StageChangeRefused(f"“{row.name}” is already as far as it goes: it stays {where}.")
    stages[here], stages[there] = stages[there], stages[here]
    _renumber(stages)
    audit_record(
        action="job.stage_moved",
        actor=by,
        target=stage.job,
        details={"stage": row.key, "position": there},
    )
    return row


@transaction.atomic
def job_stage_remove(*, stage: JobStage, by: AnyUser) -> None:
    """Remove one of the job's own stages while no application is in it. The row stays,
    marked removed, so the history that mentions the stage keeps its name."""
    ensure_can_manage_jobs(by)
    stages = _locked_stages(stage.job)
    row = _own_stage(stage, stages)
    # Counted under the job row's lock, which application_move holds too.
    held = Application.objects.filter(job_id=row.job_id, stage=row.key).count()
    if held:
        people = "application is" if held == 1 else "applications are"
        raise StageChangeRefused(
            f"“{row.name}” cannot be removed: {held} {people} in it. Move them to another "
            "stage first."
        )
    row.removed_at = timezone.now()
    row.save(update_fields=["removed_at"])
    stages.remove(row)
    _renumber(stages)
    audit_record(action="job.stage_removed", actor=by, target=stage.job, details={"stage": row.key})
