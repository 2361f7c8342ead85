"""Taking resume files in (portal, API, import command) and queueing them for parsing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from core.tasks import enqueue_on_commit
from mlcore.parsing import detect_content_type
from mlcore.parsing.filetypes import describe_unsupported

from ..errors import DuplicateResume, UploadRefused
from ..models import Candidate, Job, Resume, UploadBatch, UploadItem
from ..permissions import ensure_can_manage_candidates
from ..tasks import parse_resume
from .resumes import resume_store

ACCEPTED_FORMATS = "PDF, DOCX, plain text, or a PNG, JPEG or TIFF scan"


def upload_check_size(*, size: int, filename: str) -> None:
    """Refuse an oversize file before reading it into memory."""
    limit = settings.MAX_UPLOAD_SIZE
    if size > limit:
        raise UploadRefused(
            f"{filename} is {filesizeformat(size)}; the limit is {filesizeformat(limit)}.",
            http_status=413,
        )


def upload_check(*, data: bytes, filename: str) -> str:
    """The detected content type, or UploadRefused with a message the uploader can act on."""
    upload_check_size(size=len(data), filename=filename)
    if not data:
        raise UploadRefused(f"{filename} is empty.")
    content_type = detect_content_type(data, filename)
    if content_type is None:
        raise UploadRefused(
            f"{filename} is not a resume format SmartHR reads ({ACCEPTED_FORMATS}): "
            f"{describe_unsupported(data, filename)}.",
            http_status=415,
        )
    return content_type


def upload_batch_create(*, by: Any, source: str, job: Job | None = None) -> UploadBatch:
    ensure_can_manage_candidates(by)
    return UploadBatch.objects.create(source=source, job=job, created_by=by)


@transaction.atomic
def resume_upload(
    *,
    by: Any,
    data: bytes,
    filename: str,
    source: str,
    candidate: Candidate | None = None,
    job: Job | None = None,
) -> UploadItem:
    """One file sent on its own (the API): a refusal is an error (UploadRefused,
    DuplicateResume) and nothing is kept, not even an empty batch."""
    upload_check(data=data, filename=filename)
    batch = upload_batch_create(by=by, source=source, job=job)
    return resume_ingest(batch=batch, data=data, filename=filename, candidate=candidate)


def _claim_for(resume: Resume, candidate: Candidate, filename: str) -> Resume:
    """The stored file `resume`, sent again as `candidate`'s: theirs already, or made theirs
    when it belongs to no one yet (a bulk upload not parsed, or not readable). Another
    candidate's file is DuplicateResume: it is never moved, and that candidate never named."""
    if resume.candidate_id is None:
        # Conditional, so that a parse giving it a candidate meanwhile is not overwritten.
        Resume.objects.filter(pk=resume.pk, candidate__isnull=True).update(candidate=candidate)
        resume.refresh_from_db()
    if resume.candidate_id != candidate.pk:
        raise DuplicateResume(filename)
    return resume


@transaction.atomic
def resume_ingest(
    *,
    batch: UploadBatch,
    data: bytes,
    filename: str,
    candidate: Candidate | None = None,
) -> UploadItem:
    """Check, store and queue one file. A refused file becomes a refused item, never an error:
    one bad file must not stop the rest of a batch.

    A file already stored is a duplicate: nothing new is created. Sent for no one in
    particular (a bulk upload: portal, import_resumes, POST /resumes/), the file says whose it
    is, and that candidate is applied to the batch's job. Sent for `candidate` (a candidate's
    own upload), it must be theirs or no one's (then it becomes theirs); another candidate's
    file raises DuplicateResume (docs/decisions.md, "One file, one candidate").
    """
    from .parsing import resume_is_stuck

    filename = (filename or "resume").replace("\\", "/").rsplit("/", 1)[-1][:255] or "resume"
    item = UploadItem(batch=batch, filename=filename, size=len(data))
    try:
        content_type = upload_check(data=data, filename=filename)
    except UploadRefused as exc:
        item.outcome, item.message = UploadItem.Outcome.REFUSED, exc.message
        item.save()
        return item

    resume, created = resume_store(
        data=data,
        filename=filename,
        by=batch.created_by,
        candidate=candidate,
        content_type=content_type,
    )
    item.resume = resume
    if created:
        item.outcome = UploadItem.Outcome.ACCEPTED
        item.save()
        # A broker that is down leaves the resume queued for the sweeper, never an error.
        enqueue_on_commit(parse_resume, resume.pk)
        return item

    if candidate is not None:
        resume = _claim_for(resume, candidate, filename)
        item.resume = resume
    item.outcome = UploadItem.Outcome.DUPLICATE
    owner = resume.candidate
    item.message = f"Same file as {resume.original_name}, uploaded {resume.created_at:%d %b %Y}" + (
        f", resume of {owner}." if owner else "."
    )
    item.save()
    if resume_is_stuck(resume):
        # Its message was lost (or its worker stopped): sending the file again repairs it.
        enqueue_on_commit(parse_resume, resume.pk)
    if owner is not None and batch.job is not None:
        from .parsing import apply_to_batch_job

        apply_to_batch_job(item=item, candidate=owner)
    return item


def resume_ingest_file(
    *, batch: UploadBatch, file: Any, candidate: Candidate | None = None
) -> UploadItem:
    """Ingest an uploaded file object, refusing an oversize one before reading it."""
    name = getattr(file, "name", None) or "resume"
    try:
        upload_check_size(size=file.size, filename=name)
    except UploadRefused as exc:
        return UploadItem.objects.create(
            batch=batch,
            filename=name[:255],
            size=file.size,
            outcome=UploadItem.Outcome.REFUSED,
            message=exc.message,
        )
    return resume_ingest(batch=batch, data=file.read(), filename=name, candidate=candidate)


def upload_item_stuck_reason(
    *, item: UploadItem, parsing_for: timedelta, idle: bool, idle_for: timedelta
) -> str | None:
    """Why an unfinished item counts as stuck, or None: parsing for longer than `parsing_for`
    (its worker stopped or hangs), or still queued while nothing in its batch moved for
    `idle_for` (`idle`: no worker is taking the queue). A stuck item is not lost: the
    sweeper queues it again (docs/decisions.md, "Tasks")."""
    resume = item.resume
    if item.outcome != UploadItem.Outcome.ACCEPTED or resume is None:
        return None
    seconds = int(parsing_for.total_seconds())
    if resume.parse_status == Resume.ParseStatus.PARSING:
        if resume.updated_at < timezone.now() - parsing_for:
            return f"parsing for more than {seconds} s: its worker may have stopped or hung"
    elif resume.parse_status == Resume.ParseStatus.QUEUED and idle:
        return (
            f"still queued after {int(idle_for.total_seconds())} s without progress: "
            "is a worker running?"
        )
    return None
