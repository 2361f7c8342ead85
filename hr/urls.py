"""HR URLs (HR admins only)."""

from django.urls import path

from .views import home, org, people, results, surveys

app_name = "hr"

urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    path("surveys/", surveys.survey_list, name="survey_list"),
    path("surveys/new/", surveys.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", surveys.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/questions/", surveys.question_add, name="question_add"),
    path("questions/<int:pk>/", surveys.question_edit, name="question_edit"),
    path("surveys/<int:pk>/results/", results.survey_results, name="survey_results"),
    path("surveys/<int:pk>/results.json", results.survey_results_json, name="survey_results_json"),
    path("surveys/<int:pk>/results.csv", results.survey_results_csv, name="survey_results_csv"),
    path("surveys/<int:pk>/<str:action>/", surveys.survey_action, name="survey_action"),
    # People: the department tree and employee records.
    path("departments/", org.department_list, name="department_list"),
    path("departments/new/", org.department_new, name="department_new"),
    path("departments/<int:pk>/", org.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", org.department_delete, name="department_delete"),
    path("people/", people.people_list, name="people_list"),
    path("people/new/", people.employee_new, name="employee_new"),
    path("people/import/", people.employee_import, name="employee_import"),
    path(
        "people/import/example.csv",
        people.employee_import_example,
        name="employee_import_example",
    ),
    path("people/<int:pk>/", people.employee_detail, name="employee_detail"),
    path("people/<int:pk>/edit/", people.employee_edit, name="employee_edit"),
    path(
        "people/<int:pk>/deactivate/",
        people.employee_deactivate,
        name="employee_deactivate",
    ),
    path(
        "people/<int:pk>/reactivate/",
        people.employee_reactivate,
        name="employee_reactivate",
    ),
]
