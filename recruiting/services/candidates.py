"""Adding candidates (one per e-mail address) and editing their profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction

from audit.services import audit_record
from core.events import emit
from core.roles import signed_in
from core.text import HEADLINE_MAX_CHARS, SUMMARY_MAX_CHARS, ensure_length
from mlcore.contacts import normalize_email, normalize_phone

from ..errors import InvalidCandidate
from ..links import UnsafeLink, clean_links
from ..models import Candidate
from ..permissions import ensure_can_manage_candidates

if TYPE_CHECKING:
    from core.roles import AnyUser


def _clean_email(raw: str) -> str:
    if not raw or not raw.strip():
        return ""
    email = normalize_email(raw)
    if not email:
        raise InvalidCandidate(f"'{raw.strip()}' is not a valid e-mail address.", field="email")
    return email


def _clean_phone(raw: str) -> str:
    if not raw or not raw.strip():
        return ""
    phone = normalize_phone(raw, settings.PHONE_DEFAULT_REGION)
    if not phone:
        raise InvalidCandidate(
            f"'{raw.strip()}' is not a valid phone number; include the country code "
            "(e.g. +44 20 7946 0958).",
            field="phone",
        )
    return phone


def _clean_links(raw: Any) -> list[str]:
    try:
        return clean_links(raw or [])
    except UnsafeLink as exc:
        raise InvalidCandidate(str(exc), field="links") from None


def candidate_create(
    *,
    by: AnyUser,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    **fields: Any,
) -> Candidate:
    """Add a candidate, or return the one that already has this e-mail address.

    The existing candidate is returned unchanged: a second source must not silently
    overwrite what a recruiter already has. The profile fields given here count as edited
    by a person (`edited_fields`): a resume parsed later fills only the others.
    """
    ensure_can_manage_candidates(by)
    clean_email = _clean_email(email)
    clean_phone = _clean_phone(phone)
    if not (full_name.strip() or clean_email):
        raise InvalidCandidate("A candidate needs at least a name or an e-mail address.")
    if clean_email:
        existing = Candidate.objects.filter(email=clean_email).first()
        if existing is not None:
            return existing
    unknown = set(fields) - {f.name for f in Candidate._meta.get_fields()}
    if unknown:
        raise TypeError(f"candidate_create() got unknown fields: {sorted(unknown)}")
    if "links" in fields:
        fields["links"] = _clean_links(fields["links"])
    given = {"full_name": full_name.strip(), "phone": clean_phone, **fields}
    fields.setdefault(
        "edited_fields",
        sorted(name for name in Candidate.PROFILE_FIELDS if given.get(name) not in (None, "", [])),
    )
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(
                full_name=full_name.strip(),
                email=clean_email,
                phone=clean_phone,
                created_by=signed_in(by),
                **fields,
            )
            emit("candidate.created", {"candidate_id": candidate.pk})
            return candidate
    except IntegrityError:
        # Another request added the same address between our check and insert.
        if clean_email:
            return Candidate.objects.get(email=clean_email)
        raise


@transaction.atomic
def candidate_update_profile(*, candidate: Candidate, by: AnyUser, **changes: Any) -> Candidate:
    """A person's edit of profile fields; each edited field is protected from re-parses."""
    ensure_can_manage_candidates(by)
    unknown = set(changes) - set(Candidate.PROFILE_FIELDS) - {"email", "tags", "source"}
    if unknown:
        raise InvalidCandidate(f"These fields cannot be edited here: {sorted(unknown)}.")
    if "email" in changes:
        changes["email"] = _clean_email(changes["email"])
        clash = Candidate.objects.filter(email=changes["email"]).exclude(pk=candidate.pk)
        if changes["email"] and clash.exists():
            raise InvalidCandidate("Another candidate already has this e-mail.", field="email")
    if "phone" in changes:
        changes["phone"] = _clean_phone(changes["phone"])
    if "links" in changes:
        changes["links"] = _clean_links(changes["links"])
    for name, limit in (("summary", SUMMARY_MAX_CHARS), ("headline", HEADLINE_MAX_CHARS)):
        if name in changes:
            what = f"The {name}"
            changes[name] = ensure_length(
                changes[name], limit=limit, what=what, field=name, error=InvalidCandidate
            )
    edited = set(candidate.edited_fields)
    for name, value in changes.items():
        setattr(candidate, name, value)
        if name in Candidate.PROFILE_FIELDS:
            edited.add(name)
    candidate.edited_fields = sorted(edited)
    candidate.save()
    # Field names only: the audit log keeps no personal data.
    audit_record(
        action="candidate.profile_edited",
        actor=by,
        target=candidate,
        details={"fields": sorted(changes)},
    )
    emit("candidate.updated", {"candidate_id": candidate.pk, "fields": sorted(changes)})
    return candidate
