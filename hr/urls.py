"""HR URLs (HR admins only)."""

from django.urls import path

from . import views, views_people

app_name = "hr"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/questions/", views.question_add, name="question_add"),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.json", views.survey_results_json, name="survey_results_json"),
    path("surveys/<int:pk>/results.csv", views.survey_results_csv, name="survey_results_csv"),
    path("surveys/<int:pk>/<str:action>/", views.survey_action, name="survey_action"),
    # People: the department tree and employee records.
    path("departments/", views_people.department_list, name="department_list"),
    path("departments/new/", views_people.department_new, name="department_new"),
    path("departments/<int:pk>/", views_people.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", views_people.department_delete, name="department_delete"),
    path("people/", views_people.people_list, name="people_list"),
    path("people/new/", views_people.employee_new, name="employee_new"),
    path("people/import/", views_people.employee_import, name="employee_import"),
    path(
        "people/import/example.csv",
        views_people.employee_import_example,
        name="employee_import_example",
    ),
    path("people/<int:pk>/", views_people.employee_detail, name="employee_detail"),
    path("people/<int:pk>/edit/", views_people.employee_edit, name="employee_edit"),
    path(
        "people/<int:pk>/deactivate/",
        views_people.employee_deactivate,
        name="employee_deactivate",
    ),
    path(
        "people/<int:pk>/reactivate/",
        views_people.employee_reactivate,
        name="employee_reactivate",
    ),
]
