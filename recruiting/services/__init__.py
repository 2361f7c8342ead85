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
from .jobs import job_close, job_create, job_publish, job_reopen, job_update
from .notifications import stage_event_notify
from .resumes import resume_store
from .reviews import note_create, scorecard_submit

__all__ = [
    "application_advance",
    "application_create",
    "application_hire",
    "application_move",
    "application_reject",
    "application_withdraw",
    "candidate_create",
    "candidate_update_profile",
    "job_close",
    "job_create",
    "job_publish",
    "job_reopen",
    "job_update",
    "note_create",
    "resume_store",
    "scorecard_submit",
    "stage_event_notify",
]
