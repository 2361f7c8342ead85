"""Talent search in plain language: a query or a pasted job description → structured filters
(`query.parse_query`), and the rank fusion that blends keyword and semantic rankings
(`rank`). Framework-free: the app's selectors apply the filters to the database."""

from .query import ParsedQuery, parse_query
from .rank import bm25_scores, fuse_rankings
from .typos import WORD_SIMILARITY_THRESHOLD, typo_eligible, typo_words

__all__ = [
    "WORD_SIMILARITY_THRESHOLD",
    "ParsedQuery",
    "bm25_scores",
    "fuse_rankings",
    "parse_query",
    "typo_eligible",
    "typo_words",
]
