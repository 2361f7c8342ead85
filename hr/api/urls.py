"""HR API URLs (under /api/v1/hr/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("departments/", views.DepartmentListView.as_view(), name="api-hr-departments"),
    path("employees/", views.EmployeeListView.as_view(), name="api-hr-employees"),
    path("surveys/", views.SurveyListView.as_view(), name="api-hr-surveys"),
    path("surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="api-hr-survey-detail"),
    path(
        "surveys/<int:pk>/questions/",
        views.QuestionListView.as_view(),
        name="api-hr-survey-questions",
    ),
    path(
        "surveys/<int:pk>/analytics/",
        views.SurveyAnalyticsView.as_view(),
        name="api-hr-survey-analytics",
    ),
    path("responses/", views.ResponseSubmitView.as_view(), name="api-hr-responses"),
]
