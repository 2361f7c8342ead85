"""Precision and recall of the 'needs attention' flags on hand-written, labelled comments.

    python -m bench.attention_eval [--data bench/data/attention_eval.jsonl] [--errors]

bench/data/attention_eval.jsonl holds 68 comments written for this project (no real survey
text): reports of harassment, discrimination, safety and self-harm, comments with both, and
comments that a word list gets wrong easily (negations, "the workload is killing me", safety
training, customers being abusive). Counted per (comment, category) pair; printed per
category and micro-averaged. The phrases (mlcore.sentiment.attention) were written before
this set and not tuned on it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mlcore.sentiment.attention import CATEGORIES, attention_flags

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "attention_eval.jsonl"


def load(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    unknown = {f for row in rows for f in row["flags"]} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown categories in {path}: {sorted(unknown)}")
    return rows


def evaluate(rows: list[dict]) -> dict[str, dict[str, float]]:
    """Per category and "all": tp, fp, fn, precision, recall."""
    table: dict[str, dict[str, float]] = {c: {"tp": 0, "fp": 0, "fn": 0} for c in CATEGORIES}
    for row in rows:
        gold, found = set(row["flags"]), set(attention_flags(row["text"]))
        for c in CATEGORIES:
            table[c]["tp"] += c in gold and c in found
            table[c]["fp"] += c in found and c not in gold
            table[c]["fn"] += c in gold and c not in found
    table["all"] = {k: sum(table[c][k] for c in CATEGORIES) for k in ("tp", "fp", "fn")}
    for counts in table.values():
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        counts["precision"] = tp / (tp + fp) if tp + fp else 0.0
        counts["recall"] = tp / (tp + fn) if tp + fn else 0.0
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", action="store_true", help="print the comments it gets wrong")
    args = parser.parse_args(argv)
    rows = load(args.data)
    table = evaluate(rows)
    print(f"{len(rows)} comments, {sum(bool(r['flags']) for r in rows)} needing attention")
    print(f"{'category':<16}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>11}{'recall':>8}")
    for name, c in table.items():
        print(
            f"{name:<16}{c['tp']:>4.0f}{c['fp']:>4.0f}{c['fn']:>4.0f}"
            f"{c['precision']:>11.2f}{c['recall']:>8.2f}"
        )
    if args.errors:
        for row in rows:
            found = attention_flags(row["text"])
            if set(found) != set(row["flags"]):
                print(f"gold {row['flags']} found {found}: {row['text']}")


if __name__ == "__main__":
    main()
