"""Who is acting and from where, for the audit log, without passing it through every call.

The middleware fills it per request (portal or API); tasks and commands leave it empty, and
their entries say so ("task" / "command").
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    via: str = "system"  # portal | api | task | command | system
    ip: str | None = None
    user_agent: str = ""
    api_key_id: str = ""


_EMPTY = AuditContext()
_current: ContextVar[AuditContext] = ContextVar("audit_context")


def current() -> AuditContext:
    return _current.get(_EMPTY)


def set_context(**values: Any) -> object:
    """Replace fields of the current context; returns a token for `reset`."""
    merged = {**current().__dict__, **values}
    return _current.set(AuditContext(**merged))


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def client_ip(meta: dict[str, Any]) -> str | None:
    """The client address, by the one rule sign-in throttling uses too (core/login_guard.py):
    X-Forwarded-For is read only behind TRUSTED_PROXY_COUNT proxies, from the right, so a
    client cannot write the address the audit log records."""
    from core.login_guard import client_ip_from_meta

    return client_ip_from_meta(meta)
