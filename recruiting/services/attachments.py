"""A candidate's attachments other than resumes (cover letter, portfolio, other): added,
opened and removed by the people who manage candidates; every opening is audited."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from audit.services import audit_record
from core.errors import NotAllowed
from core.events import emit
from core.roles import signed_in
from mlcore.parsing.filetypes import describe_unsupported, detect_content_type

from ..errors import UploadRefused
from ..models import Candidate, CandidateAttachment
from ..permissions import ensure_can_manage_candidates

if TYPE_CHECKING:
    from core.roles import AnyUser

ATTACHMENT_FORMATS = "a PDF, DOCX or plain-text document, or an image (PNG, JPEG, TIFF)"


def _clean_name(filename: str) -> str:
    name = os.path.basename((filename or "").replace("\\", "/")).strip() or "attachment"
    return name[-255:]


def attachment_check(*, data: bytes, filename: str) -> str:
    """The type read from the file's content, or UploadRefused saying what is taken."""
    limit = settings.MAX_UPLOAD_SIZE
    if len(data) > limit:
        raise UploadRefused(
            f"{filename} is {filesizeformat(len(data))}; the limit is {filesizeformat(limit)}.",
            http_status=413,
        )
    if not data:
        raise UploadRefused(f"{filename} is empty.")
    content_type = detect_content_type(data, filename)
    if content_type is None:
        raise UploadRefused(
            f"{filename} is not a format SmartHR keeps ({ATTACHMENT_FORMATS}): "
            f"{describe_unsupported(data, filename)}.",
            http_status=415,
        )
    return content_type


@transaction.atomic
def attachment_add(
    *, candidate: Candidate, by: AnyUser, kind: str, data: bytes, filename: str
) -> CandidateAttachment:
    """Store a document of the candidate (recruiters): checked by content, not by name."""
    ensure_can_manage_candidates(by)
    if kind not in CandidateAttachment.Kind.values:
        options = ", ".join(CandidateAttachment.Kind.values)
        raise UploadRefused(f"'{kind}' is not a kind of attachment; use one of: {options}.")
    content_type = attachment_check(data=data, filename=filename)
    attachment = CandidateAttachment(
        candidate=candidate,
        kind=kind,
        original_name=_clean_name(filename),
        content_type=content_type,
        size=len(data),
        uploaded_by=signed_in(by),
    )
    attachment.file.save("file", ContentFile(data), save=False)
    attachment.save()
    # Ids and the kind only: the file's name may carry the candidate's.
    audit_record(
        action="attachment.added",
        actor=by,
        target=attachment,
        details={"candidate_id": candidate.pk, "kind": kind},
    )
    emit("candidate.updated", {"candidate_id": candidate.pk, "fields": ["attachments"]})
    return attachment


def attachment_file_open(*, attachment: CandidateAttachment, by: AnyUser) -> Any:
    """The stored file, opened for `by`; withheld while blind screening hides whose it is
    (a cover letter names its writer), as a resume's file is. FileNotFoundError if gone."""
    from ..blind import identity_hidden

    if identity_hidden(by, attachment.candidate):
        raise NotAllowed("The file is withheld during blind screening.")
    handle = attachment.file.open("rb")
    audit_record(
        action="attachment.downloaded",
        actor=by,
        target=attachment,
        details={"candidate_id": attachment.candidate_id},
    )
    return handle


@transaction.atomic
def attachment_delete(*, attachment: CandidateAttachment, by: AnyUser) -> None:
    """Remove the document and its file (recruiters)."""
    ensure_can_manage_candidates(by)
    candidate_id, pk, kind = attachment.candidate_id, attachment.pk, attachment.kind
    name = attachment.file.name or ""
    storage = attachment.file.storage
    attachment.delete()
    if name:  # the file goes once the row's removal is committed
        transaction.on_commit(lambda: storage.delete(name))
    audit_record(
        action="attachment.deleted",
        actor=by,
        target_type="recruiting.candidateattachment",
        target_id=pk,
        details={"candidate_id": candidate_id, "kind": kind},
    )
    emit("candidate.updated", {"candidate_id": candidate_id, "fields": ["attachments"]})
