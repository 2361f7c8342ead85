"""Recruiting API URLs."""

from django.urls import path

from . import views

urlpatterns = [
    path("resumes/", views.ResumeUploadView.as_view(), name="api-resume-upload"),
    path("resumes/<int:pk>/", views.ResumeDetailView.as_view(), name="api-resume-detail"),
    path(
        "candidates/<int:pk>/resumes/",
        views.CandidateResumeUploadView.as_view(),
        name="api-candidate-resume-upload",
    ),
]
