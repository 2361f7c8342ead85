"""Storing resume files as uploaded, one row per distinct file (by SHA-256)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from ..models import Candidate, Resume

if TYPE_CHECKING:
    from core.roles import AnyUser


def resume_store(
    *,
    data: bytes,
    filename: str,
    by: AnyUser,
    candidate: Candidate | None = None,
    content_type: str = "",
) -> tuple[Resume, bool]:
    """Keep the file exactly as uploaded; the same bytes twice give the same Resume.

    Returns (resume, created). A known file is returned untouched, whoever sent it.
    """
    digest = hashlib.sha256(data).hexdigest()
    existing = Resume.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    resume = Resume(
        candidate=candidate,
        original_name=filename[:255],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=by if isinstance(by, User) and by.pk else None,
    )
    resume.file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            resume.save()
    except IntegrityError:
        resume.file.delete(save=False)
        return Resume.objects.get(sha256=digest), False
    return resume, True


def resume_file_open(*, resume: Resume, by: AnyUser, inline: bool = False) -> Any:
    """The stored file, opened for `by` to download or view; withheld while blind screening
    hides whose it is, and every opening is in the audit log. Raises FileNotFoundError when
    the file is gone (erased or lost)."""
    from audit.services import audit_record
    from core.errors import NotAllowed

    from ..blind import identity_hidden

    if resume.candidate is not None and identity_hidden(by, resume.candidate):
        raise NotAllowed(
            "The original file is withheld during blind screening; the candidate page shows "
            "its text with personal details masked."
        )
    handle = resume.file.open("rb")
    audit_record(
        action="resume.downloaded",
        actor=by,
        target=resume,
        details={"candidate_id": resume.candidate_id, "inline": inline},
    )
    return handle
