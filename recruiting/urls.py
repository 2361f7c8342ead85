"""Recruiter portal URLs."""

from django.urls import path

from . import views, views_uploads

app_name = "recruiting"

urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/ranking/", views.job_ranking, name="job_ranking"),
    path("scores/<int:pk>/explain/", views.fit_explain, name="fit_explain"),
    path(
        "jobs/<int:pk>/<str:action>/",
        views.job_set_status,
        name="job_set_status",
    ),
    path("applications/<int:pk>/move/", views.application_move, name="application_move"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("resumes/<int:pk>/download/", views.resume_download, name="resume_download"),
    path("uploads/new/", views_uploads.upload_new, name="upload_new"),
    path("uploads/<uuid:pk>/", views_uploads.upload_detail, name="upload_detail"),
]
