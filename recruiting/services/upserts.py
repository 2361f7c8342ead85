"""Upserts by an integration's own id (`external_id`): one race-safe pattern for every record.

An ATS sends the same job, candidate or application again (a retry, a second sync worker):
the first request creates it, every later one finds it. An external_id belongs to the system
that sent it (`external_system`, "integration:<id>"; integrations.auth.external_system_of):
two integrations may use the same id for different records. The pattern, the same for all
three:

1. Serialise requests for one (system, external_id): a transaction-scoped PostgreSQL
   advisory lock on (table, system, external_id). SQLite needs none: its writing
   transactions already run one at a time (`transaction_mode` IMMEDIATE in settings).
2. Find the row by (system, external_id), locked (`select_for_update`): found means update
   it (jobs, candidates) or return it (applications: the stage moves only through the
   actions; another candidate or job is a conflict, 409).
3. Not found: create it in a savepoint. The partial unique constraint on (system,
   external_id) is the last word: a writer that does not take the lock (a PATCH that sets the
   same external_id) makes the insert fail with IntegrityError, and the upsert then finds
   that row and takes the "found" path, as it would have had it come second.

Each returns (record, created); the API answers 201 or 200 from it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError, connection, models, transaction

from .. import selectors
from ..errors import AlreadyApplied, ExternalIdConflict
from ..models import Application, Candidate, Job
from .applications import application_create
from .candidates import candidate_create, candidate_update_profile
from .jobs import job_create, job_publish, job_update

if TYPE_CHECKING:
    from core.roles import AnyUser

T = TypeVar("T")


def _lock_external_id(model: type[models.Model], system: str, external_id: str) -> None:
    if connection.vendor != "postgresql":
        return
    name = f"{model._meta.db_table}:{system}:{external_id}".encode()
    key = int.from_bytes(hashlib.blake2b(name, digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _find(model: type[models.Model], system: str, external_id: str) -> int | None:
    return (
        model._default_manager.select_for_update()
        .filter(external_system=system, external_id=external_id)
        .values_list("pk", flat=True)
        .first()
    )


def _find_or_create(
    model: type[models.Model],
    system: str,
    external_id: str,
    create: Callable[[], T],
    clash: tuple[type[Exception], ...] = (IntegrityError,),
) -> tuple[int | None, T | None]:
    """(pk of the row with this external_id of `system`, None), or (None, what `create`
    made)."""
    if not external_id:
        return None, create()
    _lock_external_id(model, system, external_id)
    found = _find(model, system, external_id)
    if found is not None:
        return found, None
    try:
        with transaction.atomic():
            return None, create()
    except clash:
        found = _find(model, system, external_id)
        if found is None:  # the clash was about something else (e.g. already applied)
            raise
        return found, None


@transaction.atomic
def job_upsert(
    *, by: AnyUser, external_system: str = "", publish: bool = False, **fields: Any
) -> tuple[Job, bool]:
    """Create a job, or update the one with this external_id of `external_system`; publish a
    draft if asked."""
    external_id = fields.get("external_id") or ""
    if external_id:
        fields["external_system"] = external_system
    found, job = _find_or_create(
        Job, external_system, external_id, lambda: job_create(by=by, **fields)
    )
    if found is not None:
        job = job_update(job=selectors.job_get(user=by, pk=found), by=by, **fields)
    assert job is not None
    if publish and job.status == Job.Status.DRAFT:
        job = job_publish(job=job, by=by)
    return job, found is None


@transaction.atomic
def candidate_upsert(
    *, by: AnyUser, external_system: str = "", **fields: Any
) -> tuple[Candidate, bool]:
    """Add a candidate (or get the one with this e-mail, unchanged, as candidate_create does),
    or update the profile of the one with this external_id of `external_system`."""
    external_id = fields.get("external_id") or ""
    if external_id:
        fields["external_system"] = external_system
    found, candidate = _find_or_create(
        Candidate, external_system, external_id, lambda: candidate_create(by=by, **fields)
    )
    if found is not None:
        changes = {k: v for k, v in fields.items() if k not in ("external_id", "external_system")}
        candidate = candidate_update_profile(
            candidate=selectors.candidate_get(user=by, pk=found), by=by, **changes
        )
    assert candidate is not None
    return candidate, found is None


@transaction.atomic
def application_upsert(
    *,
    by: AnyUser,
    candidate_id: int,
    job_id: int,
    source: str = "",
    external_id: str = "",
    external_system: str = "",
) -> tuple[Application, bool]:
    """Apply a candidate to a job, or return the application with this external_id of
    `external_system` as it is. That application for another candidate or job is
    ExternalIdConflict (409): an application never changes candidate or job, and answering
    the old one as if it were the one asked for would hide the client's mistake."""

    def create() -> Application:
        candidate = selectors.candidate_get(user=by, pk=candidate_id)
        job = selectors.job_get(user=by, pk=job_id)
        return application_create(
            candidate=candidate,
            job=job,
            by=by,
            source=source,
            external_id=external_id,
            external_system=external_system if external_id else "",
        )

    # application_create reports a unique clash as AlreadyApplied.
    found, application = _find_or_create(
        Application, external_system, external_id, create, clash=(IntegrityError, AlreadyApplied)
    )
    if found is not None:
        application = selectors.application_get(user=by, pk=found)
        _ensure_same_application(application, candidate_id=candidate_id, job_id=job_id)
    assert application is not None
    return application, found is None


def _ensure_same_application(application: Application, *, candidate_id: int, job_id: int) -> None:
    differs = [
        f"{name} {sent}"
        for name, stored, sent in (
            ("candidate", application.candidate_id, candidate_id),
            ("job", application.job_id, job_id),
        )
        if stored != sent
    ]
    if differs:
        raise ExternalIdConflict(
            f"external_id '{application.external_id}' is already application "
            f"{application.pk}, of candidate {application.candidate_id} to job "
            f"{application.job_id}; this request names {' and '.join(differs)}. An "
            "application's candidate and job never change: send a new external_id for a new "
            "application.",
            field="external_id",
        )
