"""Work experience: job entries (title, employer, dates) and total years without overlaps."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from .dates import DANGLING_START, LEADING_END, RANGE, SINGLE, parse_end, parse_month
from .phone_region import place_pattern
from .results import ExperienceEntry
from .titles import title_heads
from .vocab import ORG_SUFFIXES, ORG_WORDS, TITLE_WORDS

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


# ----------------------------------------------------------------------------- layout-free jobs
#
# An experience section is read as blocks: runs of short lines (a job's header: title,
# employer, place, dates, in any order and on one line or several) between descriptions
# (bullets, sentences). A block with several date ranges holds several jobs (a table, or
# jobs without descriptions); it is cut so that each piece has one range, keeping the lines
# the layout puts before a range with it. In each piece, the title is the part with a job
# title's head word ("Paralegal", "Line Cook"); the employer is the part that names an
# organisation, else the part next to the title on the side where this resume puts its
# employers (learnt from the pieces where both were clear). Places are dropped.

_SEP = re.compile(r"(\s*(?:\||\t|\s{3,}| [-–—] | @ | at |,)\s*)")
_LEAD_CHARS = "•*▪●◦·>"


@dataclass
class _Part:
    text: str
    line: int
    after: str  # the separator before it ("," ... or "" at the start of a line)
    role: str = ""  # "title" / "org" where a key said so ("Role: ...", "Client: ...")


def _is_bullet(line: str) -> bool:
    # Any mark that is not a letter, digit or bracket opens a bullet ("•", "â¦", "➢", "-").
    return not (line[:1].isalnum() or line[:1] in "(\"'“")


def _is_prose(residual: str) -> bool:
    words = _words(residual)
    return (
        len(words) > 12
        or (len(words) > 6 and residual.rstrip().endswith("."))
        # a sentence wrapped onto this line (not an export's "company - X" key)
        or (residual[:1].islower() and not re.match(r"^[a-z ]{2,20} [-–] ", residual))
        or bool(re.search(r"[a-z]{2}\. [A-Z]", residual))  # two sentences
        or bool(re.match(r"^\d{1,2}[.)]\s", residual))  # a numbered list item
    )


_LEVEL = re.compile(r"(?:\s+(?:[IVX]{1,4}|\d|[A-Z]|Level \d|Grade \d+|Sr\.?|Jr\.?))+$")
_KEYED = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{1,20}?)\s*:\s*(?P<value>.*)$")
_TITLE_KEYS = {"role", "designation", "title", "position", "job title", "working as"}
_ORG_KEYS = {"organization", "organisation", "company", "employer", "client", "company name"}


def _head(part: str) -> str:
    """The head noun: the last word, less levels ("Engineer II") and compounds' prefixes."""
    words = [w.lower().strip(".,()'") for w in _words(_LEVEL.sub("", part) or part)]
    return words[-1].split("-")[-1].split("/")[-1] if words else ""


def _capitalised(part: str) -> bool:
    words = [w for w in _words(part) if w.lower() not in _SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= max(1, (len(words) + 1) // 2)


def title_score(part: str) -> int:
    """2: ends with a job title's head word; 1: holds one; 0: none (or reads as a sentence)."""
    words = _words(part)
    if not 1 <= len(words) <= 8 or part.rstrip().endswith(".") or not words[0][:1].isupper():
        return 0
    heads = title_heads()
    lowered = [w.lower().strip(".,()'") for w in words]
    if _head(part) in heads or _head(part).rstrip("s") in heads:
        return 2
    if not _capitalised(part):
        return 0
    if any(w in heads or w.split("-")[-1] in heads or w.split("/")[0] in heads for w in lowered):
        return 0 if org_score(part) >= 2 else 1
    return 0


def org_score(part: str) -> int:
    """2: ends with an organisation word or suffix ("... Bank", "..., Inc"); 1: holds one."""
    lowered = [w.lower().strip(".,()'") for w in _words(part)]
    if not lowered:
        return 0
    if lowered[-1] in ORG_WORDS or lowered[-1] in ORG_SUFFIXES:
        return 2
    if any(w in ORG_WORDS for w in lowered) or "&" in part:
        return 1
    return 0


def _is_place(part: _Part) -> bool:
    text = part.text.strip()
    if _LOCATIONISH.match(text) or re.fullmatch(r"[A-Z][\w.' -]+, ?[A-Z]{2}(?: \d{5})?", text):
        return True
    return part.after.strip() == "," and bool(place_pattern().fullmatch(text))


def _piece_parts(lines: list[tuple[int, str]]) -> list[_Part]:
    parts: list[_Part] = []
    for number, line in lines:
        residual = RANGE.sub(" ", line).strip(" ,|–-()")
        pieces = _SEP.split(residual)
        after = ""
        for k, piece in enumerate(pieces):
            if k % 2 == 1:
                after = piece
                continue
            text = re.sub(r"^\d{1,2}[.)]\s+", "", piece.strip(" ,;()"))
            if text.count("(") > text.count(")"):
                text += ")"
            if not text or text.endswith(":") or text.lower() in _KEYS:
                continue
            role = ""
            keyed = _KEYED.match(text)
            if keyed:
                key = keyed.group("key").lower().strip()
                if key not in _TITLE_KEYS | _ORG_KEYS:
                    continue  # "Project Type: Support", "Duration: ..."
                role = "title" if key in _TITLE_KEYS else "org"
                text = keyed.group("value").strip(" .")
                if not text:
                    continue
            if not re.search(r"[A-Za-z]", text) or SINGLE.fullmatch(text):
                continue
            if parts and text.lower() in ORG_SUFFIXES:
                parts[-1].text = f"{parts[-1].text}, {text}"
                continue
            parts.append(_Part(text, number, after, role))
    # "Cupertino, CA": a name before a state code is a city.
    for k in range(len(parts) - 1):
        nxt = parts[k + 1]
        if (
            nxt.after.strip() == ","
            and re.fullmatch(r"[A-Z]{2}", nxt.text)
            and nxt.line == parts[k].line
        ):
            parts[k].after = ","
            parts[k].text = f"{parts[k].text}, {nxt.text}"
    return [p for p in parts if len(_words(p.text)) <= 10 and not _is_place(p)]


def _pick(parts: list[_Part], title_first: bool | None) -> tuple[int | None, int | None, bool]:
    """(title index, employer index, sure) in `parts`."""
    if not parts:
        return None, None, False
    scores = [3 if p.role == "title" else title_score(p.text) for p in parts]
    best = max(scores)
    title = scores.index(best) if best > 0 else None
    sure = best >= 2 and scores.count(best) == 1
    if title is None:
        # No head word: the capitalised part that names no organisation, by this resume's
        # order ("Student Teaching", "Self-employed"); none when every part is a company.
        orgs = [i for i, p in enumerate(parts) if org_score(p.text) >= 1 or p.role == "org"]
        rest = [i for i in range(len(parts)) if i not in orgs and _capitalised(parts[i].text)]
        if not rest:
            return None, (orgs[0] if orgs else None), False
        reverse = len(rest) >= 2 and title_first is False and not orgs
        title = rest[1] if reverse else rest[0]
    # " at " binds title and employer whatever else the line holds.
    if title + 1 < len(parts) and parts[title + 1].after.strip() in {"at", "@"}:
        return title, title + 1, sure
    others = [i for i in range(len(parts)) if i != title]
    if not others:
        return title, None, sure
    org_scores = {i: 3 if parts[i].role == "org" else org_score(parts[i].text) for i in others}
    top = max(org_scores.values())
    if top >= 2:
        candidates = [i for i in others if org_scores[i] == top]
        return title, min(candidates, key=lambda i: abs(i - title)), sure
    after = [i for i in others if i > title]
    before = [i for i in others if i < title]
    if title_first is False and before:
        return title, before[-1], sure
    if after:
        return title, after[0], sure
    return title, before[-1], sure


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Runs of header-like lines; bullets and sentences end a run, blank lines do not."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        residual = RANGE.sub(" ", line).strip(" ,|–-()")
        if _is_bullet(line) or _is_prose(residual):
            if current:
                blocks.append(current)
            current = []
            continue
        current.append((number, line))
    if current:
        blocks.append(current)
    return blocks


def _pieces(block: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    keyed = [k for k, (_, line) in enumerate(block) if _KEY_COMPANY.match(line)]
    if len(keyed) >= 2:  # "company - X" / "description - ..." exports: one job per key
        starts = [0, *keyed[1:]]
        return [block[s:e] for s, e in zip(starts, [*starts[1:], len(block)], strict=True)]
    anchors = [k for k, (_, line) in enumerate(block) if RANGE.search(line)]
    if len(anchors) <= 1:
        return [block]
    if all(b - a == 1 for a, b in itertools.pairwise(anchors)) and all(
        _words(RANGE.sub(" ", block[k][1])) for k in anchors
    ):
        return [[block[k]] for k in anchors]  # a table: one job per row
    lead = anchors[0]
    starts = [max(0, a - lead) for a in anchors]
    starts[0] = 0
    return [block[s:e] for s, e in zip(starts, [*starts[1:], len(block)], strict=True)]


def parse_experience_section(text: str, places: PlaceFinder | None = None) -> list[ExperienceEntry]:  # noqa: C901
    """Entries from an experience section of any of the common layouts."""
    lines = _join_dangling(text.split("\n"))
    found: list[tuple[list[_Part], re.Match[str] | None, int]] = []
    pending: list[re.Match[str]] = []
    for block in _blocks(lines):
        # A run of several dates alone is a column of dates, handed out in order at the end.
        column = sum(1 for _, line in block if RANGE.search(line) and not _piece_parts([(0, line)]))
        for piece in _pieces(block):
            ranges = [m for _, line in piece for m in RANGE.finditer(line)]
            parts = _piece_parts(piece)
            if not parts:
                if ranges:
                    # A date alone (its own column, or moved by the PDF's layout): it belongs
                    # to the job just above when that one has none, else to the next one.
                    if (
                        column == 1
                        and found
                        and found[-1][1] is None
                        and piece[0][0] - found[-1][2] <= 8
                    ):
                        found[-1] = (found[-1][0], ranges[0], found[-1][2])
                    else:
                        pending.append(ranges[0])
                continue
            if not ranges and not any(p.role or title_score(p.text) >= 2 for p in parts):
                continue  # a project name or a sub-heading, not a job
            if not ranges and pending:
                ranges = [pending.pop(0)]
            found.append((parts, ranges[0] if ranges else None, piece[-1][0]))
    if places is not None:
        # "GOOGLE, Denver": a short name after a comma may be the place; spaCy decides, in
        # one call for the whole section.
        maybe = [
            p
            for parts, _, _ in found
            for k, p in enumerate(parts)
            if k and p.after.strip() == "," and not p.role and len(_words(p.text)) <= 3
            and parts[k - 1].line == p.line and not title_score(parts[k - 1].text)
            and not org_score(p.text) and not title_score(p.text)
        ]  # fmt: skip
        if maybe:
            flagged = {
                id(p)
                for p, is_place in zip(maybe, places([p.text for p in maybe]), strict=True)
                if is_place
            }
            found = [([p for p in parts if id(p) not in flagged], m, n) for parts, m, n in found]
    # Which side of the title this resume writes the employer on, from the clear pieces.
    votes = 0
    for parts, _, _ in found:
        title, employer, sure = _pick(parts, None)
        if not sure or employer is None or title is None:
            continue
        sides = {employer > title for employer in range(len(parts)) if employer != title}
        if org_score(parts[employer].text) >= 2 or len(sides) == 1:
            votes += 1 if employer > title else -1
    title_first = None if votes == 0 else votes > 0
    entries: list[ExperienceEntry] = []
    for parts, match, _ in found:
        title, employer, _ = _pick(parts, title_first)
        entry = ExperienceEntry(
            title=parts[title].text if title is not None else None,
            employer=parts[employer].text if employer is not None else None,
        )
        if match is not None:
            _set_dates(entry, match)
        elif pending:
            _set_dates(entry, pending.pop(0))
        if entries and entry.title == entries[-1].title and entry.start is None:
            if entries[-1].employer is None:
                entries[-1].employer = entry.employer
            continue  # the layout repeats the title above the description
        entries.append(entry)
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
