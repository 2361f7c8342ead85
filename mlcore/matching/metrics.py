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


def ranking_metrics(scores: np.ndarray, relevance: np.ndarray, k: int = 10) -> dict[str, float]:
    """`scores` and `relevance` are (queries × documents). Returns ROC AUC over all pairs,
    and nDCG@k and MRR averaged over queries that have at least one relevant document."""
    ndcgs, rrs = [], []
    for row_scores, row_rel in zip(scores, relevance, strict=True):
        if row_rel.sum() == 0:
            continue
        order = np.argsort(-row_scores, kind="stable")
        ndcgs.append(ndcg_at_k(row_rel[order], k))
        rrs.append(reciprocal_rank(row_rel[order]))
    return {
        "roc_auc": float(roc_auc_score(relevance.ravel(), scores.ravel())),
        f"ndcg@{k}": float(np.mean(ndcgs)),
        "mrr": float(np.mean(rrs)),
    }
