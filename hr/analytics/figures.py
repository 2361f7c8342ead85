"""The figures of one group, from its counts per answer value: eNPS, Likert, choices and
comment sentiment."""

from __future__ import annotations

from collections import Counter

from .results import ChoiceFigures, EnpsFigures, LikertFigures, SentimentFigures

SENTIMENT_LABELS = ("negative", "neutral", "positive")


def pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def enps_figures(dist: Counter[int]) -> EnpsFigures:
    n = sum(dist.values())
    promoters = sum(v for k, v in dist.items() if k >= 9)
    detractors = sum(v for k, v in dist.items() if k <= 6)
    passives = n - promoters - detractors
    return {
        "n": n,
        "distribution": {str(k): dist.get(k, 0) for k in range(11)},
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "promoters_pct": pct(promoters, n),
        "passives_pct": pct(passives, n),
        "detractors_pct": pct(detractors, n),
        "score": round(100 * (promoters - detractors) / n) if n else None,
    }


def likert_figures(dist: Counter[int]) -> LikertFigures:
    n = sum(dist.values())
    return {
        "n": n,
        "distribution": {str(k): dist.get(k, 0) for k in range(1, 6)},
        "mean": round(sum(k * v for k, v in dist.items()) / n, 2) if n else None,
        "favourable_pct": pct(dist.get(4, 0) + dist.get(5, 0), n),
    }


def choice_figures(dist: Counter[str], choices: list[str]) -> ChoiceFigures:
    n = sum(dist.values())
    names = [*choices, *sorted(set(dist) - set(choices))]  # choices renamed since: kept
    return {"n": n, "distribution": {c: dist.get(c, 0) for c in names}}


def sentiment_figures(dist: Counter[str]) -> SentimentFigures:
    n = sum(dist.values())
    return {
        "n": n,
        "distribution": {label: dist.get(label, 0) for label in SENTIMENT_LABELS},
        # Net sentiment, like eNPS: % positive minus % negative, -100..100.
        "net": round(100 * (dist.get("positive", 0) - dist.get("negative", 0)) / n) if n else None,
    }
