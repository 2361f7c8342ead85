"""Privacy API URLs (under /api/v1/privacy/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("bias-audit/", api.BiasAuditAPIView.as_view(), name="api-privacy-bias-audit"),
]
