"""What the word-attribution methods of both models share: the word groups Partition SHAP
splits, and the masks of the deletion and insertion curves that measure faithfulness."""

from __future__ import annotations

import numpy as np


def neighbour_tree(n: int) -> np.ndarray:
    """A SciPy linkage joining neighbouring words pairwise, level by level: the groups
    Partition SHAP splits top-down (halves of the text, then quarters, ... then words)."""
    nodes = [(i, 1) for i in range(n)]
    rows: list[list[float]] = []
    level, next_id = 1, n
    while len(nodes) > 1:
        joined = []
        for k in range(0, len(nodes) - 1, 2):
            (a, sa), (b, sb) = nodes[k], nodes[k + 1]
            rows.append([a, b, float(level), sa + sb])
            joined.append((next_id, sa + sb))
            next_id += 1
        if len(nodes) % 2:
            joined.append(nodes[-1])
        nodes, level = joined, level + 1
    return np.array(rows, dtype=np.float64)


def curve_masks(order: np.ndarray, n: int, fractions: tuple[float, ...]) -> np.ndarray:
    """Rows: for each fraction, the deletion mask (the top k words by `order` gone), then the
    insertion mask (only the top k present)."""
    rows = []
    for f in fractions:
        k = max(1, round(n * f))
        deleted, inserted = np.ones(n), np.zeros(n)
        deleted[order[:k]] = 0
        inserted[order[:k]] = 1
        rows += [deleted, inserted]
    return np.array(rows)
