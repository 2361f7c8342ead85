"""drf-spectacular extensions: the API key scheme, and views that need a hint."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiViewExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "shr_<prefix>_<secret>",
            "description": "An integration's API key (python manage.py create_api_key).",
        }


class BiasAuditSchema(OpenApiViewExtension):
    """privacy's bias audit view returns a plain object; say so, so the schema has no errors."""

    target_class = "privacy.api.BiasAuditAPIView"

    def view_replacement(self) -> Any:
        class Fixed(self.target_class):  # type: ignore[name-defined,misc]
            @extend_schema(responses=OpenApiTypes.OBJECT)
            def get(self, request: Any) -> Any:
                return super().get(request)

        return Fixed
