"""Privacy pages for HR admins (and the self-ID invitation page for recruiters)."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("bias-audit/", views.bias_audit, name="bias_audit"),
    path("bias-audit.csv", views.bias_audit_csv, name="bias_audit_csv"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit.csv", views.audit_log_csv, name="audit_log_csv"),
    path("candidates/", views.candidate_lookup, name="candidate_lookup"),
    path("candidates/<int:pk>/", views.candidate_privacy, name="candidate_privacy"),
    path("candidates/<int:pk>/export/", views.candidate_export, name="candidate_export"),
    path("candidates/<int:pk>/erase/", views.candidate_erase, name="candidate_erase"),
    path("candidates/<int:pk>/self-id/", views.candidate_self_id, name="candidate_self_id"),
    path("candidates/<int:pk>/self-id/invite/", views.self_id_invite, name="self_id_invite"),
]
