"""Recruiter portal URLs."""

from django.urls import path, re_path

from . import views, views_board, views_candidates, views_jobs, views_search, views_uploads

app_name = "recruiting"

urlpatterns = [
    path("jobs/", views_jobs.job_list, name="job_list"),
    path("jobs/new/", views_jobs.job_create, name="job_create"),
    path("jobs/<int:pk>/", views_board.job_detail, name="job_detail"),
    path("jobs/<int:pk>/edit/", views_jobs.job_edit, name="job_edit"),
    path("jobs/<int:pk>/ranking/", views_search.job_ranking, name="job_ranking"),
    path("search/", views_search.search, name="search"),
    path("scores/<int:pk>/explain/", views.fit_explain, name="fit_explain"),
    re_path(
        r"^jobs/(?P<pk>[0-9]+)/(?P<action>publish|close|reopen)/$",
        views_jobs.job_set_status,
        name="job_set_status",
    ),
    path("applications/<int:pk>/move/", views_board.application_move, name="application_move"),
    path("candidates/<int:pk>/", views_candidates.candidate_detail, name="candidate_detail"),
    path(
        "candidates/<int:pk>/profile/",
        views_candidates.candidate_profile_edit,
        name="candidate_profile_edit",
    ),
    path("candidates/<int:pk>/notes/", views_candidates.note_add, name="note_add"),
    path("candidates/<int:pk>/scorecards/", views_candidates.scorecard_add, name="scorecard_add"),
    path("candidates/<int:pk>/reveal/", views_candidates.identity_reveal, name="identity_reveal"),
    path("scores/<int:pk>/override/", views_candidates.fit_override, name="fit_override"),
    path("resumes/<int:pk>/download/", views_candidates.resume_download, name="resume_download"),
    path("uploads/new/", views_uploads.upload_new, name="upload_new"),
    path("uploads/<uuid:pk>/", views_uploads.upload_detail, name="upload_detail"),
]
