"""Keyword relevance (BM25) and the fusion of rankings that blends it with semantic
similarity.

Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each candidate scores
Σ 1/(k + rank) over the rankings it appears in. It needs no scale shared by a full-text rank
and a cosine, and no weight fitted to a labelled set (the evaluation set stays a test set);
k = 60 is the paper's value.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import TypeVar

RRF_K = 60
BM25_K1 = 1.5
BM25_B = 0.75
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*")
Key = TypeVar("Key", bound=Hashable)


def tokens(text: str) -> list[str]:
    """Lower-cased words, a plural's final "s" dropped (so "nurses" finds "nurse")."""
    out = []
    for token in _TOKEN.findall(text.lower()):
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.append(token)
    return out


def bm25_scores(terms: Sequence[str], documents: Sequence[str]) -> list[float]:
    """Okapi BM25 of each document for the query `terms` (a multi-word term counts as its
    words), over `documents` as the collection. Zero for a document with none of them."""
    query = [t for term in terms for t in tokens(term)]
    if not query or not documents:
        return [0.0] * len(documents)
    docs = [Counter(tokens(d)) for d in documents]
    lengths = [sum(d.values()) for d in docs]
    average = sum(lengths) / len(docs) or 1.0
    n = len(docs)
    scores = [0.0] * n
    for term in set(query):
        having = sum(1 for d in docs if term in d)
        if not having:
            continue
        idf = math.log(1.0 + (n - having + 0.5) / (having + 0.5))
        for i, doc in enumerate(docs):
            tf = doc.get(term, 0)
            if tf:
                norm = BM25_K1 * (1.0 - BM25_B + BM25_B * lengths[i] / average)
                scores[i] += idf * tf * (BM25_K1 + 1.0) / (tf + norm)
    return scores


def fuse_rankings(rankings: Sequence[Sequence[Key]], k: int = RRF_K) -> dict[Key, float]:
    """Reciprocal rank fusion: {key: Σ 1/(k + rank)} over the rankings (best first, rank 1
    first) that hold the key."""
    fused: dict[Key, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
    return fused
