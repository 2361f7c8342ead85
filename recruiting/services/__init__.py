"""Recruiting writes and rules. Views, the API and tasks call these and nothing else."""

from .applications import (
    application_advance,
    application_create,
    application_hire,
    application_move,
    application_reject,
    application_withdraw,
)
from .candidates import candidate_create, candidate_update_profile
from .ingestion import (
    resume_ingest,
    resume_ingest_file,
    resume_upload,
    upload_batch_create,
    upload_check,
    upload_check_size,
)
from .jobs import job_close, job_create, job_publish, job_reopen, job_update
from .notifications import stage_event_notify
from .parsing import candidate_fill_from_parse, resume_parse
from .resumes import resume_file_open, resume_store
from .reviews import note_create, scorecard_submit
from .scoring import fit_score_request_explanation

__all__ = [
    "application_advance",
    "application_create",
    "application_hire",
    "application_move",
    "application_reject",
    "application_withdraw",
    "candidate_create",
    "candidate_fill_from_parse",
    "candidate_update_profile",
    "fit_score_request_explanation",
    "job_close",
    "job_create",
    "job_publish",
    "job_reopen",
    "job_update",
    "note_create",
    "resume_file_open",
    "resume_ingest",
    "resume_ingest_file",
    "resume_parse",
    "resume_store",
    "resume_upload",
    "scorecard_submit",
    "stage_event_notify",
    "upload_batch_create",
    "upload_check",
    "upload_check_size",
]
