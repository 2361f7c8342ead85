"""Work experience: job entries (title, employer, dates) and total years without overlaps."""

from __future__ import annotations

import re
from collections.abc import Callable

from .dates import DANGLING_START, LEADING_END, RANGE, parse_end, parse_month
from .results import ExperienceEntry
from .vocab import ORG_SUFFIXES, TITLE_WORDS

_BULLET = "•-*▪●◦–·>"
_SPLIT = re.compile(r"\s*(?:\||\t|\s{3,}| [-–—] | @ | at |,)\s*")
_SMALL_WORDS = {"of", "and", "in", "&", "the", "for", "to", "a", "de", "on", "-", "/"}
_KEY_COMPANY = re.compile(r"^\s*(?:company|employer|organi[sz]ation)\s*[-:–]\s*(.+?)\s*$", re.I)
_TITLE_DASH_ORG = re.compile(r"^\s*(?P<title>[^-–|]{2,60}?)\s+[-–]\s+(?P<org>[^-–|]{2,80}?)\s*$")
_LOCATIONISH = re.compile(
    r"^(?:remote|usa|us|uk|india|canada|germany|[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?, ?[A-Z]{2})$"
)

# Finds places among text snippets (spaCy GPE/LOC); injected so tests can run rules alone.
PlaceFinder = Callable[[list[str]], list[bool]]


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z.+#'/-]*", text)


def is_title(part: str) -> bool:
    """A short, mostly capitalised phrase with a job-title head word ("Senior Data Scientist")."""
    words = _words(part)
    if not 1 <= len(words) <= 7 or part.rstrip().endswith("."):
        return False
    lowered = [w.lower().strip(".,()") for w in words]
    if not any(w in TITLE_WORDS or w.split("-")[-1] in TITLE_WORDS for w in lowered):
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised >= max(1, (len(content) + 1) // 2)


# Field names of "key - value" exports; never a title or an employer themselves.
_KEYS = {"description", "company", "role", "designation", "project", "client", "duration"}


def _parts(text: str) -> list[str]:
    parts: list[str] = []
    for part in _SPLIT.split(text):
        part = part.strip(" ,;:")
        if part.lower() in _KEYS:
            continue
        if part.count("(") > part.count(")"):
            part += ")"
        part = part.strip("()") if part.startswith("(") and part.endswith(")") else part
        if not part:
            continue
        # "ABC Company, Inc." was split at its comma: glue the suffix back.
        if parts and part.lower() in ORG_SUFFIXES:
            parts[-1] = f"{parts[-1]}, {part}"
        else:
            parts.append(part)
    return parts


def _split_header(residual: str, places: PlaceFinder | None) -> tuple[str, str | None] | None:
    parts = _parts(residual)
    if not parts or len(_words(residual)) > 16:
        return None
    if len(parts) == 1 and residual.rstrip().endswith("."):
        return None  # a sentence, not a header
    index = next((i for i, p in enumerate(parts) if is_title(p)), None)
    if index is None:
        return None
    after = parts[index + 1] if index + 1 < len(parts) else None
    before = parts[index - 1] if index > 0 else None
    candidates = [p for p in (after, before) if p and not _LOCATIONISH.match(p)]
    if len(candidates) == 2 and places is not None and places([candidates[0]])[0]:
        candidates = candidates[1:]  # "Title, Austin, ..., Employer" is rare; trust spaCy
    return parts[index], candidates[0] if candidates else None


def _join_dangling(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and DANGLING_START.search(out[-1]) and LEADING_END.match(line):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return out


def _set_dates(entry: ExperienceEntry, match: re.Match[str]) -> None:
    entry.start = parse_month(match.group("start"))
    entry.end = parse_end(match.group("end"))


def _pending_range(line: str) -> re.Match[str] | None:
    return RANGE.search(line)


def parse_experience_section(text: str, places: PlaceFinder | None = None) -> list[ExperienceEntry]:
    """Entries from an experience section of any of the common layouts.

    A header is a line with a job title (plus employer, location, dates around it). Dates may
    sit on the header line, on a line near it, or in a column of their own before the
    headers (then they are taken in order).
    """
    entries: list[ExperienceEntry] = []
    pending: list[re.Match[str]] = []
    current: ExperienceEntry | None = None
    opened_at = -99
    awaiting_employer = False
    for i, raw in enumerate(_join_dangling(text.split("\n"))):
        line = raw.strip()
        if not line:
            continue
        bullet = line[0] in _BULLET
        ranges = list(RANGE.finditer(line))
        residual = RANGE.sub(" ", line).strip(" ,|–-")
        header = None if bullet or not residual else _split_header(residual, places)
        if header is not None:
            title, employer = header
            near = i - opened_at <= 3
            if near and current is not None and title == current.title and employer is None:
                continue  # the layout repeats the title above the description
            current = ExperienceEntry(title=title, employer=employer)
            entries.append(current)
            opened_at = i
            awaiting_employer = employer is None
            if ranges:
                _set_dates(current, ranges[0])
            elif pending:
                _set_dates(current, pending.pop(0))
            continue
        if ranges and len(_words(residual)) <= 4:
            if current is not None and current.start is None and i - opened_at <= 3:
                _set_dates(current, ranges[0])
            else:
                pending.extend(ranges)
            continue
        if (
            current is not None
            and awaiting_employer
            and not bullet
            and i - opened_at <= 2
            and len(_words(line)) <= 8
            and not line.endswith(".")
        ):
            parts = _parts(residual)
            if parts:
                current.employer = parts[0]
            awaiting_employer = False
    # A date column read after the entries it belongs to: hand out the rest in order.
    for entry in entries:
        if entry.start is None and pending:
            _set_dates(entry, pending.pop(0))
    return entries


def parse_keyed_jobs(text: str) -> list[ExperienceEntry]:
    """Jobs written as "company - X" or "Title - Employer" lines anywhere in the text.

    Exports of job-board profiles put these outside any experience heading.
    """
    entries: list[ExperienceEntry] = []
    by_employer: dict[str, ExperienceEntry] = {}
    for line in text.split("\n"):
        keyed = _KEY_COMPANY.match(line)
        if keyed:
            employer = keyed.group(1).strip(" .,")
            if employer and len(_words(employer)) <= 8 and employer.lower() not in by_employer:
                entry = ExperienceEntry(employer=employer)
                by_employer[employer.lower()] = entry
                entries.append(entry)
            continue
        dashed = _TITLE_DASH_ORG.match(line)
        if dashed and is_title(dashed.group("title")) and not RANGE.search(line):
            org = dashed.group("org").strip(" .,")
            if len(_words(org)) > 8 or is_title(org):
                continue
            existing = by_employer.get(org.lower())
            if existing is None:
                entry = ExperienceEntry(title=dashed.group("title").strip(), employer=org)
                by_employer[org.lower()] = entry
                entries.append(entry)
            elif existing.title is None:
                existing.title = dashed.group("title").strip()
    return entries


def merge_entries(
    primary: list[ExperienceEntry], extra: list[ExperienceEntry]
) -> list[ExperienceEntry]:
    """`primary` plus the `extra` entries whose employer it does not have yet."""
    known = {(e.employer or "").lower() for e in primary if e.employer}
    known_titles = {(e.title or "").lower() for e in primary if e.title and not e.employer}
    merged = list(primary)
    for entry in extra:
        employer = (entry.employer or "").lower()
        if employer in known:
            for own in merged:
                if (own.employer or "").lower() == employer and own.title is None:
                    own.title = entry.title
            continue
        if entry.title and entry.title.lower() in known_titles:
            continue
        merged.append(entry)
        known.add(employer)
    return merged
