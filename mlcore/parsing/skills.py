"""Skills: every item of the skills section, plus taxonomy matches in the rest of the text.

The taxonomy (O*NET technology skills and task-statement techniques, curated synonyms and a
hand-written list of everyday skills) gives each skill one canonical name. A skills-section
item the taxonomy knows becomes that name ("MS Excel" -> "Microsoft Excel"); an item it does
not know is kept as written, tidied. `canonical_skill` and `same_skill` compare skill names
by the same aliases wherever skills are matched (fit explanations, search).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import json
import re
from pathlib import Path
from typing import Any

from .nlp import get_nlp, spacy_text

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "skills_taxonomy.json"
MAX_ITEM_WORDS = 7  # a longer line is a sentence about the work, not the name of a skill
MAX_ITEM_CHARS = 70


@functools.cache
def load_taxonomy() -> dict[str, Any]:
    taxonomy: dict[str, Any] = json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))
    return taxonomy


# --- names -------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_LEFT = " \t•●▪■◦○·►▸✓✔❖➢➤*\uf0b7\uf0a7\uf0d8-–—:;,!?\"'`"  # not ".": ".NET"
_RIGHT = _LEFT + "."
# Words around a skill that say how well, not which: "Strong communication skills",
# "Proficient in Excel", "ServSafe certified".
_LEAD = re.compile(
    r"^(?:(?:very |highly )?(?:strong|excellent|exceptional|outstanding|superior|good|solid|"
    r"advanced|basic|intermediate|effective|extensive|in-depth|proven|expert|skilled|"
    r"proficient|experienced|knowledgeable|familiar|working|sound|keen|great)\b"
    r"(?:\s+(?:in|with|of|at|on)\b)?\s*|"
    r"(?:proficiency|proficient|skilled|experienced|expertise|experience|expert|knowledge|"
    r"trained|certified|competent|competency|ability|familiarity|understanding)"
    r"\s+(?:in|with|of|at|on|to)\b\s*|(?:knowledge|understanding|command) of\s+)",
    re.IGNORECASE,
)
_TAIL = re.compile(
    r"\s+(?:skills?|knowledge|experience|expertise|proficiency|abilities|ability|"
    r"certified|certification|certificate|techniques?|basics|databases?|v?\d+(?:\.\d+)*|\d{4})$",
    re.IGNORECASE,
)


def _strip(text: str) -> str:
    return text.lstrip(_LEFT).rstrip(_RIGHT)


def _key(name: str) -> str:
    return _strip(_SPACE.sub(" ", name.replace("\u00a0", " "))).casefold()


@functools.cache
def _alias_index() -> dict[str, str]:
    """Every alias (matched in text or only as a list item), folded -> canonical name."""
    taxonomy = load_taxonomy()
    index: dict[str, str] = {}
    groups = [
        taxonomy["skills"],
        taxonomy.get("general_skills", {}),
        taxonomy.get("extra_aliases", {}),
        taxonomy.get("listed_aliases", {}),
    ]
    for group in groups:
        for canonical, aliases in group.items():
            for alias in (canonical, *aliases):
                index.setdefault(_key(alias), canonical)
    return index


def _lookup(name: str) -> str | None:
    index = _alias_index()
    key = _key(name)
    if key in index:
        return index[key]
    # Peel qualifiers one at a time: "Strong time management skills" -> "time management".
    for _ in range(4):
        core = _strip(_TAIL.sub("", _LEAD.sub("", key)))
        if core == key or not core:
            return None
        key = core
        if key in index:
            return index[key]
    return None


def closest_skill(word: str, cutoff: float = 0.8) -> str | None:
    """The taxonomy's skill a misspelt word most likely means ("pyhton" -> "Python"), or None
    when nothing is close enough; a word that is already a skill (or alias) returns it."""
    key = _key(word)
    index = _alias_index()
    if key in index:
        return index[key]
    # A typo changes a letter or two, not the length: "engineer" is not "Pro/ENGINEER".
    near = [k for k in index if abs(len(k) - len(key)) <= 2]
    close = difflib.get_close_matches(key, near, n=1, cutoff=cutoff)
    return index[close[0]] if close else None


def canonical_skill(name: str) -> str:
    """The taxonomy's name for a skill ("MS Excel", "Excel" -> "Microsoft Excel"), or the
    name itself, tidied, when the taxonomy does not know it."""
    tidy = _strip(_SPACE.sub(" ", name.replace("\u00a0", " ")))
    return _lookup(tidy) or tidy


def skill_key(name: str) -> str:
    """What two names of one skill have in common: compare and de-duplicate by this."""
    return canonical_skill(name).casefold()


def same_skill(a: str, b: str) -> bool:
    """True when both names are one skill ("Apache Spark" and "Spark", "MS Excel" and "Excel")."""
    return skill_key(a) == skill_key(b)


def matched_and_missing(required: list[str], have: list[str]) -> tuple[list[str], list[str]]:
    """(required skills the candidate has, required skills missing), compared by alias."""
    keys = {skill_key(s) for s in have}
    matched = [s for s in required if skill_key(s) in keys]
    missing = [s for s in required if skill_key(s) not in keys]
    return matched, missing


# --- skills-section items ----------------------------------------------------------------

_BULLET_START = re.compile(r"^\s*(?:[•●▪■◦○·►▸✓✔❖➢➤*\uf0b7\uf0a7\uf0d8]|[-–]\s)")
_COLUMN_GAP = re.compile(r"\t+|\s{3,}")
_SEPARATORS = re.compile(r"\s*[,;|•●▪■◦·\uf0b7]\s*")
# "Languages: Python, Java", "Laboratory procedures- microbiology, chemistry"
_LABELLED = re.compile(r"^(?P<label>[^,:;]{2,40}?)\s*(?::|\s[-–]\s|-\s)\s*(?P<rest>.+)$")
# Job-board exports: "Python- Exprience - 24 months" (sic), "Excel (3 years)"
_EXPORT_TAIL = re.compile(r"\s*[-–]\s*Exp(?:e|)rience\b.*$", re.IGNORECASE)
_EXPORT_LINE = re.compile(r"^.*[-–]\s*Exp(?:e|)rience\b.*$", re.IGNORECASE | re.MULTILINE)
_PAREN_DIGITS = re.compile(r"\s*\([^)]*\d[^)]*\)\s*$")
_JOINERS = re.compile(r"\s+(?:and|&|/)\s+|\s*/\s*", re.IGNORECASE)
_NOT_SKILLS = {
    "and", "or", "etc", "others", "other", "various", "com", "basic", "skills", "languages",
    "tools", "software", "na", "n/a", "company name", "city , state", "city, state",
}  # fmt: skip
_SENTENCE = re.compile(r"\b(?:I|my|we|our|me|us)\b|\.\s+[A-Z]|https?:|www\.|@", re.IGNORECASE)
# A list item does not start like the middle of a sentence ("to real life solutions").
_CLAUSE_START = re.compile(
    r"^(?:to|where|which|that|who|the|a|an|with|for|in|of|by|from|as|on|at|while|being|"
    r"including|such|etc)\b",
    re.IGNORECASE,
)
_VERSION = re.compile(r"^v?\d+(?:\.\d+)*\+?$", re.IGNORECASE)
# Inline labels that end the skills list ("MY HOBBIES: -", "DECLARATION:-").
_LIST_ENDS = re.compile(r"\b(?:hobbies|interests|declaration|references|personal details)\b", re.I)
# "SQL and NoSQL databases (MySQL, MongoDB)": the bracketed list is items too.
_PAREN_LIST = re.compile(r"\s*\(([^()]*[,;][^()]*)\)")
_TRAILING_PAREN = re.compile(r"^(?P<head>.+?)\s*\([^()]*\)$")


def _is_skill_like(item: str) -> bool:
    words = item.split()
    if not words or len(words) > MAX_ITEM_WORDS or len(item) > MAX_ITEM_CHARS:
        return False
    if item.casefold() in _NOT_SKILLS or not re.search(r"[A-Za-z]", item):
        return False
    if len(re.sub(r"\D", "", item)) >= 5:  # dates, phone numbers, scores
        return False
    if len(item) == 1 and _lookup(item) is None:
        return False
    if _VERSION.match(item) or _CLAUSE_START.match(item):
        return False
    return not _SENTENCE.search(item)


def _tidy(item: str) -> str:
    item = item.replace("\u00a0", " ").replace("Â", " ")
    item = _EXPORT_TAIL.sub("", item)
    item = _PAREN_DIGITS.sub("", _strip(item))
    item = _SPACE.sub(" ", _strip(item))
    item = re.sub(r"^(?:and|or|&)\s+", "", item, flags=re.IGNORECASE)
    if item.count("(") != item.count(")"):
        item = _strip(item.replace("(", " ").replace(")", " "))
        item = _SPACE.sub(" ", item)
    match = _TRAILING_PAREN.match(item)
    if match and _lookup(match.group("head")) is not None:
        item = match.group("head")  # "Node.js (MERN stack)": the known skill is the item
    return item


def _split_joined(item: str) -> list[str]:
    """ "Access and PowerPoint", "HTML/CSS": split only when every part is a known skill."""
    if _lookup(item) is not None or not _JOINERS.search(item):
        return [item]
    parts = [_strip(p) for p in _JOINERS.split(item) if p and _strip(p)]
    if len(parts) > 1 and all(_lookup(p) is not None for p in parts):
        return parts
    return [item]


def _unlabel(text: str) -> list[str] | None:
    """ "Languages: Python, Java" -> the items after the label (and the label when it is a
    skill itself, "Microsoft Office: Word, Excel"); None when `text` has no such label."""
    match = _LABELLED.match(text)
    if not match or len(match.group("label").split()) > 5:
        return None
    label, rest = match.group("label"), match.group("rest")
    head = [label] if _lookup(label) is not None else []
    if "," in rest or ";" in rest or head or len(rest.split()) <= 4:
        return head + [p for p in _SEPARATORS.split(rest) if p.strip()]
    return None


def _is_prose(line: str) -> bool:
    """A long line whose comma parts are long is a sentence, not a list."""
    words = line.split()
    if len(words) < 12:
        return False
    parts = [p for p in _SEPARATORS.split(line) if p.strip()]
    return len(words) / max(1, len(parts)) > 4


def _split_line(line: str) -> list[str]:
    """One line (or column cell) of a skills list -> its items."""
    line = _PAREN_LIST.sub(lambda m: ", " + m.group(1) + ",", _EXPORT_TAIL.sub("", line))
    if _is_prose(line):
        return []
    parts = _unlabel(line) or [p for p in _SEPARATORS.split(line) if p.strip()]
    items: list[str] = []
    for part in parts:
        # "Framework: Django" inside a comma list
        items.extend(_unlabel(part) or [part] if ":" in part else [part])
    return items


def _block_lines(block: list[str]) -> list[str]:
    """Lines of one block with wrapped items put back together.

    A comma list wraps anywhere ("customer service, Customer" / "Service Skills, data");
    in a list of one item per line, a lower-case line continues the line above
    ("Exceptional time management" / "skills") when the other items start upper-case.
    """
    separators = sum(len(_SEPARATORS.findall(line)) for line in block)
    bulleted = sum(bool(_BULLET_START.match(line)) for line in block)
    if separators >= max(2, len(block) - 1) and not bulleted and len(block) > 1:
        # A line wraps into the next only when it runs (nearly) the full width.
        width = max(len(line.rstrip()) for line in block)
        joined = [block[0].strip()]
        for before, line in itertools.pairwise(block):
            # "Languages: ..." lines and column layouts hold whole lists of their own.
            own = any(":" in x[:40] or _COLUMN_GAP.search(x.strip()) for x in (before, line))
            full = before.rstrip().endswith(",") or len(before.rstrip()) >= 0.6 * width
            if full and not own:
                joined[-1] += " " + line.strip()
            else:
                joined.append(line.strip())
        return joined
    starts = [line.strip()[:1] for line in block]
    upper = sum(s.isupper() for s in starts)
    out: list[str] = []
    for line, start in zip(block, starts, strict=True):
        continues = (
            out
            and start.islower()
            and upper >= 0.6 * len(block)
            and not _BULLET_START.match(line)
            and not _COLUMN_GAP.search(line.strip())
            and not out[-1].rstrip().endswith((".", ",", ";", ":"))
        )
        if continues:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return out


def section_items(section: str) -> list[str]:
    """The raw items of a skills section, tidied, sentences left out, in order."""
    items: list[str] = []
    ended = _LIST_ENDS.search(section)
    if ended:
        section = section[: ended.start()]
    # An export line ("Python- Exprience - 24 months") is one item of its own.
    section = _EXPORT_LINE.sub(lambda m: "\n" + m.group(0) + "\n", section)
    for block in re.split(r"\n\s*\n", section):
        lines = [line for line in block.split("\n") if line.strip()]
        for line in _block_lines(lines):
            for cell in _COLUMN_GAP.split(line.strip()):  # two-column layouts
                for part in _split_line(cell.strip()):
                    item = _tidy(part)
                    for piece in _split_joined(item):
                        if _is_skill_like(piece):
                            items.append(piece)
    return items


def listed_skills(section: str) -> list[str]:
    """Skills a skills section lists: canonical names when known, else as written."""
    seen: set[str] = set()
    out: list[str] = []
    for item in section_items(section):
        name = _lookup(item) or item
        if name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


# --- taxonomy matches in running text ----------------------------------------------------


@functools.cache
def _matchers() -> tuple[Any, Any, dict[str, str]]:
    """(case-insensitive matcher, exact-case matcher, match id -> canonical skill)."""
    from spacy.matcher import PhraseMatcher

    nlp = get_nlp()
    taxonomy = load_taxonomy()
    # Short aliases and everyday words ("R", "Go", "Spring") match only as written; the
    # rest match in any case, since resumes write "javascript", "MYSQL"...
    exact = set(taxonomy["case_sensitive"])
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    orth = PhraseMatcher(nlp.vocab, attr="ORTH")
    canonical_of: dict[str, str] = {}
    entries: list[tuple[str, list[str]]] = [
        (canonical, [canonical, *aliases]) for canonical, aliases in taxonomy["skills"].items()
    ]
    # General skills list only the aliases that are safe in running text (their listed-only
    # aliases such as "Sales" or "Leadership" count only inside a skills section).
    entries += list(taxonomy.get("general_skills", {}).items())
    entries += list(taxonomy.get("extra_aliases", {}).items())
    for index, (canonical, aliases) in enumerate(entries):
        key = f"S{index}"
        canonical_of[key] = canonical
        loose: list[Any] = []
        strict: list[Any] = []
        for alias in aliases:
            # Capitals-only short aliases ("SAN", "ATS") are acronyms, not "San Francisco".
            is_exact = alias in exact or len(alias) <= 2 or (alias.isupper() and len(alias) <= 4)
            (strict if is_exact else loose).append(nlp.make_doc(alias))
        if loose:
            lower.add(key, loose)
        if strict:
            orth.add(key, strict)
    return lower, orth, canonical_of


def skills_in_text(text: str) -> list[str]:
    """Canonical skills the taxonomy finds in `text`, in order of first mention."""
    from spacy.util import filter_spans

    if not text.strip():
        return []
    nlp = get_nlp()
    lower, orth, canonical_of = _matchers()
    doc = nlp.make_doc(spacy_text(text))  # tokenizer only: the matcher needs no model
    matches = [*lower(doc), *orth(doc)]
    ids = {(start, end): nlp.vocab.strings[match] for match, start, end in matches}
    spans = [doc[start:end] for _, start, end in matches]
    seen: list[str] = []
    # The longest match wins: "Spring Boot" over "Spring", "SQL Server" over "SQL".
    for span in sorted(filter_spans(spans), key=lambda s: s.start):
        skill = canonical_of[ids[(span.start, span.end)]]
        if skill not in seen:
            seen.append(skill)
    return seen


def skill_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical skill) of each taxonomy skill mentioned in `text`, by character
    offsets, longest match first as in `skills_in_text` (a search query is read this way)."""
    from spacy.util import filter_spans

    if not text.strip():
        return []
    nlp = get_nlp()
    lower, orth, canonical_of = _matchers()
    doc = nlp.make_doc(spacy_text(text))
    matches = [*lower(doc), *orth(doc)]
    ids = {(start, end): nlp.vocab.strings[match] for match, start, end in matches}
    spans = filter_spans([doc[start:end] for _, start, end in matches])
    return [
        (span.start_char, span.end_char, canonical_of[ids[(span.start, span.end)]])
        for span in sorted(spans, key=lambda s: s.start)
    ]


def find_skills(text: str, *, listed: bool = True) -> list[str]:
    """Skills of a resume (or job) text: the skills section's items first (canonical when
    known, else as written), then taxonomy skills mentioned anywhere, without repeats.

    `listed=False` gives the taxonomy matches only.
    """
    from .sections import split_sections

    found = skills_in_text(text)
    if not listed:
        return found
    items = listed_skills(split_sections(text).get("skills", "")) if text.strip() else []
    seen: set[str] = set()
    out: list[str] = []
    for skill in [*items, *found]:
        if skill.casefold() not in seen:
            seen.add(skill.casefold())
            out.append(skill)
    return out
