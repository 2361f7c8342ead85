"""HR API URLs (under /api/v1/hr/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("departments/", views.DepartmentListView.as_view(), name="api-hr-departments"),
    path(
        "departments/<int:pk>/",
        views.DepartmentDetailView.as_view(),
        name="api-hr-department-detail",
    ),
    path("employees/", views.EmployeeListView.as_view(), name="api-hr-employees"),
    path("employees/<int:pk>/", views.EmployeeDetailView.as_view(), name="api-hr-employee-detail"),
    path("surveys/", views.SurveyListView.as_view(), name="api-hr-surveys"),
    path("surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="api-hr-survey-detail"),
    path("surveys/<int:pk>/open/", views.SurveyOpenView.as_view(), name="api-hr-survey-open"),
    path("surveys/<int:pk>/close/", views.SurveyCloseView.as_view(), name="api-hr-survey-close"),
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
