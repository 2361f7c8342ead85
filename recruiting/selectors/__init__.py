"""Recruiting reads, by entity: what a user may see, fetched without N+1 queries.

Every door (portal page, API, export) reads through these, so a visibility rule holds on
all of them. Views, the API and tasks call these; the modules hold the helpers.
"""

from .applications import (
    application_detail,
    application_get,
    application_list,
    application_list_rows,
    application_scorecards,
    job_applications,
    job_board_applications,
)
from .candidates import (
    candidate_fit_scores,
    candidate_get,
    candidate_list,
    candidate_notes,
    candidate_resumes,
    candidate_scorecards,
    current_resume,
    resume_get,
)
from .fit import (
    application_fit_scores,
    fit_score_get,
    internal_candidates,
    jobs_for_candidate,
    ranked_applicants,
    talent_pool_matches,
)
from .home import my_jobs, my_open_jobs, new_applicants, resumes_needing_attention
from .interviews import (
    application_interviews,
    candidate_emails,
    candidate_interviews,
    email_template_get,
    email_templates,
    interview_get,
    interviewer_choices,
    interviewers_by_id,
    interviews_shown_to,
    interviews_visible,
    outbound_email_get,
    rejection_reason_offered,
    rejection_reasons,
)
from .jobs import job_get, job_list, job_list_api, jobs_filtered, with_stage_counts
from .search import candidate_search, uses_full_text_search
from .stages import job_pipeline, job_stage_choices, job_stages_with_counts
from .talent import talent_query, talent_relaxations, talent_search
from .uploads import upload_batch_get, upload_items, upload_items_for, upload_summary

__all__ = [
    "application_detail",
    "application_fit_scores",
    "application_get",
    "application_interviews",
    "application_list",
    "application_list_rows",
    "application_scorecards",
    "candidate_emails",
    "candidate_fit_scores",
    "candidate_get",
    "candidate_interviews",
    "candidate_list",
    "candidate_notes",
    "candidate_resumes",
    "candidate_scorecards",
    "candidate_search",
    "current_resume",
    "email_template_get",
    "email_templates",
    "fit_score_get",
    "internal_candidates",
    "interview_get",
    "interviewer_choices",
    "interviewers_by_id",
    "interviews_shown_to",
    "interviews_visible",
    "job_applications",
    "job_board_applications",
    "job_get",
    "job_list",
    "job_list_api",
    "job_pipeline",
    "job_stage_choices",
    "job_stages_with_counts",
    "jobs_filtered",
    "jobs_for_candidate",
    "my_jobs",
    "my_open_jobs",
    "new_applicants",
    "outbound_email_get",
    "ranked_applicants",
    "rejection_reason_offered",
    "rejection_reasons",
    "resume_get",
    "resumes_needing_attention",
    "talent_pool_matches",
    "talent_query",
    "talent_relaxations",
    "talent_search",
    "upload_batch_get",
    "upload_items",
    "upload_items_for",
    "upload_summary",
    "uses_full_text_search",
    "with_stage_counts",
]
