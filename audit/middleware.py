"""Records where each request comes from, for audit entries written while it runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        via = "api" if request.path.startswith("/api/") else "portal"
        token = context.set_context(
            via=via,
            ip=context.client_ip(request.META),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
            api_key_id="",
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
