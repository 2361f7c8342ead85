"""Classification figures shared by training, the bench and the tests: accuracy, F1, calibration."""

from __future__ import annotations

from collections.abc import Sequence

from mlcore.sentiment.data import LABELS


def accuracy(gold: Sequence[int], pred: Sequence[int]) -> float:
    if not gold:
        raise ValueError("no examples")
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def per_class_f1(gold: Sequence[int], pred: Sequence[int]) -> dict[str, float]:
    scores = {}
    for k, name in enumerate(LABELS):
        tp = sum(g == k and p == k for g, p in zip(gold, pred, strict=True))
        fp = sum(g != k and p == k for g, p in zip(gold, pred, strict=True))
        fn = sum(g == k and p != k for g, p in zip(gold, pred, strict=True))
        # A class neither predicted nor present scores 0, as scikit-learn's zero_division=0.
        scores[name] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return scores


def f_beta(gold: Sequence[int], pred: Sequence[int], label: int, beta: float) -> float:
    """F-beta of one class: recall counts beta times as much as precision (0 if no hit)."""
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
    b2 = beta * beta
    return (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0


def macro_f1(gold: Sequence[int], pred: Sequence[int]) -> float:
    scores = per_class_f1(gold, pred)
    return sum(scores.values()) / len(scores)


def expected_calibration_error(
    gold: Sequence[int], probs: Sequence[Sequence[float]], bins: int = 10
) -> float:
    """Mean |confidence - accuracy| over equal-width confidence bins, weighted by bin size."""
    totals = [[0, 0.0, 0] for _ in range(bins)]  # count, sum of confidence, correct
    for g, p in zip(gold, probs, strict=True):
        conf = max(p)
        k = max(range(len(p)), key=lambda i: p[i])
        b = min(int(conf * bins), bins - 1)
        totals[b][0] += 1
        totals[b][1] += conf
        totals[b][2] += int(k == g)
    n = sum(t[0] for t in totals)
    return sum(abs(t[1] - t[2]) for t in totals if t[0]) / n


def report(gold: Sequence[int], pred: Sequence[int]) -> dict[str, object]:
    """Accuracy, macro-F1 and per-class F1, rounded for JSON and docs."""
    return {
        "n": len(gold),
        "accuracy": round(accuracy(gold, pred), 4),
        "macro_f1": round(macro_f1(gold, pred), 4),
        "f1": {k: round(v, 4) for k, v in per_class_f1(gold, pred).items()},
    }
