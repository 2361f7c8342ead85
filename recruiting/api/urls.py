"""Recruiting API URLs (under /api/v1/)."""

from django.urls import path

from . import analytics, attachments, interviews, offers, people, search, views
from .stages import ApplicationStageView, JobStageListView

urlpatterns = [
    path("jobs/", views.JobListView.as_view(), name="api-jobs"),
    path("jobs/<int:pk>/", views.JobDetailView.as_view(), name="api-job-detail"),
    path("jobs/<int:pk>/publish/", views.JobPublishView.as_view(), name="api-job-publish"),
    path("jobs/<int:pk>/close/", views.JobCloseView.as_view(), name="api-job-close"),
    path("jobs/<int:pk>/reopen/", views.JobReopenView.as_view(), name="api-job-reopen"),
    path("jobs/<int:pk>/ranking/", views.JobRankingView.as_view(), name="api-job-ranking"),
    path("jobs/<int:pk>/stages/", JobStageListView.as_view(), name="api-job-stages"),
    path(
        "applications/<int:pk>/stage/",
        ApplicationStageView.as_view(),
        name="api-application-stage",
    ),
    path("candidates/", views.CandidateListView.as_view(), name="api-candidates"),
    path("candidates/search/", search.TalentSearchView.as_view(), name="api-candidate-search"),
    path("candidates/<int:pk>/", views.CandidateDetailView.as_view(), name="api-candidate-detail"),
    path(
        "candidates/<int:pk>/resumes/",
        views.CandidateResumeUploadView.as_view(),
        name="api-candidate-resume-upload",
    ),
    path(
        "candidates/<int:pk>/notes/",
        views.CandidateNoteListView.as_view(),
        name="api-candidate-notes",
    ),
    path("resumes/", views.ResumeUploadView.as_view(), name="api-resume-upload"),
    path("resumes/<int:pk>/", views.ResumeDetailView.as_view(), name="api-resume-detail"),
    path(
        "resumes/<int:pk>/download/",
        views.ResumeDownloadView.as_view(),
        name="api-resume-download",
    ),
    path("applications/", views.ApplicationListView.as_view(), name="api-applications"),
    path(
        "applications/<int:pk>/",
        views.ApplicationDetailView.as_view(),
        name="api-application-detail",
    ),
    path(
        "applications/<int:pk>/advance/",
        views.ApplicationAdvanceView.as_view(),
        name="api-application-advance",
    ),
    path(
        "applications/<int:pk>/move/",
        views.ApplicationMoveView.as_view(),
        name="api-application-move",
    ),
    path(
        "applications/<int:pk>/reject/",
        views.ApplicationRejectView.as_view(),
        name="api-application-reject",
    ),
    path(
        "applications/<int:pk>/hire/",
        views.ApplicationHireView.as_view(),
        name="api-application-hire",
    ),
    path(
        "applications/<int:pk>/scorecards/",
        views.ScorecardListView.as_view(),
        name="api-application-scorecards",
    ),
    path(
        "applications/<int:pk>/scores/",
        views.FitScoreListView.as_view(),
        name="api-application-scores",
    ),
    path("interviews/", interviews.InterviewListView.as_view(), name="api-interviews"),
    path(
        "interviews/<int:pk>/",
        interviews.InterviewDetailView.as_view(),
        name="api-interview-detail",
    ),
    path(
        "interviews/<int:pk>/reschedule/",
        interviews.InterviewRescheduleView.as_view(),
        name="api-interview-reschedule",
    ),
    path(
        "interviews/<int:pk>/cancel/",
        interviews.InterviewCancelView.as_view(),
        name="api-interview-cancel",
    ),
    path(
        "applications/<int:pk>/offers/",
        offers.ApplicationOfferListView.as_view(),
        name="api-application-offers",
    ),
    path("offers/", offers.OfferListView.as_view(), name="api-offers"),
    path("offers/<int:pk>/", offers.OfferDetailView.as_view(), name="api-offer-detail"),
    path("offers/<int:pk>/send/", offers.OfferSendView.as_view(), name="api-offer-send"),
    path("offers/<int:pk>/accept/", offers.OfferAcceptView.as_view(), name="api-offer-accept"),
    path("offers/<int:pk>/decline/", offers.OfferDeclineView.as_view(), name="api-offer-decline"),
    path(
        "offers/<int:pk>/withdraw/", offers.OfferWithdrawView.as_view(), name="api-offer-withdraw"
    ),
    path(
        "rejection-reasons/",
        interviews.RejectionReasonListView.as_view(),
        name="api-rejection-reasons",
    ),
    path(
        "candidates/<int:pk>/attachments/",
        attachments.CandidateAttachmentListView.as_view(),
        name="api-candidate-attachments",
    ),
    path(
        "attachments/<int:pk>/",
        attachments.AttachmentDetailView.as_view(),
        name="api-attachment-detail",
    ),
    path(
        "attachments/<int:pk>/download/",
        attachments.AttachmentDownloadView.as_view(),
        name="api-attachment-download",
    ),
    path("users/", people.UserListView.as_view(), name="api-users"),
    path("sources/", people.SourceListView.as_view(), name="api-sources"),
    path(
        "candidates/<int:pk>/tags/",
        people.CandidateTagsView.as_view(),
        name="api-candidate-tags",
    ),
    path(
        "candidates/<int:pk>/tags/remove/",
        people.CandidateTagsRemoveView.as_view(),
        name="api-candidate-tags-remove",
    ),
    path(
        "analytics/recruiting/",
        analytics.RecruitingAnalyticsView.as_view(),
        name="api-recruiting-analytics",
    ),
]
