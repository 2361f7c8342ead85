"""Precision and recall of the zero-shot topic tagger on hand-labelled survey answers.

    python -m bench.topic_eval [--data bench/data/topic_eval.jsonl] [--sweep]

bench/data/topic_eval.jsonl holds 80 short answers written for this project (no review text),
each with the topics a reader would file it under, in a "dev" half (used to choose
mlcore.sentiment.topics.THRESHOLD) and a "test" half (only measured). Micro-averaged over
(answer, topic) pairs; an answer with no topics counts only through false positives.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from mlcore import encoder
from mlcore.sentiment.topics import MAX_TOPICS, THRESHOLD, TOPIC_KEYS, TopicTagger

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "topic_eval.jsonl"


def load(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    unknown = {t for row in rows for t in row["topics"]} - set(TOPIC_KEYS)
    if unknown:
        raise ValueError(f"unknown topics in {path}: {sorted(unknown)}")
    return rows


def pick(scores: dict[str, float], threshold: float, max_topics: int = MAX_TOPICS) -> list[str]:
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:max_topics]
    return [k for k, s in ranked if s >= threshold]


def score(
    rows: list[dict], all_scores: list[dict[str, float]], threshold: float
) -> dict[str, float]:
    tp = fp = fn = exact = 0
    for row, scores in zip(rows, all_scores, strict=True):
        gold, found = set(row["topics"]), set(pick(scores, threshold))
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
        exact += gold == found
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(rows),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "exact": exact / len(rows),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sweep", action="store_true", help="F1 on dev for other thresholds")
    args = parser.parse_args(argv)
    encoder.set_threads()
    rows = load(args.data)
    tagger = TopicTagger()
    all_scores = tagger.scores([row["text"] for row in rows])
    print(f"topic tagger: zero-shot, threshold {THRESHOLD}, at most {MAX_TOPICS} topics")
    print(f"{'split':<6} {'n':>4} {'precision':>10} {'recall':>8} {'F1':>6} {'exact':>6}")
    for split in ("dev", "test", "all"):
        chosen = [i for i, row in enumerate(rows) if split in ("all", row["split"])]
        figures = score([rows[i] for i in chosen], [all_scores[i] for i in chosen], THRESHOLD)
        print(
            f"{split:<6} {figures['n']:>4} {figures['precision']:>10.3f} "
            f"{figures['recall']:>8.3f} {figures['f1']:>6.3f} {figures['exact']:>6.3f}"
        )
    test = [i for i, row in enumerate(rows) if row["split"] == "test"]
    missed: Counter[str] = Counter()
    for i in test:
        missed.update(set(rows[i]["topics"]) - set(pick(all_scores[i], THRESHOLD)))
    print("test topics missed most:", dict(missed.most_common(5)))
    if args.sweep:
        dev = [i for i, row in enumerate(rows) if row["split"] == "dev"]
        for t in [x / 100 for x in range(30, 71, 5)]:
            figures = score([rows[i] for i in dev], [all_scores[i] for i in dev], t)
            print(
                f"dev threshold {t:.2f}: precision {figures['precision']:.3f} "
                f"recall {figures['recall']:.3f} F1 {figures['f1']:.3f}"
            )


if __name__ == "__main__":
    main()
