"""Normalising contact details, shared by the parser and the app's services."""

from __future__ import annotations

import re

import phonenumbers

# Deliberately permissive: validation of deliverability is not our job, spotting typos is.
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def normalize_email(raw: str) -> str:
    """Lower-cased, trimmed address, or "" when `raw` is not an e-mail address.

    The whole address is lower-cased: mailbox names are case-sensitive in theory but no real
    provider treats them so, and de-duplicating candidates matters more.
    """
    value = (raw or "").strip().strip("<>").strip().lower()
    if value.startswith("mailto:"):
        value = value[len("mailto:") :]
    return value if _EMAIL_RE.match(value) else ""


def normalize_phone(raw: str, default_region: str = "US") -> str:
    """The number in E.164 (+4420...), or "" when it is not a valid phone number."""
    value = (raw or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, default_region.upper() if default_region else None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
