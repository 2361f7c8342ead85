"""Top-level URLs: portal, HR, auth, admin, health.

Uploaded files (resumes) are never served as public media: they go through views that
check permissions.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("no-role/", TemplateView.as_view(template_name="no_role.html"), name="no_role"),
    path("", include("recruiting.urls")),
    path("hr/", include("hr.urls")),
    path("s/", include("hr.urls_public")),
    path("privacy/", include("privacy.urls")),
    path("self-id/", include("privacy.urls_public")),
    path("api/v1/privacy/", include("privacy.api.urls")),
    path("api/v1/", include("recruiting.api.urls")),
    path("api/v1/", include("integrations.api.urls")),
    path("api/v1/ml/", include("integrations.api.urls_ml")),
    path("api/v1/hr/", include("hr.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("admin/", admin.site.urls),
]

# An unrouted /api/ path answers the API's JSON error body, not the HTML page.
handler404 = "core.api.not_found"
