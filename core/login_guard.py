"""Sign-in throttling (django-axes): the client address a failed sign-in is counted against.

Behind a load balancer every request comes from the balancer's address, so counting by
REMOTE_ADDR would lock everyone out after a few failures. With TRUSTED_PROXY_COUNT = n the
address is the one the n-th proxy from the right saw (X-Forwarded-For); a client cannot
choose it by sending its own header, because it can only prepend to the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    return client_ip_from_meta(request.META)


def client_ip_from_meta(meta: Mapping[str, Any]) -> str | None:
    """The same rule for code that holds only the request's META (the audit log)."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        hops = [h.strip() for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return str(hops[-proxies])
    return str(meta.get("REMOTE_ADDR") or "") or None
