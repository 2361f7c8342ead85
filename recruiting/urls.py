"""Recruiter portal URLs."""

from django.urls import path, re_path

from .views import (
    analytics,
    board,
    candidates,
    emails,
    fit,
    interviews,
    jobs,
    offers,
    search,
    uploads,
)
from .views.stages import job_stages

app_name = "recruiting"

urlpatterns = [
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/new/", jobs.job_create, name="job_create"),
    path("jobs/<int:pk>/", board.job_detail, name="job_detail"),
    path("jobs/<int:pk>/edit/", jobs.job_edit, name="job_edit"),
    path("jobs/<int:pk>/stages/", job_stages, name="job_stages"),
    path("jobs/<int:pk>/ranking/", fit.job_ranking, name="job_ranking"),
    path("search/", search.search, name="search"),
    path("analytics/", analytics.recruiting_analytics, name="analytics"),
    path("analytics/csv/", analytics.recruiting_analytics_csv, name="analytics_csv"),
    path("scores/<int:pk>/explain/", fit.fit_explain, name="fit_explain"),
    path(
        "scores/<int:pk>/explain/<str:method>/", fit.fit_explain_method, name="fit_explain_method"
    ),
    re_path(
        r"^jobs/(?P<pk>[0-9]+)/(?P<action>publish|close|reopen)/$",
        jobs.job_set_status,
        name="job_set_status",
    ),
    path("applications/<int:pk>/move/", board.application_move, name="application_move"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate_detail"),
    path(
        "candidates/<int:pk>/profile/",
        candidates.candidate_profile_edit,
        name="candidate_profile_edit",
    ),
    path("candidates/<int:pk>/notes/", candidates.note_add, name="note_add"),
    path("candidates/<int:pk>/offers/", offers.offer_create, name="offer_create"),
    re_path(
        r"^offers/(?P<pk>[0-9]+)/(?P<action>send|accept|decline|withdraw)/$",
        offers.offer_step,
        name="offer_step",
    ),
    path("candidates/<int:pk>/scorecards/", candidates.scorecard_add, name="scorecard_add"),
    path("candidates/<int:pk>/reveal/", candidates.identity_reveal, name="identity_reveal"),
    path("scores/<int:pk>/override/", candidates.fit_override, name="fit_override"),
    path("resumes/<int:pk>/download/", candidates.resume_download, name="resume_download"),
    path(
        "applications/<int:pk>/interviews/",
        interviews.application_interviews,
        name="application_interviews",
    ),
    path("interviews/<int:pk>/", interviews.interview_detail, name="interview_detail"),
    path(
        "interviews/<int:pk>/reschedule/",
        interviews.interview_reschedule,
        name="interview_reschedule",
    ),
    path("interviews/<int:pk>/cancel/", interviews.interview_cancel, name="interview_cancel"),
    path(
        "interviews/<int:pk>/scorecards/",
        interviews.interview_scorecard,
        name="interview_scorecard",
    ),
    path("applications/<int:pk>/email/", emails.application_email, name="application_email"),
    path("applications/<int:pk>/reject/", emails.application_reject, name="application_reject"),
    path("emails/<int:pk>/retry/", emails.outbound_email_retry, name="outbound_email_retry"),
    path("email-templates/", emails.email_template_list, name="email_template_list"),
    path("email-templates/new/", emails.email_template_edit, name="email_template_new"),
    path("email-templates/<int:pk>/edit/", emails.email_template_edit, name="email_template_edit"),
    path("uploads/new/", uploads.upload_new, name="upload_new"),
    path("uploads/<uuid:pk>/", uploads.upload_detail, name="upload_detail"),
    path("uploads/<uuid:pk>/files/", uploads.upload_file, name="upload_file"),
    path("uploads/<uuid:pk>/status/", uploads.upload_status_json, name="upload_status"),
]
