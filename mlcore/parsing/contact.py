"""Contact details: name, e-mail, phone (E.164), location and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers

from mlcore.contacts import normalize_email, normalize_phone

from .sections import heading_of
from .vocab import TITLE_WORDS

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s|,;<>()]+"
    # Without a scheme only common web TLDs count: "tool.pytest.ini" is not a link.
    r"|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|me|ai|app)\b"
    r"(?:/[^\s|,;<>()]*)?",
    re.IGNORECASE,
)
_LOCATION = re.compile(
    r"^(?:\d+[\w .'-]*,\s*)?[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+)*"
    r"(?:,\s*[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]+)*){1,3}$"
)
_YEARS = re.compile(r"\s*(?:19|20)\d\d(?:\s*[-–/,]\s*(?:19|20)\d\d)+\s*")
_SEPARATORS = re.compile(r"\s*(?:\||•|·|—|–|\t|\s{3,}| - )\s*")


@dataclass
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] = field(default_factory=list)


def find_email(text: str) -> str | None:
    for match in _EMAIL.finditer(text):
        email = normalize_email(match.group(0).strip("."))
        if email:
            return email
    return None


def find_phone(text: str, region: str = "US") -> str | None:
    """The first phone number in E.164, national numbers read in `region`.

    Valid numbers win; a merely *possible* number (right length, unknown area code, as in
    the placeholder "(123) 456-7890") is still what the candidate wrote, so it is kept.
    """
    valid, possible = _scan_phones(text, region)
    return valid or possible


def find_phone_in(text: str, regions: list[str], *, trusted: int) -> str | None:
    """The first phone number of `text`, reading national numbers in `regions` in order
    (phone_region.py).

    The first `trusted` regions come from the resume itself (strongest hint first) or the
    deployment's default: the first of them that reads a number wins, valid or merely possible
    (a placeholder like "(123) 456-7890" is what the candidate wrote). The rest are guesses,
    and only a valid number is taken from a guess."""
    for region in regions[:trusted]:
        valid, possible = _scan_phones(text, region)
        if valid or possible:
            return valid or possible
    for region in regions[trusted:]:
        valid, _ = _scan_phones(text, region)
        if valid:
            return valid
    return None


def _scan_phones(text: str, region: str) -> tuple[str | None, str | None]:
    """(first valid number, first possible number) in E.164, national ones read in `region`."""
    possible: str | None = None
    matcher = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        raw = match.raw_string
        if len(re.sub(r"\D", "", raw)) < 9:  # years and short codes, not phone numbers
            continue
        if _YEARS.fullmatch(raw):
            continue  # a year range or a list of years ("SQL Server 2005/2008/2016")
        valid = normalize_phone(raw, region)
        if valid:
            return valid, possible
        if possible is None:
            possible = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None, possible


def find_links(text: str) -> list[str]:
    links: list[str] = []
    for match in _URL.finditer(text):
        start = match.start()
        if start > 0 and text[start - 1] == "@":
            continue  # the domain of an e-mail address
        link = match.group(0).rstrip(".,;:)")
        if "@" in link or link.lower() in (x.lower() for x in links):
            continue
        links.append(link)
    return links


def _is_name_token(word: str) -> bool:
    # Any alphabet: "José", "Müller", "O'Neil", "Jean-Luc", "J."
    return word[0].isupper() and all(ch.isalpha() or ch in "'’.-" for ch in word)


def _name_candidate(line: str) -> str | None:
    line = line.strip()
    if line[:1] in "•*-▪●◦":
        return None  # a bullet point is a list item, never the candidate's name
    line = line.strip("|").strip()
    if not line or heading_of(line) or any(ch.isdigit() for ch in line) or "@" in line:
        return None
    first = _SEPARATORS.split(line)[0].strip()
    words = first.split()
    if not 2 <= len(words) <= 4 or not all(_is_name_token(w) for w in words):
        return None
    if any(w.lower().strip(".,") in TITLE_WORDS for w in words):
        return None
    return first


def _tidy_name(name: str) -> str:
    # "JOHN DOE" -> "John Doe": shouting is layout, not the candidate's spelling.
    return name.title() if name.isupper() else name


def find_name(top_lines: list[str], persons: list[str]) -> str | None:
    """The first top line that looks like a person's name; spaCy's PERSON breaks ties."""
    candidates = [c for c in (_name_candidate(line) for line in top_lines) if c]
    for candidate in candidates:
        if any(p in candidate or candidate in p for p in persons):
            return _tidy_name(candidate)
    if candidates:
        return _tidy_name(candidates[0])
    for person in persons:
        if _name_candidate(person) and any(line.strip() == person for line in top_lines):
            return _tidy_name(person)
    return None


def find_location(top_lines: list[str], places: list[str]) -> str | None:
    for line in top_lines:
        for part in _SEPARATORS.split(line):
            part = part.strip()
            if part[:1].isdigit() and "," in part:
                part = part.split(",", 1)[1].strip()  # "123 Main St, Anywhere, USA"
            if "@" in part or _URL.search(part) or any(ch.isdigit() for ch in part):
                continue
            if _LOCATION.match(part) and not any(
                w.lower() in TITLE_WORDS for w in part.replace(",", " ").split()
            ):
                return part
    return places[0] if places else None
