"""Webhook targets must be public: a subscription must not make SmartHR call its own network.

An integrator controls the URL, so without this check a webhook could reach internal
services (server-side request forgery). Every address the host resolves to is checked at
delivery time (DNS can change after the subscription was made), redirects are not followed,
and `WEBHOOK_ALLOW_PRIVATE_URLS` (on in development and tests) lets local receivers through.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return not ip.is_global or ip.is_multicast


def private_target_error(url: str, *, resolve: bool = True) -> str:
    """Why `url` may not be called ("" when it may). `resolve=False` checks literals only."""
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_URLS", False):
        return ""
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    if not host:
        return "The URL has no host."
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return f"{host} is a local host name; webhooks go to public addresses only."
    try:
        return (
            f"{host} is a private or reserved address; webhooks go to public addresses only."
            if _is_private(host)
            else ""
        )
    except ValueError:
        pass  # a name, not an address literal
    if not resolve:
        return ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        return f"cannot resolve {host}: {exc}"
    private = sorted({info[4][0] for info in infos if _is_private(str(info[4][0]))})
    if private:
        return f"{host} resolves to a private address ({', '.join(private)}); refused."
    return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is the receiver's answer, not an instruction to call another address."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(_NoRedirect)
