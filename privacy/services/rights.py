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
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from audit.services import audit_record
from hr.models import Employee
from recruiting.models import (
    Application,
    Candidate,
    CandidateAttachment,
    FitScore,
    Interview,
    Note,
    Offer,
    OutboundEmail,
    Resume,
    ResumeEmbedding,
    Scorecard,
    StageEvent,
    UploadItem,
)
from recruiting.services.emails import candidate_correspondence_erase
from recruiting.services.search_index import search_index_compact

from ..errors import AlreadyErased, ErasureRefused
from ..models import CandidateErasure, SelfIdentification, SelfIdInvitation
from ..permissions import ensure_hr_admin

if TYPE_CHECKING:
    from django.contrib.auth.models import User

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


# What the export holds of each model, field by field (in this order), and why each other field
# of these models, and each other model holding a candidate's data, is left out. A field or
# model in neither fails tests/privacy/test_export_fields.py: a new one needs a decision here.
EXPORTED_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Candidate: (
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
    ),
    CandidateAttachment: ("id", "kind", "original_name", "content_type", "size", "created_at"),
    Resume: (
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
        "text",
        "model_text",  # what the fit model read: blinded
    ),
    Application: (
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
    ),
    StageEvent: ("from_stage", "to_stage", "note", "at"),
    FitScore: (
        "score",
        "model_version",
        "explanation",
        "computed_at",
        "override_score",
        "override_reason",
        "overridden_at",
    ),
    Scorecard: ("stage", "recommendation", "ratings", "comment", "submitted_at"),
    Note: ("application_id", "body", "created_at"),
    Interview: (
        "status",
        "starts_at",
        "duration_minutes",
        "time_zone",
        "location",
        "video_url",
        "cancelled_at",
        "cancel_reason",
        "created_at",
    ),
    Offer: (
        "status",
        "salary_amount",
        "salary_currency",
        "start_date",
        "expires_on",
        "note",
        "sent_at",
        "decided_at",
        "created_at",
    ),
    OutboundEmail: (
        "application_id",
        "kind",
        "to_candidate",
        "subject",
        "body",
        "status",
        "created_at",
        "sent_at",
    ),
}
# Exported in another shape than its fields.
EXPORTED_OTHERWISE: dict[type[Model], dict[str, str]] = {
    Resume: {"file": "the original file, in the zip (files/resume-<id>-<name>)"},
    CandidateAttachment: {"file": "the original file, in the zip (files/attachment-<id>-<name>)"},
    Application: {"job": "as {id, title}"},
    SelfIdentification: {
        "sex": "self_identification, UNKNOWN when left empty",
        "race_ethnicity": "self_identification",
        "age_band": "self_identification",
        "disability": "self_identification",
        "veteran": "self_identification",
        "submitted_at": "self_identification",
    },
}
LINK = "a link between rows exported in place (nested under their owner)"
WHO = "the user of ours who did it: not the candidate's data"
NOT_EXPORTED: dict[type[Model], dict[str, str]] = {
    CandidateAttachment: {"candidate": LINK, "uploaded_by": WHO},
    Candidate: {
        "external_system": "which integration numbered external_id: our bookkeeping",
        "edited_fields": "names of fields a person edited (parsing must not overwrite): ours",
        "created_by": WHO,
    },
    Resume: {
        "candidate": LINK,
        "model_text_version": "the version of the blinding that made model_text",
        "parse_attempts": "a retry counter of the parser",
        "ocr_confidence": "the OCR's own confidence in its reading, not about the person",
        "needs_check": "a flag for recruiters to look at a poor OCR reading",
        "uploaded_by": WHO,
        "updated_at": "when the row last changed: bookkeeping (created_at and parsed_at are in)",
    },
    Application: {
        "candidate": LINK,
        "external_id": "another system's id of the application: its bookkeeping",
        "external_system": "which integration numbered external_id: our bookkeeping",
        "rejection_category": "the reason is exported in words (rejection_reason)",
        "created_at": "the same moment as applied_at",
        "updated_at": "when the row last changed: bookkeeping",
    },
    StageEvent: {
        "id": "a row number",
        "application": LINK,
        "by": WHO,
        "skipped_stages": "derived from from_stage and to_stage",
        "notified_at": "when our stage e-mail task ran: bookkeeping",
    },
    FitScore: {
        "id": "a row number",
        "application": LINK,
        "overridden_by": WHO,
    },
    Scorecard: {
        "id": "a row number",
        "application": LINK,
        "interviewer": "the interviewer's identity: a colleague's, not the candidate's data",
        "interview": LINK,
    },
    Note: {"id": "a row number", "candidate": LINK, "author": WHO},
    Interview: {
        "id": "a row number",
        "application": LINK,
        "uid": "the calendar event's id, for updating invitations: ours",
        "sequence": "the calendar event's revision number: ours",
        "scheduled_by": WHO,
        "interviewers": "colleagues' identities, not the candidate's data",
        "updated_at": "when the row last changed: bookkeeping",
    },
    Offer: {
        "id": "a row number",
        "application": LINK,
        "created_by": WHO,
        "updated_at": "when the row last changed: bookkeeping",
    },
    OutboundEmail: {
        "id": "a row number",
        "candidate": LINK,
        "interview": LINK,
        "template": "which of our templates wrote it: ours",
        "recipient": "the candidate's own address (in the profile) or a colleague's",
        "ics": "the calendar file of an interview, exported under its application",
        "attempts": "delivery retries: bookkeeping",
        "error": "the mail server's answer to a failed try: bookkeeping",
        "created_by": WHO,
        "updated_at": "when the row last changed: bookkeeping",
    },
    SelfIdentification: {"id": "a row number", "candidate": LINK},
}
# Models that hold rows about a candidate and are not exported at all.
NOT_EXPORTED_MODELS: dict[type[Model], str] = {
    ResumeEmbedding: "numbers computed from the resume text, which is exported",
    UploadItem: "an upload's log line (file name and outcome); the resume itself is exported",
    SelfIdInvitation: "a hashed one-time link we sent; nothing the candidate gave",
    CandidateErasure: "our record of an erasure or anonymisation: it outlives the data",
    Employee: "the employee record of a hired candidate: HR's data about an employee",
}


def _profile(candidate: Candidate) -> dict[str, Any]:
    return _fields(candidate, list(EXPORTED_FIELDS[Candidate]))


def _attachments(candidate: Candidate) -> list[dict[str, Any]]:
    attachments = []
    for attachment in CandidateAttachment.objects.filter(candidate=candidate).order_by("id"):
        data = _fields(attachment, list(EXPORTED_FIELDS[CandidateAttachment]))
        data["file"] = f"files/attachment-{attachment.pk}-{_safe_name(attachment.original_name)}"
        attachments.append(data)
    return attachments


def _resumes(candidate: Candidate) -> list[dict[str, Any]]:
    resumes = []
    for resume in Resume.objects.filter(candidate=candidate).order_by("id"):
        data = _fields(resume, list(EXPORTED_FIELDS[Resume]))
        data["file"] = f"files/resume-{resume.pk}-{_safe_name(resume.original_name)}"
        resumes.append(data)
    return resumes


def _applications(candidate: Candidate) -> list[dict[str, Any]]:
    applications = []
    queryset = (
        Application.objects.filter(candidate=candidate)
        .select_related("job")
        .prefetch_related("stage_events", "scores", "scorecards", "interviews", "offers")
        .order_by("id")
    )
    for application in queryset:
        data = _fields(application, list(EXPORTED_FIELDS[Application]))
        data["job"] = {"id": application.job_id, "title": application.job.title}
        data["stage_events"] = [
            _fields(e, list(EXPORTED_FIELDS[StageEvent])) for e in application.stage_events.all()
        ]
        data["scores"] = [
            _fields(s, list(EXPORTED_FIELDS[FitScore])) for s in application.scores.all()
        ]
        data["scorecards"] = [
            _fields(c, list(EXPORTED_FIELDS[Scorecard])) for c in application.scorecards.all()
        ]
        data["interviews"] = [
            _fields(i, list(EXPORTED_FIELDS[Interview])) for i in application.interviews.all()
        ]
        data["offers"] = [
            _fields(o, list(EXPORTED_FIELDS[Offer]))
            for o in sorted(application.offers.all(), key=lambda offer: offer.pk)
        ]
        applications.append(data)
    return applications


def candidate_export_data(candidate: Candidate) -> dict[str, Any]:
    """Everything held about the candidate, as JSON-able data (files listed, not included)."""
    notes = [
        _fields(n, list(EXPORTED_FIELDS[Note]))
        for n in Note.objects.filter(candidate=candidate).order_by("id")
    ]
    emails = [
        _fields(e, list(EXPORTED_FIELDS[OutboundEmail]))
        for e in OutboundEmail.objects.filter(candidate=candidate).order_by("id")
    ]
    self_id = SelfIdentification.objects.filter(candidate=candidate).first()
    return {
        "format": "smarthr-candidate-export",
        "version": EXPORT_VERSION,
        "exported_at": timezone.now(),
        "candidate": _profile(candidate),
        "resumes": _resumes(candidate),
        "attachments": _attachments(candidate),
        "applications": _applications(candidate),
        "notes": notes,
        "emails": emails,
        "self_identification": (
            {**self_id.groups(), "submitted_at": self_id.submitted_at} if self_id else None
        ),
    }


def candidate_export(*, candidate: Candidate, by: User) -> bytes:
    """A zip: candidate.json plus the original resume and attachment files. Writes an audit
    entry."""
    ensure_hr_admin(by, "export candidate data")
    data = candidate_export_data(candidate)
    buffer = io.BytesIO()
    missing = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        resumes = Resume.objects.filter(candidate=candidate).order_by("id")
        attachments = CandidateAttachment.objects.filter(candidate=candidate).order_by("id")
        stored: list[tuple[Resume | CandidateAttachment, dict[str, Any]]] = [
            *zip(resumes, data["resumes"], strict=True),
            *zip(attachments, data["attachments"], strict=True),
        ]
        for row, entry in stored:
            try:
                with row.file.open("rb") as fh:
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
            "attachments": len(data["attachments"]),
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


def _delete_attachments(candidate: Candidate) -> int:
    """A cover letter or portfolio is the candidate's own words: file and row go."""
    attachments = list(CandidateAttachment.objects.filter(candidate=candidate))
    for attachment in attachments:
        try:
            attachment.file.storage.delete(attachment.file.name or "")
        except OSError:
            log.warning("could not delete the file of attachment %s", attachment.pk)
    CandidateAttachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    return len(attachments)


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
    removed["attachments"] = _delete_attachments(candidate)
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
    # An offer's terms are about this person (their salary, start date): they go.
    removed["offers"] = Offer.objects.filter(application__in=applications).delete()[0]
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
    removed.update(candidate_correspondence_erase(candidate=candidate))
    for name, blank in PROFILE_BLANKS.items():
        setattr(candidate, name, blank)
    candidate.save()
    return removed


def _ensure_not_erased(candidate: Candidate) -> None:
    if CandidateErasure.objects.filter(candidate=candidate).exists():
        raise AlreadyErased(f"Candidate #{candidate.pk} was already erased.")


@transaction.atomic
def candidate_erase(*, candidate: Candidate, by: User, reason: str) -> CandidateErasure:
    """Erase on the candidate's request. The audit entry says what and by whom, not the data."""
    ensure_hr_admin(by, "erase candidates")
    reason = (reason or "").strip()
    if not reason:
        raise ErasureRefused("Give the reason for the erasure (e.g. the request's reference).")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _ensure_not_erased(candidate)
    removed = _scrub(candidate)
    # The erased words leave the search's own index too (FTS5 keeps them until merged).
    transaction.on_commit(search_index_compact)
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
    *,
    candidate: Candidate,
    by: User | None = None,
    retention_date: date | None = None,
    reason: str = "",
    compact_index: bool = True,
) -> CandidateErasure:
    """Anonymise a candidate past their retention date (the retention task calls this).
    `compact_index=False` leaves merging the search index to the caller (once per batch)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _ensure_not_erased(candidate)
    removed = _scrub(candidate)
    if compact_index:
        transaction.on_commit(search_index_compact)
    reason = " ".join(reason.split())[:300] or (
        f"retention date {retention_date} passed" if retention_date else "retention"
    )
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
        details={
            "removed": removed,
            "retention_date": str(retention_date or ""),
            "reason": reason,
        },
    )
    return erasure


def candidate_anonymise_early(
    *, candidate: Candidate, by: User, reason: str = ""
) -> CandidateErasure:
    """Anonymise now, before SmartHR's retention date, on an HR admin's decision (the API:
    another system's retention rule passed). The same scrub, record and audit entry as the
    retention task, with who and why."""
    ensure_hr_admin(by, "anonymise candidates")
    return candidate_anonymise(
        candidate=candidate, by=by, reason=reason or "anonymised early by an HR admin"
    )
