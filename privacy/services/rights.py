"""Candidate rights: export everything held about a candidate, erase it on request.

Erasure and retention anonymisation share one scrub: personal data, files, embeddings and
explanation texts go; applications, stage history and scores stay as anonymous rows, so
pipeline statistics (and the bias audit's counts) still add up.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from recruiting.models import (
    Application,
    Candidate,
    FitScore,
    Note,
    Resume,
    ResumeEmbedding,
    Scorecard,
    StageEvent,
    UploadItem,
)

from ..errors import AlreadyErased, ErasureRefused
from ..models import CandidateErasure, SelfIdentification, SelfIdInvitation
from ..permissions import ensure_hr_admin

log = logging.getLogger(__name__)

EXPORT_VERSION = 1
# Explanation keys that say nothing about the person's text: kept after erasure.
KEPT_EXPLANATION_KEYS = ("matched_skills", "missing_skills", "matched_preferred", "meets_min_years")
ERASED = "[erased]"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | memoryview):
        return None
    raise TypeError(f"cannot export {type(value).__name__}")


def _fields(obj: Any, names: list[str]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names}


def _safe_name(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)[:120] or "file"


def candidate_export_data(candidate: Candidate) -> dict[str, Any]:
    """Everything held about the candidate, as JSON-able data (files listed, not included)."""
    profile = _fields(
        candidate,
        [
            "id",
            "full_name",
            "email",
            "phone",
            "location",
            "links",
            "source",
            "consent_given_at",
            "retain_until",
            "tags",
            "external_id",
            "headline",
            "summary",
            "skills",
            "experience",
            "education",
            "years_experience",
            "created_at",
            "updated_at",
        ],
    )
    resumes = []
    for resume in Resume.objects.filter(candidate=candidate).order_by("id"):
        data = _fields(
            resume,
            [
                "id",
                "original_name",
                "content_type",
                "size",
                "sha256",
                "parse_status",
                "parse_error",
                "parsed",
                "parser_version",
                "parsed_at",
                "created_at",
            ],
        )
        data["text"] = resume.text
        data["model_text"] = resume.model_text  # what the fit model read: blinded
        data["file"] = f"files/resume-{resume.pk}-{_safe_name(resume.original_name)}"
        resumes.append(data)
    applications = []
    queryset = (
        Application.objects.filter(candidate=candidate)
        .select_related("job")
        .prefetch_related("stage_events", "scores", "scorecards")
        .order_by("id")
    )
    for application in queryset:
        data = _fields(
            application,
            [
                "id",
                "stage",
                "source",
                "applied_at",
                "stage_changed_at",
                "rejected_at",
                "rejection_reason",
                "withdrawn_at",
                "withdrawal_reason",
                "hired_at",
            ],
        )
        data["job"] = {"id": application.job_id, "title": application.job.title}
        data["stage_events"] = [
            _fields(e, ["from_stage", "to_stage", "note", "at"])
            for e in application.stage_events.all()
        ]
        data["scores"] = [
            _fields(
                s,
                [
                    "score",
                    "model_version",
                    "explanation",
                    "computed_at",
                    "override_score",
                    "override_reason",
                    "overridden_at",
                ],
            )
            for s in application.scores.all()
        ]
        data["scorecards"] = [
            _fields(c, ["stage", "recommendation", "ratings", "comment", "submitted_at"])
            for c in application.scorecards.all()
        ]
        applications.append(data)
    notes = [
        _fields(n, ["application_id", "body", "created_at"])
        for n in Note.objects.filter(candidate=candidate).order_by("id")
    ]
    self_id = SelfIdentification.objects.filter(candidate=candidate).first()
    return {
        "format": "smarthr-candidate-export",
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "candidate": profile,
        "resumes": resumes,
        "applications": applications,
        "notes": notes,
        "self_identification": (
            {**self_id.groups(), "submitted_at": self_id.submitted_at} if self_id else None
        ),
    }


def candidate_export(*, candidate: Candidate, by: Any) -> bytes:
    """A zip: candidate.json plus the original resume files. Writes an audit entry."""
    ensure_hr_admin(by, "export candidate data")
    data = candidate_export_data(candidate)
    buffer = io.BytesIO()
    missing = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for resume, entry in zip(
            Resume.objects.filter(candidate=candidate).order_by("id"), data["resumes"], strict=True
        ):
            try:
                with resume.file.open("rb") as fh:
                    archive.writestr(entry["file"], fh.read())
            except (FileNotFoundError, ValueError):
                entry["file"] = None  # the row is there, the stored file is not
                missing += 1
        archive.writestr(
            "candidate.json", json.dumps(data, indent=2, default=_json_default, ensure_ascii=False)
        )
    audit_record(
        action="candidate.exported",
        actor=by,
        target=candidate,
        details={
            "resumes": len(data["resumes"]),
            "missing_files": missing,
            "applications": len(data["applications"]),
            "notes": len(data["notes"]),
        },
    )
    return buffer.getvalue()


# --- erasure and anonymisation -----------------------------------------------------------

PROFILE_BLANKS: dict[str, Any] = {
    "full_name": "",
    "email": "",
    "phone": "",
    "location": "",
    "links": [],
    "tags": [],
    "external_id": "",
    "headline": "",
    "summary": "",
    "skills": [],
    "experience": [],
    "education": [],
    "years_experience": None,
    "edited_fields": [],
    "consent_given_at": None,
    "retain_until": None,
}


def _delete_file(resume: Resume) -> bool:
    if not resume.file or not resume.file.name:
        return False
    try:
        resume.file.storage.delete(resume.file.name)
        return True
    except OSError:
        # The row goes anyway; a file left behind is logged (by id, never by name).
        log.warning("could not delete the file of resume %s", resume.pk)
        return False


def _scrub(candidate: Candidate) -> dict[str, int | list[str]]:
    """Remove the candidate's personal data; returns what was removed, as counts."""
    resumes = list(Resume.objects.filter(candidate=candidate))
    resume_ids = [r.pk for r in resumes]
    removed: dict[str, int | list[str]] = {
        "profile_fields": sorted(
            name for name, blank in PROFILE_BLANKS.items() if getattr(candidate, name) != blank
        ),
        "embeddings": ResumeEmbedding.objects.filter(resume_id__in=resume_ids).delete()[0],
    }
    UploadItem.objects.filter(resume_id__in=resume_ids).update(filename=ERASED, message="")
    files = 0
    for resume in resumes:
        files += _delete_file(resume)
    removed["files"] = files
    removed["resumes"] = (
        Resume.objects.filter(pk__in=resume_ids).delete()[1].get(Resume._meta.label, 0)
    )
    applications = Application.objects.filter(candidate=candidate)
    explanations = 0
    for fit in FitScore.objects.filter(application__in=applications):
        kept = {k: fit.explanation[k] for k in KEPT_EXPLANATION_KEYS if k in fit.explanation}
        if kept != fit.explanation or fit.override_reason:
            fit.explanation = kept
            fit.override_reason = ERASED if fit.override_reason else ""
            fit.save(update_fields=["explanation", "override_reason"])
            explanations += 1
    removed["explanations"] = explanations
    removed["notes"] = Note.objects.filter(candidate=candidate).delete()[0]
    removed["scorecard_comments"] = (
        Scorecard.objects.filter(application__in=applications)
        .exclude(comment="")
        .update(comment="")
    )
    removed["stage_notes"] = (
        StageEvent.objects.filter(application__in=applications).exclude(note="").update(note="")
    )
    applications.update(rejection_reason="", withdrawal_reason="", external_id="")
    removed["self_identification"] = SelfIdentification.objects.filter(
        candidate=candidate
    ).delete()[0]
    SelfIdInvitation.objects.filter(candidate=candidate).delete()
    for name, blank in PROFILE_BLANKS.items():
        setattr(candidate, name, blank)
    candidate.save()
    return removed


def _ensure_not_erased(candidate: Candidate) -> None:
    if CandidateErasure.objects.filter(candidate=candidate).exists():
        raise AlreadyErased(f"Candidate #{candidate.pk} was already erased.")


@transaction.atomic
def candidate_erase(*, candidate: Candidate, by: Any, reason: str) -> CandidateErasure:
    """Erase on the candidate's request. The audit entry says what and by whom, not the data."""
    ensure_hr_admin(by, "erase candidates")
    reason = (reason or "").strip()
    if not reason:
        raise ErasureRefused("Give the reason for the erasure (e.g. the request's reference).")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _ensure_not_erased(candidate)
    removed = _scrub(candidate)
    erasure = CandidateErasure.objects.create(
        candidate=candidate,
        kind=CandidateErasure.Kind.ERASED,
        reason=reason[:300],
        by=by,
        removed=removed,
    )
    audit_record(
        action="candidate.erased",
        actor=by,
        target=candidate,
        details={"removed": removed, "reason": reason[:300]},
    )
    return erasure


@transaction.atomic
def candidate_anonymise(
    *, candidate: Candidate, by: Any = None, retention_date: date | None = None
) -> CandidateErasure:
    """Anonymise a candidate past their retention date (the retention task calls this)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _ensure_not_erased(candidate)
    removed = _scrub(candidate)
    reason = f"retention date {retention_date} passed" if retention_date else "retention"
    erasure = CandidateErasure.objects.create(
        candidate=candidate,
        kind=CandidateErasure.Kind.ANONYMISED,
        reason=reason,
        by=by if getattr(by, "pk", None) else None,
        removed=removed,
    )
    audit_record(
        action="candidate.anonymised",
        actor=by,
        target=candidate,
        details={"removed": removed, "retention_date": str(retention_date or "")},
    )
    return erasure
