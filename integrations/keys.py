"""API keys: created (the key shown once), checked, revoked, and their use recorded."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from core.roles import signed_in

from .errors import InvalidApiKey
from .models import SCOPES, ApiKey, Integration

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from core.roles import AnyUser

KEY_PREFIX = "shr"
# "api_key.used" goes to the audit log at most once per key per this interval, not per request.
USE_RECORD_INTERVAL = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    # Secrets are 32 random bytes, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_scopes(scopes: Iterable[str]) -> list[str]:
    cleaned = sorted({s.strip() for s in scopes if s and s.strip()})
    unknown = [s for s in cleaned if s not in SCOPES]
    if unknown:
        raise InvalidApiKey(
            f"Unknown scope(s): {', '.join(unknown)}. Known: {', '.join(SCOPES)}.", field="scopes"
        )
    if not cleaned:
        raise InvalidApiKey("A key needs at least one scope.", field="scopes")
    return cleaned


@transaction.atomic
def api_key_create(
    *,
    integration: Integration,
    scopes: Iterable[str],
    by: AnyUser = None,
    name: str = "",
    rate_limit: int | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its full text, which is shown once and never stored."""
    cleaned = clean_scopes(scopes)
    if rate_limit is not None and rate_limit < 1:
        raise InvalidApiKey("The rate limit must be at least 1 request a minute.", field="rate")
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():  # 1 in 4 billion
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        integration=integration,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scopes=cleaned,
        rate_limit=rate_limit,
        created_by=signed_in(by),
    )
    audit_record(
        action="api_key.created",
        actor=by,
        target=key,
        details={"integration_id": integration.pk, "prefix": prefix, "scopes": cleaned},
    )
    return key, f"{KEY_PREFIX}_{prefix}_{secret}"


def integration_get_or_create(*, user: User, name: str) -> Integration:
    name = " ".join(name.split())
    if not name:
        raise InvalidApiKey("An integration needs a name.", field="name")
    integration, _ = Integration.objects.get_or_create(user=user, name=name)
    return integration


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by: AnyUser = None) -> ApiKey:
    """Stop a key working at once. Revoking twice changes nothing."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(
            action="api_key.revoked",
            actor=by,
            target=key,
            details={"integration_id": key.integration_id, "prefix": key.prefix},
        )
    return key


def api_key_check(raw: str) -> ApiKey:
    """The active key behind a bearer token, with its integration and user, or InvalidApiKey."""
    parts = (raw or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        raise InvalidApiKey("The API key is malformed; it looks like shr_<prefix>_<secret>.")
    key = (
        ApiKey.objects.select_related("integration__user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, hash_secret(parts[2])):
        raise InvalidApiKey("The API key is unknown or has been revoked.")
    if not key.integration.user.is_active:
        raise InvalidApiKey("The API key's user is deactivated.")
    return key


def api_key_mark_used(*, key: ApiKey) -> bool:
    """Record use at most once per interval: a conditional UPDATE, so concurrent requests of
    one key write one audit entry between them. True when this call wrote it."""
    now = timezone.now()
    if key.last_used_at and key.last_used_at >= now - USE_RECORD_INTERVAL:
        return False  # the common case costs no query
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USE_RECORD_INTERVAL)
    if not ApiKey.objects.filter(stale, pk=key.pk).update(last_used_at=now):
        return False
    key.last_used_at = now
    audit_record(
        action="api_key.used",
        actor=key.integration.user,
        target=key,
        details={"integration_id": key.integration_id, "prefix": key.prefix},
    )
    return True
