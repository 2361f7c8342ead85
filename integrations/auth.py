"""API authentication and limits: bearer API keys, scopes, and a rate limit per key.

Kept apart from the base views: DRF's settings import these while APIView is being defined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from audit import context as audit_context

from .errors import InvalidApiKey
from .keys import api_key_check, api_key_mark_used
from .models import ApiKey

DEFAULT_RATE_PER_MINUTE = 600
RATE_WINDOW_S = 60  # the limit is per minute


def api_key_of(request: Request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


def external_system_of(request: Request) -> str:
    """Whose ids the request's `external_id`s are: each integration has its own namespace
    ("integration:<id>", shared by all its keys, so rotating a key keeps its ids); the portal
    (a session) uses "", the namespace of ids set by people and of ids no migration could
    attribute."""
    key = api_key_of(request)
    return f"integration:{key.integration_id}" if key else ""


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer shr_<prefix>_<secret>`; the request acts as the key's user."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None  # not ours: the session (portal) may still authenticate
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the key as 'Authorization: Bearer <key>'.")
        try:
            key = api_key_check(parts[1].decode("latin-1"))
        except InvalidApiKey as exc:
            raise exceptions.AuthenticationFailed(exc.message) from exc
        # Audit entries written while this request runs name the key.
        audit_context.set_context(via="api", api_key_id=str(key.pk))
        request._request.api_key = key  # type: ignore[attr-defined]  # for the X-RateLimit-* headers (middleware)
        api_key_mark_used(key=key)
        return key.integration.user, key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class HasScope(BasePermission):
    """An API key needs the view's scope: `scope_read` for GET/HEAD/OPTIONS, `scope_write`
    otherwise. A view that names no scope refuses keys (default deny). Portal (session) users
    are not limited by scopes; their roles still decide in the services."""

    message = "This API key does not have the scope this endpoint needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        key = api_key_of(request)
        if key is None:
            return True
        attr = "scope_read" if request.method in SAFE_METHODS else "scope_write"
        scope = getattr(view, attr, None)
        if not scope:
            self.message = "This endpoint is not open to API keys."
            return False
        if scope != "*" and not key.has_scope(scope):
            self.message = f"This API key lacks the '{scope}' scope."
            return False
        return True


@dataclass(frozen=True)
class RateLimitState:
    """Where a key stands in its sliding window: what the X-RateLimit-* headers say."""

    limit: int  # requests per window
    remaining: int  # requests left now
    reset_at: int  # Unix seconds when every request counted now has left the window
    retry_after: int | None  # with none left: whole seconds until the next one is allowed

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
        }


def _window_state(history: list[float], now: float, limit: int, window: int) -> RateLimitState:
    """`history`: the times of the requests counted, newest first, all within the window."""
    retry_after = None
    if len(history) >= limit:
        # The request that must leave the window for one more to fit: the limit-th newest.
        # Rounded up, so that a client waiting exactly this long is let in.
        retry_after = max(1, math.ceil(history[limit - 1] + window - now))
    return RateLimitState(
        limit=limit,
        remaining=max(0, limit - len(history)),
        reset_at=math.ceil(history[0] + window if history else now),
        retry_after=retry_after,
    )


class ApiKeyThrottle(SimpleRateThrottle):
    """A sliding window per API key (the key's `rate_limit` per minute). 429 + Retry-After.

    The counts live in the cache named by API_THROTTLE_CACHE: a shared one (Redis) when
    several web processes serve the API. Where the key stands is left on the request for the
    X-RateLimit-* headers (integrations.middleware).
    """

    scope = "api_key"

    def __init__(self) -> None:  # the rate is per key, read in allow_request
        self.cache = caches[getattr(settings, "API_THROTTLE_CACHE", "default")]
        self.state: RateLimitState | None = None

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = api_key_of(request)
        return _cache_key(key) if key else None

    def allow_request(self, request: Request, view: Any) -> bool:
        key = api_key_of(request)
        if key is None:
            return True
        self.rate = f"{_limit_of(key)}/min"
        limit, duration = self.parse_rate(self.rate)
        self.num_requests, self.duration = limit, duration
        allowed = super().allow_request(request, view)
        self.state = _window_state(self.history, self.now, limit or 0, duration or 60)
        request._request.api_rate_limit = self.state  # type: ignore[attr-defined]
        return allowed

    def wait(self) -> float | None:
        """Seconds until the next request is allowed, from the request that must leave the
        window (DRF's own estimate gives none when more requests are counted than the limit,
        i.e. after a key's limit was lowered, and the 429 then had no Retry-After)."""
        return float(self.state.retry_after) if self.state and self.state.retry_after else None


def _limit_of(key: ApiKey) -> int:
    if key.rate_limit:
        return key.rate_limit
    return int(getattr(settings, "API_KEY_DEFAULT_RATE", DEFAULT_RATE_PER_MINUTE))


def _cache_key(key: ApiKey) -> str:
    return f"throttle_apikey_{key.pk}"


def rate_limit_peek(key: ApiKey) -> RateLimitState:
    """Where `key` stands, without counting a request (an answer the throttle did not see,
    e.g. a 403 for a missing scope, which is decided first)."""
    cache = caches[getattr(settings, "API_THROTTLE_CACHE", "default")]
    now = ApiKeyThrottle.timer()
    window = RATE_WINDOW_S
    history = [t for t in cache.get(_cache_key(key), []) if t > now - window]
    return _window_state(history, now, _limit_of(key), window)
