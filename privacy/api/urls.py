"""Privacy API URLs (under /api/v1/privacy/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("bias-audit/", views.BiasAuditAPIView.as_view(), name="api-privacy-bias-audit"),
]
