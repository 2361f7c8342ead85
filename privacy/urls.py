"""Privacy pages for HR admins (and the self-ID invitation page for recruiters)."""

from django.urls import path

from .views import audit_log, bias_audit, candidates, self_id

app_name = "privacy"

urlpatterns = [
    path("bias-audit/", bias_audit.bias_audit, name="bias_audit"),
    path("bias-audit.csv", bias_audit.bias_audit_csv, name="bias_audit_csv"),
    path("audit/", audit_log.audit_log, name="audit_log"),
    path("audit.csv", audit_log.audit_log_csv, name="audit_log_csv"),
    path("candidates/", candidates.candidate_lookup, name="candidate_lookup"),
    path("candidates/<int:pk>/", candidates.candidate_privacy, name="candidate_privacy"),
    path("candidates/<int:pk>/export/", candidates.candidate_export, name="candidate_export"),
    path("candidates/<int:pk>/erase/", candidates.candidate_erase, name="candidate_erase"),
    path("candidates/<int:pk>/self-id/", candidates.candidate_self_id, name="candidate_self_id"),
    path("candidates/<int:pk>/self-id/invite/", self_id.self_id_invite, name="self_id_invite"),
]
