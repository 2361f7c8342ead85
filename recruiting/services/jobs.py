"""Creating jobs and moving them through draft → open → closed."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.events import emit
from core.roles import signed_in
from core.tasks import enqueue_on_commit

from ..errors import InvalidJobStatus
from ..models import Job
from ..permissions import ensure_can_manage_jobs
from ..tasks import rescore_job
from .stages import job_stages_ensure

if TYPE_CHECKING:
    from core.roles import AnyUser

# The fields the fit model reads: a change to one of them re-scores the job's applicants.
TEXT_FIELDS = ("title", "description", "requirements", "required_skills", "preferred_skills")

EDITABLE_FIELDS = (
    "title",
    "department",
    "location",
    "remote_policy",
    "employment_type",
    "description",
    "requirements",
    "required_skills",
    "preferred_skills",
    "min_years_experience",
    "external_id",
    "external_system",  # whose id external_id is: set with it, by the API
)


def _clean_skills(skills: Iterable[str] | None) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively), order kept."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for skill in skills or []:
        name = " ".join(str(skill).split())
        if name and name.lower() not in seen:
            seen.add(name.lower())
            cleaned.append(name)
    return cleaned


def _validate(job: Job) -> None:
    if not job.title.strip():
        raise InvalidJobStatus("A job needs a title.", field="title")
    if job.min_years_experience is not None and not (0 <= job.min_years_experience <= 60):
        raise InvalidJobStatus(
            "Minimum years of experience must be between 0 and 60.", field="min_years_experience"
        )


@transaction.atomic
def job_create(
    *,
    by: AnyUser,
    title: str,
    description: str = "",
    requirements: str = "",
    required_skills: Iterable[str] | None = None,
    preferred_skills: Iterable[str] | None = None,
    min_years_experience: Decimal | float | None = None,
    hiring_team: Iterable[Any] = (),
    **fields: Any,
) -> Job:
    """A new job in draft. `fields` takes any other editable field (location, department, ...)."""
    ensure_can_manage_jobs(by)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"job_create() got unknown fields: {sorted(unknown)}")
    job = Job(
        title=title.strip(),
        description=description,
        requirements=requirements,
        required_skills=_clean_skills(required_skills),
        preferred_skills=_clean_skills(preferred_skills),
        min_years_experience=min_years_experience,
        owner=signed_in(by),
        **fields,
    )
    _validate(job)
    job.save()
    job.hiring_team.set(list(hiring_team))
    job_stages_ensure(job=job)
    audit_record(action="job.created", actor=by, target=job)
    emit("job.created", {"job_id": job.pk})
    return job


@transaction.atomic
def job_update(
    *, job: Job, by: AnyUser, hiring_team: Iterable[Any] | None = None, **changes: Any
) -> Job:
    ensure_can_manage_jobs(by)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"job_update() got unknown fields: {sorted(unknown)}")
    before = {name: getattr(job, name) for name in TEXT_FIELDS}
    for name, value in changes.items():
        if name in ("required_skills", "preferred_skills"):
            value = _clean_skills(value)
        setattr(job, name, value)
    _validate(job)
    job.save()
    if any(getattr(job, name) != before[name] for name in TEXT_FIELDS):
        # What the job asks for changed, so every applicant's fit may have too.
        enqueue_on_commit(rescore_job, job.pk)
    if hiring_team is not None:
        job.hiring_team.set(list(hiring_team))
    fields = sorted(set(changes) | ({"hiring_team"} if hiring_team is not None else set()))
    audit_record(action="job.updated", actor=by, target=job, details={"fields": fields})
    emit("job.updated", {"job_id": job.pk, "fields": fields})
    return job


@transaction.atomic
def job_publish(*, job: Job, by: AnyUser) -> Job:
    ensure_can_manage_jobs(by)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != Job.Status.DRAFT:
        raise InvalidJobStatus(f"Only a draft job can be published; '{job}' is {job.status}.")
    if not job.description.strip():
        raise InvalidJobStatus("Add a description before publishing.", field="description")
    job.status = Job.Status.OPEN
    job.published_at = timezone.now()
    job.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(action="job.published", actor=by, target=job)
    emit("job.updated", {"job_id": job.pk, "fields": ["published_at", "status"]})
    return job


@transaction.atomic
def job_close(*, job: Job, by: AnyUser) -> Job:
    """Stop taking applications. Open applications stay as they are: a person decides each."""
    ensure_can_manage_jobs(by)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != Job.Status.OPEN:
        raise InvalidJobStatus(f"Only an open job can be closed; '{job}' is {job.status}.")
    job.status = Job.Status.CLOSED
    job.closed_at = timezone.now()
    job.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(action="job.closed", actor=by, target=job)
    emit("job.updated", {"job_id": job.pk, "fields": ["closed_at", "status"]})
    return job


@transaction.atomic
def job_reopen(*, job: Job, by: AnyUser) -> Job:
    ensure_can_manage_jobs(by)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != Job.Status.CLOSED:
        raise InvalidJobStatus(f"Only a closed job can be reopened; '{job}' is {job.status}.")
    job.status = Job.Status.OPEN
    job.closed_at = None
    job.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(action="job.reopened", actor=by, target=job)
    emit("job.updated", {"job_id": job.pk, "fields": ["closed_at", "status"]})
    return job
