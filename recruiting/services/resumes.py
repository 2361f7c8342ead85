"""Storing resume files as uploaded, one row per distinct file (by SHA-256)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from ..models import Candidate, Resume


def resume_store(
    *,
    data: bytes,
    filename: str,
    by: Any,
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
        uploaded_by=by if getattr(by, "pk", None) else None,
    )
    resume.file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            resume.save()
    except IntegrityError:
        resume.file.delete(save=False)
        return Resume.objects.get(sha256=digest), False
    return resume, True
