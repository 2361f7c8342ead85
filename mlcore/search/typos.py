"""Typo tolerance for a query's free words: which words to look up by trigram similarity
when full text finds them nowhere ("acountant", "recepcionist", "managment").

The database does the look-up (PostgreSQL's `pg_trgm`: `word_similarity`, the `%>`
operator on GIN trigram indexes); this module holds the rule:

- only a free word that full-text search found in no candidate the search considers: a
  word that exists would otherwise also bring in its neighbours ("manager" is 0.75 similar
  to "managed"), and the exact matches are what the recruiter typed;
- only a word of at least `TYPO_MIN_CHARS` letters: a short word has too few trigrams to
  tell a typo from another word;
- not a word that would match the field names of the JSON the look-up reads (a candidate's
  jobs are stored as `[{"title": …, "employer": …}]`): "employr" would find everyone;
- similar means `word_similarity(word, text) ≥ WORD_SIMILARITY_THRESHOLD` (pg_trgm's
  default, 0.6: "managment" in "Project Management" is 0.62, "recepcionist" 0.625,
  "acountant" 0.75, "Londn" 0.67);
- matches by similarity rank below every exact match, by their summed similarity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TYPO_MIN_CHARS = 5
WORD_SIMILARITY_THRESHOLD = 0.6
_LETTERS = re.compile(r"[^\W\d_]+")


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: lower-cased, two spaces before and one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def typo_eligible(words: Iterable[str]) -> tuple[str, ...]:
    """The free words long enough to look up by similarity: one word of letters only, at
    least `TYPO_MIN_CHARS` of them."""
    out = []
    for word in words:
        if len(word) >= TYPO_MIN_CHARS and _LETTERS.fullmatch(word) and word not in out:
            out.append(word)
    return tuple(out)


def typo_words(
    words: Iterable[str], found: Iterable[str], *, avoid: Iterable[str] = ()
) -> tuple[str, ...]:
    """The words of `words` to look up by similarity: eligible (`typo_eligible`), not in
    `found` (the words full text matched somewhere), and not similar to any of `avoid`
    (words every row's text holds). The overlap of trigram sets over the word's own is an
    upper bound of `word_similarity` against a single word, so the check errs on avoiding."""
    known = {w.lower() for w in found}
    avoided = [trigrams(a) for a in avoid]
    out = []
    for word in typo_eligible(words):
        if word.lower() in known:
            continue
        own = trigrams(word)
        if any(len(own & other) / len(own) >= WORD_SIMILARITY_THRESHOLD for other in avoided):
            continue
        out.append(word)
    return tuple(out)
