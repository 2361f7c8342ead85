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
from .emails import (
    email_preview,
    email_send,
    email_template_save,
    outbound_email_deliver,
    outbound_email_retry,
)
from .ingestion import (
    resume_ingest,
    resume_ingest_file,
    resume_upload,
    upload_batch_create,
    upload_batch_open,
    upload_check,
    upload_check_size,
    upload_receive,
    upload_receive_file,
)
from .interviews import Slot, interview_cancel, interview_reschedule, interview_schedule
from .jobs import job_close, job_create, job_publish, job_reopen, job_update
from .notifications import stage_event_notify
from .parsing import candidate_fill_from_parse, resume_parse
from .rejections import application_reject_with_reason, rejection_reason_get
from .resumes import resume_file_open, resume_store
from .reviews import note_create, scorecard_submit
from .scoring import fit_score_request_explanation
from .stages import (
    job_stage_add,
    job_stage_move,
    job_stage_remove,
    job_stage_rename,
    job_stages_ensure,
)

__all__ = [
    "Slot",
    "application_advance",
    "application_create",
    "application_hire",
    "application_move",
    "application_reject",
    "application_reject_with_reason",
    "application_withdraw",
    "candidate_create",
    "candidate_fill_from_parse",
    "candidate_update_profile",
    "email_preview",
    "email_send",
    "email_template_save",
    "fit_score_request_explanation",
    "interview_cancel",
    "interview_reschedule",
    "interview_schedule",
    "job_close",
    "job_create",
    "job_publish",
    "job_reopen",
    "job_stage_add",
    "job_stage_move",
    "job_stage_remove",
    "job_stage_rename",
    "job_stages_ensure",
    "job_update",
    "note_create",
    "outbound_email_deliver",
    "outbound_email_retry",
    "rejection_reason_get",
    "resume_file_open",
    "resume_ingest",
    "resume_ingest_file",
    "resume_parse",
    "resume_store",
    "resume_upload",
    "scorecard_submit",
    "stage_event_notify",
    "upload_batch_create",
    "upload_batch_open",
    "upload_check",
    "upload_check_size",
    "upload_receive",
    "upload_receive_file",
]
