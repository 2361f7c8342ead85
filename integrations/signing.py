"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<raw body>" with the subscription secret.

A receiver recomputes it, compares in constant time and refuses a timestamp outside its
replay window (default 5 minutes), and may drop an event id it has already seen.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-SmartHR-Signature"
EVENT_ID_HEADER = "X-SmartHR-Event-Id"
EVENT_HEADER = "X-SmartHR-Event"
TIMESTAMP_HEADER = "X-SmartHR-Timestamp"
SUBSCRIPTION_HEADER = "X-SmartHR-Webhook-Id"
REPLAY_WINDOW_S = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    *,
    tolerance_s: int = REPLAY_WINDOW_S,
    now: float | None = None,
) -> bool:
    """True when the signature matches and the timestamp is inside the replay window."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature or "")
