"""Blind screening for the models: personal details are replaced before text reaches them.

Names, e-mail addresses, phone numbers, links, street addresses, dates of birth and ages,
gender/marital/nationality fields and gendered words all become neutral placeholders.
The same function runs for scoring, training and explanations, so the model never learns
from, nor reacts to, who a person is.
"""

from __future__ import annotations

import re
from functools import lru_cache

MASK_VERSION = "mask-2"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b(?:linkedin|github|gitlab|twitter|facebook|instagram|behance)"
    r"\.com/\S*",
    re.I,
)
# 7+ digits with the usual separators, optionally with a leading + or a (area code).
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().\-–−]{6,}\d(?![\w.])")
_DOB = re.compile(
    r"\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born(?:\s+on)?|birth\s*date)\b\s*[:\-–]?\s*"
    r"[^\n,;|]{0,30}",
    re.I,
)
_AGE = re.compile(r"\b(?:age\s*[:\-–]\s*\d{1,2}|\d{1,2}\s*(?:years?|yrs?)\s+old)\b", re.I)
_PERSONAL_FIELD = re.compile(
    r"\b(gender|sex|marital\s+status|nationality|religion|caste|citizenship)\s*[:\-–]\s*"
    r"[A-Za-z]+(?:[ -][A-Za-z]+)?",
    re.I,
)
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w.'-]*\s+){1,4}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|"
    r"boulevard|blvd|way|court|ct|place|pl|terrace|crescent|close)\b\.?",
    re.I,
)
_GENDERED = {
    "he": "they",
    "she": "they",
    # "her" is both "him" and "his": all three map to one word, so a resume reads the same
    # to the model whichever gender it was written about (the counterfactual bench checks).
    "him": "their",
    "his": "their",
    "her": "their",
    "hers": "theirs",
    "himself": "themselves",
    "herself": "themselves",
    "mr": "",
    "mrs": "",
    "ms": "",
    "miss": "",
    "male": "person",
    "female": "person",
    "man": "person",
    "woman": "person",
    "boy": "person",
    "girl": "person",
    "husband": "spouse",
    "wife": "spouse",
    "son": "child",
    "daughter": "child",
    "father": "parent",
    "mother": "parent",
}
_GENDERED_RE = re.compile(r"\b(" + "|".join(_GENDERED) + r")\b\.?", re.I)
_HONORIFIC_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
_NAME_TOKEN = re.compile(r"^[A-Z][A-Za-z'’.-]+$")


def _swap_gendered(match: re.Match[str]) -> str:
    word = match.group(1)
    repl = _GENDERED[word.lower()]
    if repl and word[0].isupper():
        repl = repl.capitalize()
    return repl


@lru_cache(maxsize=1)
def _skill_words() -> frozenset[str]:
    """Skill names are never masked as names ("Jenkins", "Ruby", "Rails")."""
    from mlcore.parsing.skills import load_taxonomy

    taxonomy = load_taxonomy()["skills"]
    words: set[str] = set()
    for canonical, aliases in taxonomy.items():
        for name in (canonical, *aliases):
            words.update(w.lower() for w in name.split())
    return frozenset(words)


def _person_names(text: str) -> set[str]:
    """Name tokens: the resume's own name (top lines) and 2–4 word PERSON entities."""
    from mlcore.parsing.contact import find_name
    from mlcore.parsing.nlp import get_nlp

    doc = get_nlp()(text[:20000])
    persons = [e.text for e in doc.ents if e.label_ == "PERSON"]
    tokens: set[str] = set()
    top = [line for line in text.splitlines()[:8] if line.strip()]
    own = find_name(top, persons)
    if own:
        tokens.update(w for w in own.split() if len(w) > 1)
    skills = _skill_words()
    for person in persons:
        words = person.split()
        looks_like_name = 2 <= len(words) <= 4 and all(_NAME_TOKEN.match(w) for w in words)
        if looks_like_name and not any(w.lower() in skills for w in words):
            tokens.update(w for w in words if len(w) > 1)
    return {t.strip(".,") for t in tokens if t.strip(".,")}


def mask_text(text: str) -> str:
    """`text` with personal details replaced by placeholders ([NAME], [EMAIL], ...)."""
    if not text:
        return text
    names = _person_names(text)
    out = _EMAIL.sub("[EMAIL]", text)
    out = _URL.sub("[LINK]", out)
    out = _DOB.sub("[DOB] ", out)
    out = _AGE.sub("[AGE]", out)
    out = _PERSONAL_FIELD.sub(lambda m: f"{m.group(1)}: [PERSONAL]", out)
    out = _STREET.sub("[ADDRESS]", out)
    out = _PHONE.sub(_phone_or_keep, out)
    out = _HONORIFIC_NAME.sub("[NAME]", out)
    if names:
        pattern = (
            r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b"
        )
        out = re.sub(pattern, "[NAME]", out, flags=re.I)
        # Handles built from the name ("bwayne", "jdoe42"): up to two letters before it.
        long_names = [re.escape(n) for n in names if len(n) >= 4]
        if long_names:
            handle = r"\b[a-z]{0,2}(?:" + "|".join(long_names) + r")[a-z]{0,2}\d*\b"
            out = re.sub(handle, "[NAME]", out, flags=re.I)
    out = _GENDERED_RE.sub(_swap_gendered, out)
    return out


def _phone_or_keep(match: re.Match[str]) -> str:
    """Year ranges ("2015 - 2019") and other short numbers are not phone numbers."""
    digits = re.sub(r"\D", "", match.group(0))
    if len(digits) < 7 or re.fullmatch(r"(19|20)\d{2}\D+(19|20)\d{2}", match.group(0).strip()):
        return match.group(0)
    return "[PHONE]"
