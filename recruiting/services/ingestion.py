"""Taking resume files in (portal, API, import command) and queueing them for parsing."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from core.tasks import enqueue_on_commit
from mlcore.parsing import detect_content_type
from mlcore.parsing.archives import ArchiveRefused, archive_members, is_resume_archive
from mlcore.parsing.filetypes import describe_unsupported

from ..errors import DuplicateResume, UploadRefused
from ..models import Candidate, Job, Resume, UploadBatch, UploadItem
from ..permissions import ensure_can_manage_candidates
from ..tasks import parse_resume
from .resumes import resume_store

if TYPE_CHECKING:
    from core.roles import AnyUser

ACCEPTED_FORMATS = "PDF, DOCX, plain text, or a PNG, JPEG or TIFF scan"
# Between an archive's name and its member's, in an upload item's file name ("cvs.zip › ada.pdf").
ARCHIVE_MEMBER_SEPARATOR = " › "


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


def _row(user: AnyUser) -> User | None:
    """The user row a "created by" key holds (ensure_can_manage_candidates let only one in)."""
    return user if isinstance(user, User) else None


def upload_batch_create(*, by: AnyUser, source: str, job: Job | None = None) -> UploadBatch:
    ensure_can_manage_candidates(by)
    return UploadBatch.objects.create(source=source, job=job, created_by=_row(by))


@transaction.atomic
def resume_upload(
    *,
    by: AnyUser,
    data: bytes,
    filename: str,
    source: str,
    candidate: Candidate | None = None,
    job: Job | None = None,
) -> UploadItem:
    """One file sent on its own (the API): a refusal is an error (UploadRefused,
    DuplicateResume) and nothing is kept, not even an empty batch."""
    if is_resume_archive(data):
        raise UploadRefused(
            f"{filename} is a zip archive: send one resume per call, or upload the archive "
            "on the portal's Upload resumes page, which opens it.",
            http_status=415,
        )
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
    item_name: str = "",
) -> UploadItem:
    """Check, store and queue one file (`item_name`: what the batch lists it as, when not
    its file name, e.g. "cvs.zip › ada.pdf"). A refused file becomes a refused item, never an error:
    one bad file must not stop the rest of a batch.

    A file already stored is a duplicate: nothing new is created. Sent for no one in
    particular (a bulk upload: portal, import_resumes, POST /resumes/), the file says whose it
    is, and that candidate is applied to the batch's job. Sent for `candidate` (a candidate's
    own upload), it must be theirs or no one's (then it becomes theirs); another candidate's
    file raises DuplicateResume (docs/decisions.md, "One file, one candidate").
    """
    from .parsing import resume_is_stuck

    filename = _clean_name(filename)
    item = UploadItem(batch=batch, filename=(item_name or filename)[:255], size=len(data))
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


def _clean_name(filename: str | None) -> str:
    """The file's own name, without the folders a browser or an archive may give."""
    return (filename or "resume").replace("\\", "/").rsplit("/", 1)[-1][:255] or "resume"


def _refused_item(*, batch: UploadBatch, name: str, size: int, message: str) -> UploadItem:
    return UploadItem.objects.create(
        batch=batch,
        filename=name[:255],
        size=size,
        outcome=UploadItem.Outcome.REFUSED,
        message=message,
    )


def resume_ingest_file(
    *, batch: UploadBatch, file: UploadedFile, candidate: Candidate | None = None
) -> UploadItem:
    """Ingest an uploaded file object, refusing an oversize one before reading it."""
    name = file.name or "resume"
    size = file.size or 0
    try:
        upload_check_size(size=size, filename=name)
    except UploadRefused as exc:
        return _refused_item(batch=batch, name=name, size=size, message=exc.message)
    return resume_ingest(batch=batch, data=file.read(), filename=name, candidate=candidate)


def upload_batch_open(
    *, by: AnyUser, batch_id: uuid.UUID, source: str, job: Job | None = None
) -> UploadBatch:
    """The batch an upload page started: its id is made when the page is drawn, so the first
    file creates it, the next files join it, and a form sent twice finds it again. Another
    person's batch is refused (the id is not a secret to rely on, but a batch is theirs)."""
    ensure_can_manage_candidates(by)
    # get_or_create retries the read when two first files race to create it.
    batch, _ = UploadBatch.objects.get_or_create(
        pk=batch_id, defaults={"source": source, "job": job, "created_by": _row(by)}
    )
    if batch.created_by_id != getattr(by, "pk", None):
        raise UploadRefused(
            "This upload was started by someone else. Reload the page to start your own."
        )
    return batch


def _received_before(*, batch: UploadBatch, data: bytes, filename: str) -> list[UploadItem]:
    """The items this very file already gave in `batch` (same name and content): a double
    click or a form sent again, not a new file."""
    digest = hashlib.sha256(data).hexdigest()
    same = Q(filename=filename, resume__sha256=digest) | Q(
        filename=filename, resume__isnull=True, size=len(data)
    )
    if is_resume_archive(data):
        same |= Q(filename__startswith=f"{filename}{ARCHIVE_MEMBER_SEPARATOR}")
    return list(batch.items.filter(same).select_related("resume").order_by("created_at", "id"))


def _ingest_archive(*, batch: UploadBatch, data: bytes, filename: str) -> list[UploadItem]:
    """Each file of a zip archive becomes an item of the batch; a member that cannot be taken
    is a refused item with its reason, and the others go on."""
    try:
        members = archive_members(data, max_member_bytes=settings.MAX_UPLOAD_SIZE)
    except ArchiveRefused as exc:
        message = f"{filename} was not opened: {exc}."
        return [_refused_item(batch=batch, name=filename, size=len(data), message=message)]
    items = []
    for member in members:
        label = f"{filename}{ARCHIVE_MEMBER_SEPARATOR}{member.path}"
        if member.problem:
            message = f"{member.name} was not read: {member.problem}."
            items.append(_refused_item(batch=batch, name=label, size=member.size, message=message))
        else:
            items.append(
                resume_ingest(batch=batch, data=member.data, filename=member.name, item_name=label)
            )
    return items


@transaction.atomic
def upload_receive(*, batch: UploadBatch, data: bytes, filename: str) -> list[UploadItem]:
    """One file of a portal upload (the form, or the page sending files one by one): a zip
    archive opens into its files, each an item of the batch. The same file sent again to the
    batch gives the items it gave the first time, and nothing new (docs/portal.md, "Upload")."""
    # One file of a batch at a time, so a double submit cannot pass the check twice.
    UploadBatch.objects.select_for_update().filter(pk=batch.pk).first()
    filename = _clean_name(filename)
    earlier = _received_before(batch=batch, data=data, filename=filename)
    if earlier:
        return earlier
    if is_resume_archive(data):
        return _ingest_archive(batch=batch, data=data, filename=filename)
    return [resume_ingest(batch=batch, data=data, filename=filename)]


def upload_receive_file(*, batch: UploadBatch, file: UploadedFile) -> list[UploadItem]:
    """upload_receive for an uploaded file object, refusing an oversize one before reading it."""
    name = _clean_name(file.name)
    size = file.size or 0
    try:
        upload_check_size(size=size, filename=name)
    except UploadRefused as exc:
        with transaction.atomic():
            UploadBatch.objects.select_for_update().filter(pk=batch.pk).first()
            earlier = batch.items.filter(filename=name, resume__isnull=True, size=size)
            if earlier.exists():
                return list(earlier)
            return [_refused_item(batch=batch, name=name, size=size, message=exc.message)]
    return upload_receive(batch=batch, data=file.read(), filename=name)


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
