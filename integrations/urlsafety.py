"""Webhook targets must be public: a subscription must not make SmartHR call its own network.

An integrator controls the URL, so without this check a webhook could reach internal
services (server-side request forgery). At delivery the host is resolved once, every address
it resolves to is checked, and the connection goes to a checked address: a second lookup
could answer differently (DNS rebinding). The Host header, TLS SNI and certificate check
still use the URL's host name. Redirects are not followed; no HTTP proxy is used (the proxy
would do its own lookup). `WEBHOOK_ALLOW_PRIVATE_URLS` (on in development and tests) lets
local receivers through.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 ranges that carry an IPv4 address: the embedded address is where a packet ends up.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use, never public
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated (RFC 4291)
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip.sixtofour is not None:
        return [ip.sixtofour]
    if ip.teredo is not None:
        return list(ip.teredo)  # (server, client)
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    return []


def _is_private_ip(ip: IPAddress) -> bool:
    if not ip.is_global or ip.is_multicast:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return True
        return any(_is_private_ip(embedded) for embedded in _embedded_ipv4(ip))
    return False


def _is_private(address: str) -> bool:
    return _is_private_ip(ipaddress.ip_address(address.split("%", 1)[0]))


def _host_name_error(host: str) -> str:
    if not host:
        return "The URL has no host."
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return f"{host} is a local host name; webhooks go to public addresses only."
    return ""


def _allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_URLS", False))


def private_target_error(url: str, *, resolve: bool = True) -> str:
    """Why `url` may not be called ("" when it may). `resolve=False` checks literals only."""
    if _allow_private():
        return ""
    host = (urlsplit(url).hostname or "").strip("[]").lower()
    refused = _host_name_error(host)
    if refused:
        return refused
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
    return resolve_target(url).refused


@dataclass(frozen=True)
class Target:
    """A URL resolved once: the addresses to connect to, or why none may be used."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...] = ()
    refused: str = ""
    lookup_failed: bool = False  # DNS did not answer: worth another try later


def resolve_target(url: str) -> Target:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        port = 0
    # What goes on the wire is ASCII: spaces and non-ASCII characters percent-encoded, as a
    # browser does; a host name in IDNA form.
    path = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_URL_SAFE)

    def refuse(reason: str, lookup_failed: bool = False) -> Target:
        return Target(scheme, host, port, path, refused=reason, lookup_failed=lookup_failed)

    if scheme not in ("http", "https"):
        return refuse("The URL must start with https:// (or http://).")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return refuse(f"{host} is not a valid host name.")
    if not port:
        return refuse("The URL has an invalid port.")
    allow = _allow_private()
    if not allow and _host_name_error(host):
        return refuse(_host_name_error(host))
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as exc:
        return refuse(f"cannot resolve {host}: {exc}", lookup_failed=True)
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        return refuse(f"cannot resolve {host}", lookup_failed=True)
    if not allow:
        private = sorted(a for a in addresses if _is_private(a))
        if private:
            if host.strip("[]") in private:
                return refuse(
                    f"{host} is a private or reserved address; webhooks go to public "
                    "addresses only."
                )
            return refuse(f"{host} resolves to a private address ({', '.join(private)}); refused.")
    return Target(scheme, host, port, path, addresses=addresses)


class TargetRefused(Exception):
    """The URL's host is (or resolves to) an address webhooks may not reach."""


def _pin(connection: http.client.HTTPConnection, address: str) -> None:
    """Connect to `address` while the connection keeps the name for Host, SNI and the cert."""

    def create_connection(
        host_port: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        return socket.create_connection((address, host_port[1]), timeout, source_address)

    connection._create_connection = create_connection  # type: ignore[attr-defined]


def tls_context() -> ssl.SSLContext:
    """Certificates are verified against the URL's host name (tests trust their own CA)."""
    return ssl.create_default_context()


def post_checked(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST `body` to `url` at an address checked by one lookup; the answer's status code.

    Raises TargetRefused (never worth retrying) or OSError (DNS, network, TLS: worth
    retrying).
    """
    target = resolve_target(url)
    if target.lookup_failed:
        raise OSError(target.refused)
    if target.refused:
        raise TargetRefused(target.refused)
    last_error: OSError | None = None
    for address in target.addresses:
        connection: http.client.HTTPConnection
        if target.scheme == "https":
            connection = http.client.HTTPSConnection(
                target.host, target.port, timeout=timeout, context=tls_context()
            )
        else:
            connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
        _pin(connection, address)
        try:
            try:
                connection.connect()
            except ssl.SSLError:
                raise  # the host's certificate is wrong: another address will not fix it
            except OSError as exc:  # this address is down: try the next one, as browsers do
                last_error = exc
                continue
            connection.request("POST", target.path, body=body, headers=headers)
            return connection.getresponse().status
        finally:
            connection.close()
    assert last_error is not None
    raise last_error
