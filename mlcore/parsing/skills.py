"""Skills: spaCy PhraseMatcher over the shipped taxonomy (O*NET + curated synonyms)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from .nlp import get_nlp, spacy_text

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "skills_taxonomy.json"


@functools.cache
def load_taxonomy() -> dict[str, Any]:
    return json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))


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
    for index, (canonical, aliases) in enumerate(taxonomy["skills"].items()):
        key = f"S{index}"
        canonical_of[key] = canonical
        loose, strict = [], []
        for alias in (canonical, *aliases):
            # Capitals-only short aliases ("SAN", "ATS") are acronyms, not "San Francisco".
            is_exact = alias in exact or len(alias) <= 2 or (alias.isupper() and len(alias) <= 4)
            (strict if is_exact else loose).append(nlp.make_doc(alias))
        if loose:
            lower.add(key, loose)
        if strict:
            orth.add(key, strict)
    return lower, orth, canonical_of


def find_skills(text: str) -> list[str]:
    """Canonical skills mentioned in `text`, in order of first mention, without repeats."""
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
