"""Turning a stored resume into a structured candidate profile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from core.events import emit
from mlcore.parsing import PARSER_VERSION, ParsedResume, parse_resume

from ..links import safe_links
from ..models import Application, Candidate, Resume, UploadItem
from ..tasks import rescore_candidate
from .applications import application_create

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
    if resume.candidate_id is not None:
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


def _claim(resume_id: int, force: bool) -> Resume | None:
    """Mark the resume as parsing unless it is already done with this parser version."""
    with transaction.atomic():
        resume = Resume.objects.select_for_update().get(pk=resume_id)
        done = (
            resume.parse_status == Resume.ParseStatus.PARSED
            and resume.parser_version == PARSER_VERSION
        )
        if done and not force:
            return None
        resume.parse_status = Resume.ParseStatus.PARSING
        resume.save(update_fields=["parse_status", "updated_at"])
        return resume


def resume_parse(*, resume_id: int, force: bool = False) -> Resume:
    """Parse one stored resume and fill its candidate. Safe to run twice.

    A file that cannot be read keeps its original, gets status "failed" and the parser's
    reason, and never raises: the next file in the queue goes on.
    """
    resume = _claim(resume_id, force)
    if resume is None:
        return Resume.objects.get(pk=resume_id)
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
        if result.content_type:
            resume.content_type = result.content_type
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
        transaction.on_commit(lambda: rescore_candidate.delay(candidate.pk))
    return resume


def resume_mark_failed(*, resume_id: int, reason: str) -> Resume:
    """Record why a resume could not be parsed (the original file stays)."""
    with transaction.atomic():
        resume = Resume.objects.select_for_update().get(pk=resume_id)
        resume.parse_status, resume.parse_error = Resume.ParseStatus.FAILED, reason
        resume.parser_version = PARSER_VERSION
        resume.save(update_fields=["parse_status", "parse_error", "parser_version", "updated_at"])
        return resume
