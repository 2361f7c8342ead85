"""Ranking and classification metrics for fit evaluation (plain NumPy/scikit-learn)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score


def ndcg_at_k(relevance_in_rank_order: np.ndarray, k: int = 10) -> float:
    """nDCG@k of one ranked list with binary relevance."""
    rel = np.asarray(relevance_in_rank_order, dtype=float)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float((rel[:k] * discounts[: len(rel[:k])]).sum())
    ideal = np.sort(rel)[::-1][:k]
    idcg = float((ideal * discounts[: len(ideal)]).sum())
    return dcg / idcg if idcg > 0 else 0.0


def reciprocal_rank(relevance_in_rank_order: np.ndarray) -> float:
    hits = np.flatnonzero(np.asarray(relevance_in_rank_order) > 0)
    return 1.0 / (hits[0] + 1) if hits.size else 0.0


def per_query_metrics(
    scores: np.ndarray, relevance: np.ndarray, k: int = 10
) -> tuple[np.ndarray, np.ndarray]:
    """nDCG@k and reciprocal rank of each query (row); NaN for a query with no relevant
    document."""
    ndcgs = np.full(len(scores), np.nan)
    rrs = np.full(len(scores), np.nan)
    for i, (row_scores, row_rel) in enumerate(zip(scores, relevance, strict=True)):
        if row_rel.sum() == 0:
            continue
        order = np.argsort(-row_scores, kind="stable")
        ndcgs[i] = ndcg_at_k(row_rel[order], k)
        rrs[i] = reciprocal_rank(row_rel[order])
    return ndcgs, rrs


def ranking_metrics(scores: np.ndarray, relevance: np.ndarray, k: int = 10) -> dict[str, float]:
    """`scores` and `relevance` are (queries × documents). Returns ROC AUC over all pairs,
    and nDCG@k and MRR averaged over queries that have at least one relevant document."""
    ndcgs, rrs = per_query_metrics(scores, relevance, k)
    return {
        "roc_auc": float(roc_auc_score(relevance.ravel(), scores.ravel())),
        f"ndcg@{k}": float(np.nanmean(ndcgs)),
        "mrr": float(np.nanmean(rrs)),
    }


class _SortedPairs:
    """Pairs sorted by score once, so a weighted ROC AUC costs O(n) per set of weights."""

    def __init__(self, scores: np.ndarray, labels: np.ndarray) -> None:
        self.order = np.argsort(scores, kind="stable")
        ordered = np.asarray(scores)[self.order]
        self.labels = np.asarray(labels)[self.order] > 0
        self.tie_group = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1

    def roc_auc(self, weights: np.ndarray) -> float:
        w = np.asarray(weights, dtype=float)[self.order]
        pos = np.bincount(self.tie_group, w * self.labels)
        neg = np.bincount(self.tie_group, w * ~self.labels)
        below = np.cumsum(neg) - neg  # negative weight strictly below each tie group
        total = pos.sum() * neg.sum()
        if total == 0:
            return float("nan")
        return float((pos * (below + 0.5 * neg)).sum() / total)


def weighted_roc_auc(scores: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """ROC AUC where each pair counts `weights` times (ties count half)."""
    return _SortedPairs(np.ravel(scores), np.ravel(labels)).roc_auc(np.ravel(weights))


def bootstrap_samples(
    scores: np.ndarray,
    relevance: np.ndarray,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    k: int = 10,
) -> dict[str, np.ndarray]:
    """The metrics of `ranking_metrics` on `n_resamples` resamples, drawn with replacement,
    of the queries (rows). With one query there is nothing to resample among queries, so
    its documents are resampled instead. The same seed and shape give the same draws, so
    two methods' resamples pair up for a difference."""
    scores, relevance = np.asarray(scores), np.asarray(relevance)
    rng = np.random.default_rng(seed)
    n_queries, n_docs = scores.shape
    out = {name: np.empty(n_resamples) for name in ("roc_auc", f"ndcg@{k}", "mrr")}
    if n_queries == 1:
        for b in range(n_resamples):
            cols = rng.integers(0, n_docs, n_docs)
            rel = relevance[:, cols]
            if rel.min() == rel.max():
                for values in out.values():
                    values[b] = np.nan
                continue
            for name, value in ranking_metrics(scores[:, cols], rel, k).items():
                out[name][b] = value
        return out
    pairs = _SortedPairs(scores.ravel(), relevance.ravel())
    ndcgs, rrs = per_query_metrics(scores, relevance, k)
    judged = ~np.isnan(ndcgs)
    for b in range(n_resamples):
        counts = np.bincount(rng.integers(0, n_queries, n_queries), minlength=n_queries)
        out["roc_auc"][b] = pairs.roc_auc(np.repeat(counts, n_docs))
        judged_counts = counts * judged
        total = judged_counts.sum()
        out[f"ndcg@{k}"][b] = (judged_counts @ np.nan_to_num(ndcgs)) / total if total else np.nan
        out["mrr"][b] = (judged_counts @ np.nan_to_num(rrs)) / total if total else np.nan
    return out


def interval(resamples: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval (resamples that could not be scored are left out)."""
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(resamples, [tail, 100 - tail])
    return float(low), float(high)
