"""Turning a stored resume into a structured candidate profile."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.events import emit
from core.tasks import TRANSIENT_ERRORS, enqueue, enqueue_on_commit
from mlcore.parsing import PARSER_VERSION, ParsedResume, parse_resume

from ..links import safe_links
from ..models import Application, Candidate, Resume, UploadItem
from ..tasks import PARSE_TIME_LIMIT_S, rescore_candidate
from ..tasks import parse_resume as parse_resume_task
from .applications import application_create

log = logging.getLogger(__name__)

# A resume whose parse was started this many times without finishing (the worker was killed,
# ran out of memory, lost its database) is marked failed instead of being tried again: a file
# that kills workers must not loop through the queue for ever.
MAX_PARSE_ATTEMPTS = 3
# Errors after which the task retries (Celery autoretry) rather than failing the resume.
_RETRIED = (*TRANSIENT_ERRORS, OSError, SoftTimeLimitExceeded)

# Parser output → candidate profile field.
_PROFILE_FROM_PARSE = {
    "name": "full_name",
    "phone": "phone",
    "location": "location",
    "links": "links",
    "skills": "skills",
    "experience": "experience",
    "education": "education",
    "years_experience": "years_experience",
}


def _profile_values(parsed: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, field in _PROFILE_FROM_PARSE.items():
        value = parsed.get(key)
        if value in (None, "", []):
            continue
        if field == "years_experience":
            value = Decimal(str(value)).quantize(Decimal("0.1"))
        elif field in ("full_name", "location", "phone"):
            value = str(value)[:200]
        elif field == "links":
            value = safe_links(value)  # a file's text is not trusted to hold safe links
        values[field] = value
    return values


def candidate_fill_from_parse(*, candidate: Candidate, parsed: dict[str, Any]) -> Candidate:
    """Copy parsed fields onto the profile, except the ones a person edited by hand."""
    edited = set(candidate.edited_fields)
    changed = []
    for field, value in _profile_values(parsed).items():
        if field in edited or getattr(candidate, field) == value:
            continue
        setattr(candidate, field, value)
        changed.append(field)
    if changed:
        candidate.save(update_fields=[*changed, "updated_at"])
    return candidate


def _candidate_for(resume: Resume, parsed: dict[str, Any]) -> Candidate:
    """The resume's candidate: its own, the one with the same e-mail, or a new one."""
    if resume.candidate is not None:
        return resume.candidate
    email = parsed.get("email") or ""
    candidate = Candidate.objects.filter(email=email).first() if email else None
    if candidate is None:
        name = parsed.get("name") or resume.original_name.rsplit(".", 1)[0]
        candidate = Candidate.objects.create(
            full_name=name[:200], email=email, source="resume upload", created_by=resume.uploaded_by
        )
    resume.candidate = candidate
    return candidate


def apply_to_batch_job(*, item: UploadItem, candidate: Candidate) -> None:
    """Apply the candidate to the job the batch was uploaded to; note why not, if refused."""
    batch = item.batch
    if batch.job is None or Application.objects.filter(candidate=candidate, job=batch.job).exists():
        return
    try:
        application_create(
            candidate=candidate,
            job=batch.job,
            by=batch.created_by,
            source=f"upload ({batch.source})",
        )
    except DomainError as exc:
        item.message = f"Not applied to {batch.job}: {exc.message}"
        item.save(update_fields=["message"])


def _claim(resume_id: int, force: bool) -> tuple[Resume, bool]:
    """Mark the resume as parsing unless it is already done with this parser version.

    Returns (resume, go). Every claim counts an attempt; one claim too many (the earlier ones
    never finished) marks the resume failed instead.
    """
    with transaction.atomic():
        resume = Resume.objects.select_for_update().get(pk=resume_id)
        done = (
            resume.parse_status == Resume.ParseStatus.PARSED
            and resume.parser_version == PARSER_VERSION
        )
        if done and not force:
            return resume, False
        if resume.parse_attempts >= MAX_PARSE_ATTEMPTS:
            return _mark_failed(resume, _interrupted_reason(resume.parse_attempts)), False
        resume.parse_status = Resume.ParseStatus.PARSING
        resume.parse_attempts += 1
        resume.save(update_fields=["parse_status", "parse_attempts", "updated_at"])
        return resume, True


def _interrupted_reason(attempts: int) -> str:
    return (
        f"Parsing was started {attempts} times and never finished (the worker stopped, was "
        "killed or ran out of memory). The file is kept and can be parsed again."
    )


def resume_parse(*, resume_id: int, force: bool = False) -> Resume:
    """Parse one stored resume and fill its candidate. Safe to run twice.

    A file that cannot be read keeps its original, gets status "failed" and the parser's
    reason, and never raises: the next file in the queue goes on. Transient errors (the
    database or storage went away, the soft time limit) are raised for the task to retry or
    report; any other error ends the resume "failed" with the error as its reason, never
    stuck "parsing".
    """
    resume, go = _claim(resume_id, force)
    if not go:
        return resume
    try:
        return _parse_claimed(resume)
    except _RETRIED:
        raise
    except Exception as exc:
        log.exception("parsing resume %s failed", resume_id)
        reason = f"The parser stopped with an error ({type(exc).__name__}: {str(exc)[:300]})."
        return resume_mark_failed(resume_id=resume_id, reason=reason + " The file is kept.")


def _parse_claimed(resume: Resume) -> Resume:
    resume_id = resume.pk
    try:
        with resume.file.open("rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return resume_mark_failed(resume_id=resume_id, reason="The stored file is missing.")
    result: ParsedResume = parse_resume(
        data, resume.original_name, max_bytes=settings.MAX_UPLOAD_SIZE
    )
    parsed = result.to_json_dict(resume.original_name)

    with transaction.atomic():
        resume = Resume.objects.select_for_update().get(pk=resume_id)
        resume.text = result.text
        resume.model_text, resume.model_text_version = "", ""  # prepared again on use
        resume.parsed = parsed
        resume.parser_version = result.parser_version
        resume.parsed_at = timezone.now()
        resume.parse_attempts = 0
        if result.content_type:
            resume.content_type = result.content_type
        # A scan read by OCR says how sure the engine was; a low confidence asks a person.
        resume.ocr_confidence = result.ocr_confidence
        resume.needs_check = result.needs_check
        if not result.ok:
            resume.parse_status = Resume.ParseStatus.FAILED
            resume.parse_error = result.error or "The file could not be read."
            resume.save()
            return resume
        resume.parse_status, resume.parse_error = Resume.ParseStatus.PARSED, ""
        candidate = _candidate_for(resume, parsed)
        resume.save()
        candidate_fill_from_parse(candidate=candidate, parsed=parsed)
        for item in resume.upload_items.select_related("batch__job", "batch__created_by"):
            apply_to_batch_job(item=item, candidate=candidate)
        emit("resume.parsed", {"resume_id": resume.pk, "candidate_id": candidate.pk})
        # A new resume changes what the candidate fits: embed it, re-score their applications.
        enqueue_on_commit(rescore_candidate, candidate.pk)
    return resume


def resume_mark_failed(*, resume_id: int, reason: str) -> Resume:
    """Record why a resume could not be parsed (the original file stays)."""
    with transaction.atomic():
        return _mark_failed(Resume.objects.select_for_update().get(pk=resume_id), reason)


def _mark_failed(resume: Resume, reason: str) -> Resume:
    resume.parse_status, resume.parse_error = Resume.ParseStatus.FAILED, reason
    resume.parser_version = PARSER_VERSION
    resume.parse_attempts = 0
    fields = ["parse_status", "parse_error", "parser_version", "parse_attempts", "updated_at"]
    resume.save(update_fields=fields)
    return resume


# --- pending work (docs/decisions.md, "Tasks") -------------------------------------------


def _parsing_deadline() -> timedelta:
    """How long a resume may stay "parsing" before it counts as interrupted: longer than the
    task's hard time limit, so a parse still running is never queued a second time."""
    return max(
        timedelta(seconds=settings.PENDING_WORK_DEADLINE_S),
        timedelta(seconds=PARSE_TIME_LIMIT_S + 60),
    )


def resume_is_stuck(resume: Resume) -> bool:
    """Queued, or parsing past the deadline: its message was lost or its worker stopped."""
    if resume.parse_status == Resume.ParseStatus.QUEUED:
        return True
    return (
        resume.parse_status == Resume.ParseStatus.PARSING
        and resume.updated_at < timezone.now() - _parsing_deadline()
    )


def resumes_requeue_stuck(
    *,
    queued_for: timedelta | None = None,
    parsing_for: timedelta | None = None,
    limit: int = 1000,
) -> int:
    """Queue again the resumes queued longer than `queued_for` (their message was lost: the
    broker was down, or restarted without persistence) and those "parsing" longer than
    `parsing_for` (their worker stopped); one started too often is marked failed instead.

    Returns how many were queued. Each is touched, so the next sweep waits a deadline again.
    """
    now = timezone.now()
    if queued_for is None:
        queued_for = timedelta(seconds=settings.PENDING_WORK_DEADLINE_S)
    if parsing_for is None:
        parsing_for = _parsing_deadline()
    fields = ("pk", "parse_status", "parse_attempts")
    queued = Resume.objects.filter(
        parse_status=Resume.ParseStatus.QUEUED, updated_at__lt=now - queued_for
    )
    parsing = Resume.objects.filter(
        parse_status=Resume.ParseStatus.PARSING, updated_at__lt=now - parsing_for
    )
    stuck = [
        *queued.order_by("updated_at").values_list(*fields)[:limit],
        *parsing.order_by("updated_at").values_list(*fields)[:limit],
    ]
    sent = 0
    for pk, status, attempts in stuck:
        if status == Resume.ParseStatus.PARSING and attempts >= MAX_PARSE_ATTEMPTS:
            resume_mark_failed(resume_id=pk, reason=_interrupted_reason(attempts))
            continue
        if not enqueue(parse_resume_task, pk):
            break  # the broker is still down: the next sweep tries again
        Resume.objects.filter(pk=pk, parse_status=status).update(updated_at=timezone.now())
        sent += 1
    if stuck:
        log.info("resume sweep: %d stuck, %d queued again", len(stuck), sent)
    return sent
