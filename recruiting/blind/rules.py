"""Blind screening's rule: when a candidate's identity is hidden from a user, and what they
see then (the rule itself is described in recruiting/blind/__init__.py)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache

from audit.models import AuditEntry
from core.roles import Role, has_role

from ..models import Application, Candidate, Note, Resume, Scorecard, StageEvent, UploadItem
from ..permissions import visible_applications
from ..pipeline import Stage

if TYPE_CHECKING:
    from core.roles import AnyUser

BLIND_STAGES: frozenset[str] = frozenset({Stage.APPLIED, Stage.SCREENING})
# Moving from a blind stage to one of these reveals the identity.
REVEALING_STAGES: frozenset[str] = frozenset({Stage.INTERVIEW, Stage.OFFER, Stage.HIRED})
REVEAL_ACTION = "identity.revealed"
CANDIDATE_TARGET = Candidate._meta.label_lower
WITHHELD = "Hidden (blind screening)"


def blinding_applies(user: AnyUser) -> bool:
    """Screeners are blinded; HR admins without a recruiting role are not."""
    return has_role(user, Role.RECRUITER, Role.HIRING_MANAGER)


def display_name_for(candidate_id: int) -> str:
    return f"Candidate #{candidate_id}"


def revealed_application_ids(candidate_ids: Iterable[int]) -> set[int]:
    """Applications whose identity a recruiter revealed explicitly (read from the audit log)."""
    ids = [str(pk) for pk in set(candidate_ids)]
    if not ids:
        return set()
    rows = AuditEntry.objects.filter(
        action=REVEAL_ACTION, target_type=CANDIDATE_TARGET, target_id__in=ids
    ).values_list("details", flat=True)
    return {d["application_id"] for d in rows if isinstance(d, dict) and d.get("application_id")}


def _is_blind(stage: str, blind_job: bool, application_id: int, revealed: set[int]) -> bool:
    return blind_job and stage in BLIND_STAGES and application_id not in revealed


def hidden_candidate_ids(user: AnyUser, candidate_ids: Iterable[int]) -> set[int]:
    """Of `candidate_ids`, those whose identity `user` may not see: at most two queries."""
    ids = set(candidate_ids)
    if not ids or not blinding_applies(user):
        return set()
    rows = list(
        visible_applications(user)
        .filter(candidate_id__in=ids)
        .values_list("candidate_id", "pk", "stage", "job__blind_screening")
    )
    maybe = {c for c, _, stage, blind in rows if blind and stage in BLIND_STAGES}
    if not maybe:
        return set()
    revealed = revealed_application_ids(maybe)
    hidden = set(maybe)
    for candidate_id, pk, stage, blind in rows:
        if candidate_id in hidden and not _is_blind(stage, blind, pk, revealed):
            hidden.discard(candidate_id)
    return hidden


def hidden_candidates_for(user: AnyUser) -> set[int]:
    """Every candidate whose identity `user` may not see (only blind jobs' early applicants
    can be, so the set is small): at most three queries."""
    if not blinding_applies(user):
        return set()
    maybe = (
        visible_applications(user)
        .filter(job__blind_screening=True, stage__in=BLIND_STAGES)
        .values_list("candidate_id", flat=True)
        .distinct()
    )
    return hidden_candidate_ids(user, list(maybe))


def identity_hidden(
    user: AnyUser, candidate: Candidate, applications: Iterable[Application] | None = None
) -> bool:
    """Whether `user` sees `candidate` masked.

    `applications`, when given, must be the candidate's applications the user can see with
    their jobs loaded (as `selectors.candidate_get` prefetches them); then only the reveal
    log is read, and only when some application is still blind.
    """
    if not blinding_applies(user):
        return False
    if applications is None:
        return candidate.pk in hidden_candidate_ids(user, [candidate.pk])
    applications = list(applications)
    if not any(a.job.blind_screening and a.stage in BLIND_STAGES for a in applications):
        return False
    revealed = revealed_application_ids([candidate.pk])
    return all(_is_blind(a.stage, a.job.blind_screening, a.pk, revealed) for a in applications)


def display_name(user: AnyUser, candidate: Candidate, hidden: bool | None = None) -> str:
    """The name to show: the real one, or "Candidate #<id>" while the identity is hidden."""
    if hidden is None:
        hidden = identity_hidden(user, candidate)
    return display_name_for(candidate.pk) if hidden else str(candidate)


def _identity_pattern(candidate: Candidate) -> re.Pattern[str] | None:
    """The candidate's own name parts, e-mail (and its local part) and phone, as one regex."""
    words = {w.strip(".,") for w in candidate.full_name.split() if len(w.strip(".,")) > 1}
    if candidate.email:
        words.add(candidate.email)
        local = candidate.email.split("@")[0]
        if len(local) >= 3:
            words.add(local)
    if candidate.phone:
        words.add(candidate.phone)
    words.discard("")
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w@])(?:{alternatives})(?![\w@])", re.I)


def scrub(candidate: Candidate, text: str) -> str:
    """Replace the candidate's known name and contact details in text people typed (notes,
    scorecard comments): cheap, no model involved."""
    pattern = _identity_pattern(candidate)
    if not text or pattern is None:
        return text
    return pattern.sub("[NAME]", text)


def mask(candidate: Candidate, text: str) -> str:
    """Free text with identity masked: `mask_text` (names it finds, contacts, links, dates of
    birth, gendered words) and then the candidate's own name and contacts. Cached, because
    `mask_text` runs spaCy."""
    if not text or not text.strip():
        return text
    from mlcore.masking import MASK_VERSION, mask_text

    key_source = f"{MASK_VERSION}|{candidate.pk}|{candidate.full_name}|{candidate.email}|{text}"
    key = "blind-mask:" + hashlib.sha256(key_source.encode()).hexdigest()
    masked = cache.get(key)
    if masked is None:
        masked = scrub(candidate, mask_text(text))
        cache.set(key, masked, 24 * 3600)
    return masked


@dataclass
class MaskedProfile:
    """What the candidate page shows of a candidate whose identity is hidden."""

    pk: int
    display_name: str
    headline: str
    summary: str
    skills: list[str]
    years_experience: Any
    experience: list[dict[str, Any]] = field(default_factory=list)
    education: list[dict[str, Any]] = field(default_factory=list)
    email: str = WITHHELD
    phone: str = WITHHELD
    location: str = WITHHELD
    links: list[str] = field(default_factory=list)
    hidden: bool = True

    def __str__(self) -> str:
        return self.display_name


def masked_profile(candidate: Candidate) -> MaskedProfile:
    experience = masked_profile_items(candidate, candidate.experience or [])
    # Graduation years stand in for age: left out with the rest of the dates of birth.
    education = [
        {k: v for k, v in item.items() if k not in ("year", "start", "end")}
        for item in candidate.education or []
        if isinstance(item, dict)
    ]
    return MaskedProfile(
        pk=candidate.pk,
        display_name=display_name_for(candidate.pk),
        headline=mask(candidate, candidate.headline),
        summary=mask(candidate, candidate.summary),
        skills=list(candidate.skills or []),
        years_experience=candidate.years_experience,
        experience=experience,
        education=education,
    )


def masked_resume_text(candidate: Candidate, resume: Resume) -> str:
    return mask(candidate, resume.text)


# Parsed fields that say who someone is (or where they live): withheld while hidden.
_PARSED_IDENTITY = ("name", "email", "phone", "location", "links", "address")


def masked_parsed(candidate: Candidate, parsed: dict[str, Any]) -> dict[str, Any]:
    """A resume's parsed fields as a blinded screener may see them."""
    shown = {k: v for k, v in (parsed or {}).items() if k not in _PARSED_IDENTITY}
    for key in ("summary", "headline"):
        if isinstance(shown.get(key), str):
            shown[key] = mask(candidate, shown[key])
    if isinstance(shown.get("experience"), list):
        shown["experience"] = masked_profile_items(candidate, shown["experience"])
    if isinstance(shown.get("education"), list):
        shown["education"] = [
            {k: v for k, v in item.items() if k not in ("year", "start", "end")}
            for item in shown["education"]
            if isinstance(item, dict)
        ]
    return shown


def masked_profile_items(candidate: Candidate, items: list[Any]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        entry = dict(item)
        for key in ("description", "summary", "location"):
            if isinstance(entry.get(key), str):
                entry[key] = mask(candidate, entry[key])
        out.append(entry)
    return out


def _neutral_filename(name: str) -> str:
    # File names are often the person's name ("selina_kyle_cv.pdf"): keep the type only.
    suffix = name.rsplit(".", 1)[-1][:8] if "." in name else ""
    return f"resume.{suffix}" if suffix else "resume"


def _candidate_ids(objects: list[Any]) -> dict[int, int | None]:
    """id(object) -> its candidate's id, with one query for the objects that hang off an
    application (scorecards, stage events)."""
    by_application = {
        o.application_id
        for o in objects
        if isinstance(o, Scorecard | StageEvent) and not type(o).application.is_cached(o)
    }
    owners = (
        dict(Application.objects.filter(pk__in=by_application).values_list("pk", "candidate_id"))
        if by_application
        else {}
    )
    ids: dict[int, int | None] = {}
    for o in objects:
        if isinstance(o, Note | Resume):
            ids[id(o)] = o.candidate_id
        elif isinstance(o, Scorecard | StageEvent):
            cached = type(o).application.is_cached(o)
            ids[id(o)] = o.application.candidate_id if cached else owners.get(o.application_id)
        elif isinstance(o, UploadItem):
            ids[id(o)] = o.resume.candidate_id if o.resume_id and o.resume else None
    return ids


def shown_to(user: AnyUser, objects: Iterable[Any]) -> list[Any]:
    """`objects` (notes, scorecards, stage events, resumes, upload items) as `user` may see
    them: for every candidate whose identity is hidden from `user`, the text people typed is
    scrubbed of the candidate's name and contacts, and a resume's text, parsed fields and file
    name are masked. Every door (portal page, API, export for a screener) passes what it
    shows through here. The objects are changed in memory only and must not be saved."""
    items = list(objects)
    if not items or not blinding_applies(user):
        return items
    owners = _candidate_ids(items)
    hidden = hidden_candidate_ids(user, {c for c in owners.values() if c})
    if not hidden:
        return items
    candidates = Candidate.objects.in_bulk(hidden)
    for o in items:
        candidate = candidates.get(owners.get(id(o)) or 0)
        if candidate is None:
            continue
        if isinstance(o, Note):
            o.body = scrub(candidate, o.body)
        elif isinstance(o, Scorecard):
            o.comment = scrub(candidate, o.comment)
        elif isinstance(o, StageEvent):
            o.note = scrub(candidate, o.note)
        elif isinstance(o, Resume):
            _mask_resume(candidate, o)
        elif isinstance(o, UploadItem):
            o.filename = _neutral_filename(o.filename)
            if o.resume is not None:
                # A duplicate's reason names the stored file and whose resume it is.
                name = o.resume.original_name
                if name:
                    o.message = o.message.replace(name, _neutral_filename(name))
                _mask_resume(candidate, o.resume)
            o.message = scrub(candidate, o.message)
    return items


def _mask_resume(candidate: Candidate, resume: Resume) -> None:
    resume.text = mask(candidate, resume.text)
    resume.parsed = masked_parsed(candidate, resume.parsed)
    resume.original_name = _neutral_filename(resume.original_name)
