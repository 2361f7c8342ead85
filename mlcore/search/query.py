"""Read a recruiter's plain-language search ("Python developers in London with 5+ years") or a
pasted job description into structured filters: skills (through the skills taxonomy and its
aliases, misspellings corrected), a location, years of experience and job titles, plus the
words left over. The app shows each filter as a chip the recruiter can edit or remove.

Rules, not a model: a recruiter must be able to predict and correct what was read, and every
filter must say where it came from. What is not read as a filter stays a free word (it ranks,
it does not filter).
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from mlcore.parsing.skills import canonical_skill, closest_skill, load_taxonomy, skill_mentions
from mlcore.parsing.titles import title_heads

MAX_QUERY_CHARS = 5_000
# More words than this is a pasted job description: its skills, title and years are read,
# and its whole text ranks by meaning; its other words are not free words.
DESCRIPTION_WORDS = 40
MAX_DESCRIPTION_SKILLS = 4
MAX_WORDS = 8
# A typo is corrected only when the word is this long and this close to a skill's name.
TYPO_MIN_CHARS = 5
TYPO_CUTOFF = 0.8

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_NUM = r"(\d{1,2}(?:\.\d)?|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT = r"(?:years?|yrs?)"
_AFTER = r"(?:\s+of)?(?:\s+(?:relevant|professional|industry|commercial|work|hands-on))?"
_AFTER += r"(?:\s+experience)?"
_BEFORE = r"(?:\bwith\s+|\bhaving\s+|\bhas\s+)?"
# (pattern, which bound each number is): the first that matches wins.
_YEARS = [
    (
        re.compile(_BEFORE + rf"\b{_NUM}\s*(?:-|–|to)\s*{_NUM}\s*\+?\s*{_UNIT}{_AFTER}", re.I),
        "range",
    ),
    (re.compile(_BEFORE + rf"\b{_NUM}\s*\+\s*{_UNIT}{_AFTER}", re.I), "min"),
    (re.compile(_BEFORE + rf"\b{_NUM}\s*{_UNIT}\s*\+{_AFTER}", re.I), "min"),
    (
        re.compile(
            _BEFORE + r"\b(?:at least|minimum(?: of)?|min\.?|over|more than|no less than)\s+"
            rf"{_NUM}\s*\+?\s*{_UNIT}{_AFTER}",
            re.I,
        ),
        "min",
    ),
    (
        re.compile(
            _BEFORE + r"\b(?:up to|at most|less than|under|no more than|maximum(?: of)?)\s+"
            rf"{_NUM}\s*{_UNIT}{_AFTER}",
            re.I,
        ),
        "max",
    ),
    (re.compile(_BEFORE + rf"\b{_NUM}\s*{_UNIT}{_AFTER}", re.I), "min"),
]  # fmt: skip
_PLACE_WORD = r"[A-Za-z][\w.'’-]*"
_PLACE = re.compile(
    r"\b(?P<lead>based in|located in|living in|near|around|in)\s+"
    rf"(?P<place>{_PLACE_WORD}(?:(?:\s+|,\s*){_PLACE_WORD}){{0,3}})",
    re.I,
)
_BASED = re.compile(rf"\b(?P<place>{_PLACE_WORD})-based\b", re.I)
_LOCATION_LINE = re.compile(
    r"^\s*(?:location|based in|office)\s*:\s*(?P<place>[^\n]{2,60})$", re.I | re.M
)
# Words that end a place ("in London with Python" → "London").
_PLACE_ENDS = {
    "with", "and", "or", "who", "that", "having", "has", "for", "experienced", "experience",
    "skilled", "knowing", "plus", "able", "remote", "willing", "min", "minimum", "at", "over",
    "senior", "junior", "years", "year", "yrs",
}  # fmt: skip
# Fields of work that follow "in" more often than a place does ("nurses in healthcare").
_NOT_PLACES = {
    "the", "a", "an", "this", "that", "any", "our", "my", "their", "healthcare", "health",
    "finance", "banking", "retail", "hospitality", "education", "industry", "sales",
    "marketing", "it", "tech", "technology", "software", "engineering", "construction",
    "aviation", "agriculture", "law", "legal", "accounting", "fashion", "media", "design",
    "house", "office", "person", "charge", "teams", "team", "management", "business",
    "hospitals", "hospital", "schools", "school", "restaurants", "restaurant", "kitchens",
    "kitchen", "startups", "startup", "production", "manufacturing", "fitness",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'’+#.-]*[A-Za-z+#]|[A-Za-z]")
_STOP = {
    "a", "an", "the", "and", "or", "with", "who", "whom", "that", "which", "for", "of", "in",
    "on", "at", "to", "from", "by", "as", "has", "have", "having", "is", "are", "be", "been",
    "can", "could", "should", "must", "will", "would", "looking", "look", "need", "needs",
    "needed", "want", "wanted", "find", "me", "us", "our", "we", "i", "you", "some", "any",
    "someone", "somebody", "anyone", "people", "person", "candidate", "candidates",
    "profile", "profiles", "experience", "experienced", "experiences", "year", "years", "yr",
    "yrs", "plus", "strong", "good", "great", "solid", "skilled", "skills", "skill",
    "knowledge", "background", "expert", "expertise", "proficient", "proficiency", "senior",
    "junior", "mid", "level", "entry", "hands-on", "relevant", "professional", "ability",
    "able", "etc", "also", "both", "either", "very", "highly", "least", "more", "than",
    "over", "up", "into", "knows", "know", "knowing", "familiar", "familiarity",
    "based", "located", "near", "around", "min", "minimum", "maximum", "preferably",
    "ideally", "required", "preferred", "must-have", "nice", "sr", "jr", "lead",
}  # fmt: skip
_SENIORITY = {
    "senior", "junior", "lead", "principal", "staff", "chief", "head", "sr", "jr", "certified",
    "licensed", "qualified", "trainee", "experienced", "seasoned",
}  # fmt: skip
MAX_TITLE_MODIFIERS = 1


@dataclass(frozen=True)
class ParsedQuery:
    """What a search query asks for. `skills` are canonical taxonomy names; `corrected`
    pairs a typed word with the skill it was read as; `titles` are lower-case job titles
    ("registered nurse"); `words` are the free words left over."""

    text: str
    skills: tuple[str, ...] = ()
    corrected: tuple[tuple[str, str], ...] = ()
    location: str = ""
    min_years: float | None = None
    max_years: float | None = None
    titles: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    description: bool = False
    _spans: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.skills
            or self.location
            or self.min_years is not None
            or self.max_years is not None
            or self.titles
        )

    @property
    def keyword_terms(self) -> tuple[str, ...]:
        """What keyword relevance ranks by: free words, skills and titles."""
        return _unique((*self.words, *self.skills, *self.titles))


def parse_query(text: str) -> ParsedQuery:
    """`text` (a plain-language query or a pasted job description) → its filters."""
    text = text[:MAX_QUERY_CHARS]
    if len(text.split()) > DESCRIPTION_WORDS:
        return _parse_description(text)
    blank = list(text)
    min_years, max_years = _years(text, blank)
    mentions = skill_mentions(text)
    location = _location(text, blank, mentions)
    skills: list[str] = []
    for start, end, skill in mentions:
        if all(c == " " for c in blank[start:end]) or _names_a_title(text[start:end], skill):
            continue  # inside the years or the place already read; "graphic designer"
        _blank(blank, start, end)
        skills.append(skill)
    corrected: list[tuple[str, str]] = []
    for match in _WORD.finditer("".join(blank)):
        typo = _typo_skill(match.group(0))
        if typo:
            _blank(blank, match.start(), match.end())
            skills.append(typo)
            if canonical_skill(match.group(0)).casefold() != typo.casefold():  # not an alias
                corrected.append((match.group(0), typo))
    titles, rest = _titles("".join(blank))
    words = [word for word in rest if word.lower() not in _STOP]
    return ParsedQuery(
        text=text.strip(),
        skills=_unique(skills),
        corrected=tuple(corrected),
        location=location,
        min_years=min_years,
        max_years=max_years,
        titles=_unique(titles),
        words=_unique(words)[:MAX_WORDS],
    )


def _parse_description(text: str) -> ParsedQuery:
    """A job description: its first years requirement, its location line, its title (a
    title word in the first line) and its first few skills, technical ones before
    everyday ones."""
    blank = list(text)
    min_years, max_years = _years(text, blank)
    line = _LOCATION_LINE.search(text)
    location = _tidy_place(line.group("place")) if line else ""
    technical = load_taxonomy()["skills"]
    found = _unique([skill for _, _, skill in skill_mentions(text)])
    ordered = [s for s in found if s in technical] + [s for s in found if s not in technical]
    first_line = next((x for x in text.splitlines() if x.strip()), "")
    titles, _ = _titles(" ".join(first_line.split()[:10]))
    return ParsedQuery(
        text=text.strip(),
        skills=tuple(ordered[:MAX_DESCRIPTION_SKILLS]),
        location=location,
        min_years=min_years,
        max_years=max_years,
        titles=_unique(titles)[:1],
        description=True,
    )


def _number(token: str) -> float:
    token = token.lower()
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else float(token)


def _years(text: str, blank: list[str]) -> tuple[float | None, float | None]:
    for pattern, kind in _YEARS:
        match = pattern.search(text)
        if match is None:
            continue
        _blank(blank, match.start(), match.end())
        first = _number(match.group(1))
        if kind == "range":
            second = _number(match.group(2))
            return min(first, second), max(first, second)
        return (first, None) if kind == "min" else (None, first)
    return None, None


def _location(text: str, blank: list[str], mentions: list[tuple[int, int, str]]) -> str:
    """The place after "in", "based in", "near"… or before "-based"; the first that reads as
    a place (not a skill, not a field of work, not an acronym)."""
    lowercase_query = text == text.lower()
    for match in [*_PLACE.finditer(text), *_BASED.finditer(text)]:
        start = match.start("place")
        if blank[start] == " " and text[start] != " ":
            continue  # already read as years
        place = _tidy_place(match.group("place"))
        if not place or place.lower().split()[0] in _NOT_PLACES:
            continue
        end = start + len(place)
        lead = (match.groupdict().get("lead") or "").lower()
        explicit = lead not in ("in", "")
        overlaps_skill = any(s < end and start < e for s, e, _ in mentions)
        if overlaps_skill and not explicit:
            continue
        if (place.isupper() and len(place) <= 4) or place.lower().rstrip("s") in title_heads():
            continue
        if not explicit and not lowercase_query and not place[0].isupper():
            continue
        _blank(blank, match.start(), end)
        return place if not lowercase_query else place.title()
    return ""


def _tidy_place(raw: str) -> str:
    """Cut a place at the first word that ends it ("London with 5 years" → "London")."""
    kept: list[str] = []
    for piece in re.split(r"(\s+|,\s*)", raw.strip()):
        if piece.strip(" ,") and piece.strip(" ,").lower() in _PLACE_ENDS:
            break
        kept.append(piece)
    return "".join(kept).strip(" ,.;:")


def _singular(word: str) -> str:
    heads = title_heads()
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh")):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement in heads:
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and word[:-1] in heads:
        return word[:-1]
    return word


def _names_a_title(mention: str, skill: str) -> bool:
    """A skill alias that is a job title as written ("graphic designer" for Graphic design)
    is read as the title."""
    words = mention.split()
    if len(words) < 2:
        return False  # "Illustrator" is Adobe Illustrator
    return _singular(words[-1].lower()) in title_heads() and mention.casefold() != skill.casefold()


def _titles(text: str) -> tuple[list[str], list[str]]:
    """(job titles, other words) of `text`: a title is a title head word ("developers" →
    "developer") with the word before it when that qualifies it ("registered nurse",
    "sous chef"), not a seniority word nor a stop word. One word, not more: "elementary
    school teacher" is searched as "school teacher", which its holders' headlines contain
    in more ways than the whole phrase."""
    heads = title_heads()
    tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    titles: list[str] = []
    used: set[int] = set()
    for i, (word, _, _) in enumerate(tokens):
        head = _singular(word.lower())
        if head not in heads or head in _STOP:
            continue
        modifiers: list[str] = []
        j = i - 1
        while j >= 0 and len(modifiers) < MAX_TITLE_MODIFIERS and j not in used:
            before, _, end = tokens[j]
            between = text[end : tokens[j + 1][1]]
            lower = before.lower()
            # Next to it: a word read as something else leaves a gap ("car [dealership] service").
            if between.strip() or len(between) > 2 or lower in _STOP or lower in _SENIORITY:
                break
            if lower in heads:
                break
            modifiers.insert(0, lower)
            j -= 1
        used.update(range(j + 1, i + 1))
        titles.append(" ".join([*modifiers, head]))
    rest = [word for k, (word, _, _) in enumerate(tokens) if k not in used]
    return titles, rest


@functools.cache
def _known_words() -> frozenset[str]:
    """Whole English words of the encoder's WordPiece vocabulary (30,522 entries): a word
    there ("building", "video") is spelt as meant, never a typo of a skill."""
    from mlcore.encoder import base_model_path

    vocab = (base_model_path() / "vocab.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in vocab if w.isalpha() and len(w) > 2)


def _is_known_word(lower: str) -> bool:
    known = _known_words()
    if lower in known:
        return True
    # Another form of a known word: "dealership", "quotas", "marketer".
    for suffix in ("ship", "s", "es", "ed", "ing", "er", "ers", "ment", "ments"):
        if lower.endswith(suffix) and lower[: -len(suffix)] in known:
            return True
    return False


def _typo_skill(word: str) -> str | None:
    """The skill a misspelt word means ("pyhton" → "Python"), only for a long enough word
    that is no title and no common query word, close to the skill's own name (not only to
    one of its aliases: "registered" is near "registers", an alias of POS) and not another
    form of the same word ("marketer" is not "Marketing")."""
    lower = word.lower()
    if len(word) < TYPO_MIN_CHARS or not word.isalpha() or lower in _STOP:
        return None
    if _singular(lower) in title_heads() or _is_known_word(lower):
        return None
    skill = closest_skill(word, cutoff=TYPO_CUTOFF)
    if skill is None:
        return None
    names = [skill.lower(), *skill.lower().split()]
    close = [n for n in names if difflib.SequenceMatcher(None, lower, n).ratio() >= TYPO_CUTOFF]
    if not close or (any(_word_form(lower, n) for n in close) and lower not in names):
        return None
    return skill


_SUFFIXES = {"", "s", "es", "ed", "ing", "er", "ers", "ment", "ments", "ist", "ists", "y", "ies"}


def _word_form(a: str, b: str) -> bool:
    """True when `a` and `b` are one word with different endings."""
    common = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    tails = {a[common:], b[common:]}
    return common >= 4 and tails <= _SUFFIXES and not tails <= {"", "s", "es"}


def _blank(blank: list[str], start: int, end: int) -> None:
    for i in range(start, min(end, len(blank))):
        blank[i] = " "


def _unique(items: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return tuple(out)
