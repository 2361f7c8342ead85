"""X-RateLimit-* headers on every API answer to a request with a valid API key."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .auth import rate_limit_peek


class RateLimitHeadersMiddleware:
    """Adds where the key stands in its window: `X-RateLimit-Limit`, `-Remaining` and
    `-Reset`. The throttle leaves the state on the request; an answer given before the
    throttle ran (a missing scope) reads it from the cache without counting a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state = getattr(request, "api_rate_limit", None)
        if state is None:
            key = getattr(request, "api_key", None)
            if key is None:
                return response  # no key (the portal's session, or a refused key): no limit
            state = rate_limit_peek(key)
        for name, value in state.headers().items():
            response[name] = value
        return response
