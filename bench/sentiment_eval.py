"""Sentiment quality against VADER and a majority baseline, on four sets in one run (issue 19).

    python -m bench.sentiment_eval [--model-version V] [--batch-size 32] [--no-speed]

One process, the same texts for every system:
1. Employee reviews, held out (mlcore.sentiment.corpus.evaluation_reviews): the whole
   `glassdoor_multi_company_sample` (693 employers) and the held-out employers of
   `glassdoor_us_2025`; stars 1-2 negative, 3 neutral, 4-5 positive. No row, employer or text
   of it is trained on or tuned on. Goal: macro-F1 >= 0.65 and >= VADER's + 0.12.
2. The Indeed reviews' 20 % held-out split (mlcore.sentiment.data), as measured before.
3. Out of domain, 2 classes: TweetEval's test split with neutral tweets removed (nothing of
   TweetEval is trained on). The model answers positive when P(positive) > P(negative); VADER
   when compound >= 0. Goal: accuracy >= 0.88.
4. The workplace challenge set, `bench/data/sentiment_challenge.jsonl` (71 sentences written
   and labelled for this project; see SENTIMENT_CHALLENGE_PROVENANCE.md). Never trained or
   tuned on. Goal: negative recall >= 0.75.

Intervals are 95 % percentile bootstraps (2,000 resamples of the texts; the difference to
VADER resamples the same texts for both). VADER (vaderSentiment) maps compound >= 0.05 to
positive, <= -0.05 to negative, else neutral. Speed (unless --no-speed): texts per second of
the model with and without topics and of a plain MiniLM forward pass on the Indeed texts, best
of --rounds. SMARTHR_TORCH_THREADS sets the CPU threads.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from mlcore import encoder
from mlcore.sentiment import corpus, metrics
from mlcore.sentiment.data import LABELS, load_reviews, split_reviews
from mlcore.sentiment.model import SentimentModel, get_model

CHALLENGE = Path(__file__).resolve().parent / "data" / "sentiment_challenge.jsonl"
GOAL_MACRO_F1 = 0.65
GOAL_OVER_VADER = 0.12
GOAL_OOD_ACCURACY = 0.88
GOAL_NEGATIVE_RECALL = 0.75
ROUNDS = 2000


def vader_compound(texts: list[str]) -> list[float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(text)["compound"] for text in texts]


def vader_labels(texts: list[str]) -> list[int]:
    return [2 if c >= 0.05 else 0 if c <= -0.05 else 1 for c in vader_compound(texts)]


def _timed(fn: Callable[[], object], rounds: int) -> float:
    """Best of `rounds` after a warm-up: on a shared machine the best run is the least disturbed."""
    fn()  # warm-up: first-call allocations and lazy loading are not what a worker pays
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _plain_forward(texts: list[str], batch_size: int, max_length: int) -> Callable[[], object]:
    base = encoder.load_base_model().to(encoder.device()).eval()
    dev = encoder.device()
    texts = sorted(texts, key=len, reverse=True)  # the model batches by length too: same padding

    def run() -> object:
        with torch.inference_mode():
            for start in range(0, len(texts), batch_size):
                enc = encoder.tokenize(texts[start : start + batch_size], max_length)
                mask = enc["attention_mask"].to(dev)
                hidden = base(input_ids=enc["input_ids"].to(dev), attention_mask=mask)
                encoder.mean_pool(hidden.last_hidden_state, mask)
        return None

    return run


def _macro_f1_batch(gold: np.ndarray, pred: np.ndarray, classes: int = 3) -> np.ndarray:
    """Macro-F1 of each row of (resamples x texts) index arrays, vectorised."""
    scores = []
    for k in range(classes):
        tp = ((gold == k) & (pred == k)).sum(1)
        fp = ((gold != k) & (pred == k)).sum(1)
        fn = ((gold == k) & (pred != k)).sum(1)
        scores.append(np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0))
    return np.mean(scores, axis=0)


def bootstrap(
    gold: list[int], preds: dict[str, list[int]], rounds: int = ROUNDS, seed: int = 7
) -> dict[str, dict[str, tuple[float, float]]]:
    """95 % intervals of accuracy and macro-F1 for each system, and of each system minus the
    first one listed after it ("vader" when present), the same resamples for all."""
    rng = np.random.RandomState(seed)
    idx = rng.randint(0, len(gold), (rounds, len(gold)))
    g = np.asarray(gold)[idx]
    found: dict[str, dict[str, np.ndarray]] = {}
    for name, pred in preds.items():
        p = np.asarray(pred)[idx]
        found[name] = {"accuracy": (g == p).mean(1), "macro_f1": _macro_f1_batch(g, p)}
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for name, values in found.items():
        out[name] = {k: _interval(v) for k, v in values.items()}
        if name != "vader" and "vader" in found:
            out[f"{name} - vader"] = {
                k: _interval(v - found["vader"][k]) for k, v in values.items()
            }
    return out


def _interval(values: np.ndarray) -> tuple[float, float]:
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def _ci(interval: tuple[float, float], signed: bool = False) -> str:
    fmt = "{:+.3f}" if signed else "{:.3f}"
    return f"[{fmt.format(interval[0])}, {fmt.format(interval[1])}]"


def _row(name: str, figures: dict, ci: dict[str, tuple[float, float]]) -> str:
    f1 = figures["f1"]
    return (
        f"{name:<24} {figures['accuracy']:>8.3f} {_ci(ci['accuracy']):>16} "
        f"{figures['macro_f1']:>9.3f} {_ci(ci['macro_f1']):>16} "
        f"{f1['negative']:>7.3f} {f1['neutral']:>7.3f} {f1['positive']:>7.3f}"
    )


def _goal(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def three_class(title: str, texts: list[str], gold: list[int], model: SentimentModel) -> dict:
    """Model, VADER and majority on one 3-class set; prints the table and returns figures."""
    probs = model.predict_probs(texts)
    preds = {
        "model": [int(np.argmax(p)) for p in probs],
        "vader": vader_labels(texts),
        "majority": [Counter(gold).most_common(1)[0][0]] * len(texts),
    }
    counts = Counter(gold)
    print(
        f"\n{title}: {len(texts)} texts ("
        + ", ".join(f"{LABELS[k]} {counts[k]}" for k in range(len(LABELS)))
        + ")"
    )
    print(
        f"{'system':<24} {'accuracy':>8} {'95% CI':>16} {'macro-F1':>9} {'95% CI':>16} "
        f"{'F1 neg':>7} {'F1 neu':>7} {'F1 pos':>7}"
    )
    cis = bootstrap(gold, preds)
    names = {"model": f"model {model.version[-15:]}", "vader": "VADER", "majority": "majority"}
    figures = {name: metrics.report(gold, pred) for name, pred in preds.items()}
    for name in preds:
        print(_row(names[name], figures[name], cis[name]))
    diff = cis["model - vader"]
    gap = {
        k: float(figures["model"][k]) - float(figures["vader"][k])  # type: ignore[arg-type]
        for k in ("accuracy", "macro_f1")
    }
    print(
        f"model minus VADER (paired bootstrap, 95%): accuracy {gap['accuracy']:+.3f} "
        f"{_ci(diff['accuracy'], True)}, macro-F1 {gap['macro_f1']:+.3f} "
        f"{_ci(diff['macro_f1'], True)}"
    )
    ece = metrics.expected_calibration_error(gold, probs)
    print(f"model calibration: ECE {ece:.3f}")
    return {"figures": figures, "ci": cis, "gap": gap, "preds": preds}


def employee_reviews(model: SentimentModel) -> None:
    held = corpus.evaluation_reviews()
    texts, gold = [e.text for e in held], [e.label for e in held]
    found = three_class(
        "1. employee reviews, held-out employers (Glassdoor multi-company sample + "
        "glassdoor_us_2025 held-out employers)",
        texts,
        gold,
        model,
    )
    for source in sorted({e.source for e in held}):
        rows = [i for i, e in enumerate(held) if e.source == source]
        g = [gold[i] for i in rows]
        parts = []
        for name in ("model", "vader"):
            f = metrics.report(g, [found["preds"][name][i] for i in rows])
            parts.append(f"{name} acc {f['accuracy']:.3f} macro-F1 {f['macro_f1']:.3f}")
        print(f"  {source} ({len(rows)}): " + "; ".join(parts))
    macro = found["figures"]["model"]["macro_f1"]
    print(
        f"goal macro-F1 >= {GOAL_MACRO_F1}: {macro:.3f} {_goal(macro >= GOAL_MACRO_F1)}; "
        f"goal >= VADER + {GOAL_OVER_VADER}: {found['gap']['macro_f1']:+.3f} "
        f"{_goal(found['gap']['macro_f1'] >= GOAL_OVER_VADER)}"
    )


def out_of_domain(model: SentimentModel) -> None:
    tweets = corpus.load_ood_tweets()
    texts, gold = [t for t, _ in tweets], [label for _, label in tweets]
    probs = model.predict_probs(texts)
    preds = {
        "model": [int(p[2] > p[0]) for p in probs],
        "vader": [int(c >= 0) for c in vader_compound(texts)],
        "majority": [Counter(gold).most_common(1)[0][0]] * len(texts),
    }
    cis = bootstrap(gold, preds)
    counts = Counter(gold)
    print(
        f"\n3. out of domain, 2 classes: TweetEval test split without neutral, {len(texts)} "
        f"tweets (negative {counts[0]}, positive {counts[1]})"
    )
    for name, pred in preds.items():
        acc = metrics.accuracy(gold, pred)
        print(f"{name:<24} accuracy {acc:.3f} {_ci(cis[name]['accuracy'])}")
    acc = metrics.accuracy(gold, preds["model"])
    print(f"goal accuracy >= {GOAL_OOD_ACCURACY}: {acc:.3f} {_goal(acc >= GOAL_OOD_ACCURACY)}")


def challenge(model: SentimentModel) -> None:
    rows = [json.loads(line) for line in CHALLENGE.read_text().splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    gold = [LABELS.index(r["label"]) for r in rows]
    preds = {
        "model": [LABELS.index(r.label) for r in model.predict(texts, topics=False)],
        "vader": vader_labels(texts),
    }
    negatives = [i for i, g in enumerate(gold) if g == 0]
    rng = np.random.RandomState(7)
    print(
        f"\n4. workplace challenge set ({CHALLENGE.name}): {len(rows)} sentences, "
        f"{len(negatives)} negative"
    )
    for name, pred in preds.items():
        hits = np.asarray([pred[i] == 0 for i in negatives], dtype=float)
        draws = hits[rng.randint(0, len(hits), (ROUNDS, len(hits)))].mean(1)
        kinds = Counter(rows[i]["kind"] for i in negatives)
        per_kind = ", ".join(
            f"{k} {sum(pred[i] == 0 for i in negatives if rows[i]['kind'] == k)}/{n}"
            for k, n in sorted(kinds.items())
        )
        print(
            f"{name:<8} negative recall {hits.mean():.3f} {_ci(_interval(draws))}; "
            f"accuracy {metrics.accuracy(gold, pred):.3f}; by kind: {per_kind}"
        )
    recall = float(np.mean([preds["model"][i] == 0 for i in negatives]))
    print(
        f"goal negative recall >= {GOAL_NEGATIVE_RECALL}: {recall:.3f} "
        f"{_goal(recall >= GOAL_NEGATIVE_RECALL)}"
    )


def speed(model: SentimentModel, texts: list[str], batch_size: int, rounds: int) -> None:
    plain = _timed(_plain_forward(texts, batch_size, model.max_length), rounds)
    tuned_s = _timed(lambda: model.predict_probs(texts, batch_size), rounds)
    with_topics = _timed(lambda: model.predict(texts, batch_size=batch_size), rounds)
    n = len(texts)
    print(
        f"\nspeed ({n} Indeed texts, batch {batch_size}, max {model.max_length} tokens): "
        f"plain MiniLM forward {n / plain:.1f} texts/s; sentiment model {n / tuned_s:.1f} "
        f"texts/s; sentiment + topics {n / with_topics:.1f} texts/s"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="the Indeed CSV")
    parser.add_argument("--model-version", default=None, help="registry version (default: active)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3, help="speed: best of N timed runs")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed figures")
    args = parser.parse_args(argv)
    encoder.set_threads()
    model = get_model(args.model_version)
    print(
        f"model {model.version}; torch threads {torch.get_num_threads()}; device {encoder.device()}"
    )
    employee_reviews(model)
    held = split_reviews(load_reviews(args.data)).held_out
    three_class(
        "2. Indeed reviews (Google, Tesla), 20% held-out split",
        [r.text for r in held],
        [r.label for r in held],
        model,
    )
    out_of_domain(model)
    challenge(model)
    if not args.no_speed:
        speed(model, [r.text for r in held], args.batch_size, args.rounds)


if __name__ == "__main__":
    main()
