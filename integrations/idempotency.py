"""Idempotency-Key: the first answer to a POST is stored and replayed to its retries.

A key is scoped to its caller (the API key, or the portal user). A record is claimed before
the view runs (a unique row), so two concurrent requests with one key cannot both act: the
second gets 409 until the first has answered. Server errors release the key so the client
may retry; records expire after IDEMPOTENCY_TTL.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from django.utils import timezone

from core.errors import DomainError

from .errors import IdempotencyConflict
from .models import IdempotencyRecord


class InvalidIdempotencyKey(DomainError):
    """A malformed key is the client's mistake (400), not a clash with another request."""

    code = "invalid_idempotency_key"


IDEMPOTENCY_TTL = timedelta(hours=24)
# An in-progress claim older than this belongs to a request that died; it may be taken over.
STALE_CLAIM = timedelta(minutes=5)
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("Location",)


def request_fingerprint(request: Any) -> str:
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    try:
        digest.update(request._request.body)
    except RawPostDataException:  # a multipart body already streamed: its parsed form
        digest.update(repr(sorted(request._request.POST.lists())).encode())
        for name, upload in sorted(request._request.FILES.items()):
            digest.update(f"{name}:{upload.name}:{upload.size}".encode())
    return digest.hexdigest()


def idempotency_begin(
    *, owner: str, key: str, method: str, path: str, request_hash: str
) -> tuple[IdempotencyRecord, bool]:
    """(record, True) to replay a finished first answer; (claimed record, False) to go on."""
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in key):
        raise InvalidIdempotencyKey(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters, without control "
            "characters.",
            field="Idempotency-Key",
        )
    now = timezone.now()
    expired = now - IDEMPOTENCY_TTL
    IdempotencyRecord.objects.filter(owner=owner, key=key, created_at__lt=expired).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                owner=owner, key=key, method=method, path=path[:500], request_hash=request_hash
            )
        return record, False
    except IntegrityError:
        pass
    record = IdempotencyRecord.objects.get(owner=owner, key=key)
    if record.request_hash != request_hash:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used with a different request; use a new key.",
            field="Idempotency-Key",
        )
    if record.state == IdempotencyRecord.State.DONE:
        return record, True
    if record.created_at < now - STALE_CLAIM:
        IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=now)
        return record, False
    raise IdempotencyConflict(
        "A request with this Idempotency-Key is still being processed; retry in a moment.",
        field="Idempotency-Key",
    )


def idempotency_finish(*, record: IdempotencyRecord, response: Any) -> None:
    """Store the answer; a server error releases the key so a retry runs again."""
    if response.status_code >= 500:
        idempotency_release(record=record)
        return
    body = json.loads(json.dumps(getattr(response, "data", None), cls=DjangoJSONEncoder))
    headers = {h: response[h] for h in REPLAYED_HEADERS if response.has_header(h)}
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        state=IdempotencyRecord.State.DONE,
        status_code=response.status_code,
        response_body=body,
        response_headers=headers,
    )


def idempotency_release(*, record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).delete()


def idempotency_purge() -> int:
    """Delete expired records (Celery beat, daily)."""
    cutoff = timezone.now() - IDEMPOTENCY_TTL
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()[0]
