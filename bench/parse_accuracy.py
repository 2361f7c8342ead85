"""Per-field precision, recall and F1 of the resume parser on the hand-labelled eval set.

    python -m bench.parse_accuracy [--shared ../shared] [--show-errors]

bench/data/parse_eval.jsonl holds the expected fields, written by a person reading each
resume. Files are read from <shared>/data/resume_files; CSV resumes are referenced by
row_id and read from <shared>/data/resumes at run time (their licence is unknown, so
their texts are not copied into this repository).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlcore.parsing import parse_resume
from mlcore.parsing.skills import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
EVAL_PATH = ROOT / "bench" / "data" / "parse_eval.jsonl"
CSV_NAME = "resumes/updated_resume_dataset.train.csv"
FIELDS = [
    "name", "email", "phone", "skills", "employers", "titles", "dates", "degrees",
    "institutions", "education_years",
]  # fmt: skip
# Words that say nothing about which company or school it is.
_NOISE = {
    "pvt", "ltd", "limited", "inc", "llc", "co", "corp", "company", "the", "of", "private",
    "and", "in", "a",
}  # fmt: skip


def default_shared_dir() -> Path:
    override = os.environ.get("SMARTHR_SHARED_DIR")
    return Path(override) if override else (ROOT / ".." / "shared").resolve()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _tokens(value: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", value.lower().replace(".", ""))
    return frozenset(w for w in words if w not in _NOISE)


def fuzzy_equal(a: str, b: str) -> bool:
    """Same after normalising, or one's words all appear in the other's.

    "B.E" matches "B.E Computer Science and Engineering" and "Osmania University" matches
    "Telangana Osmania university": a human would accept both.
    """
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


def _match(expected: list[str], predicted: list[str], score: Score, doc: str, fuzzy: bool) -> None:
    remaining = list(predicted)
    for item in expected:
        hit = next((p for p in remaining if (fuzzy_equal(item, p) if fuzzy else item == p)), None)
        if hit is None:
            score.fn += 1
            score.errors.append(f"{doc}: missed {item!r}")
        else:
            score.tp += 1
            remaining.remove(hit)
    score.fp += len(remaining)
    score.errors.extend(f"{doc}: extra {p!r}" for p in remaining)


def _skill_key() -> dict[str, str]:
    """alias (lower case) -> canonical (lower case), so labels and output compare by skill."""
    key: dict[str, str] = {}
    for canonical, aliases in load_taxonomy()["skills"].items():
        for alias in (canonical, *aliases):
            key.setdefault(alias.lower(), canonical.lower())
    return key


def _fields(record: dict[str, Any], skill_key: dict[str, str]) -> dict[str, list[str]]:
    jobs = record["experience"]
    edu = record["education"]
    return {
        "name": [record["name"].lower()] if record.get("name") else [],
        "email": [record["email"].lower()] if record.get("email") else [],
        "phone": [record["phone"]] if record.get("phone") else [],
        "skills": sorted({skill_key.get(s.lower(), s.lower()) for s in record["skills"]}),
        "employers": [j["employer"] for j in jobs if j.get("employer")],
        "titles": [j["title"] for j in jobs if j.get("title")],
        "dates": [f"{j['start']}..{j['end']}" for j in jobs if j.get("start")],
        "degrees": [e["degree"] for e in edu if e.get("degree")],
        "institutions": [e["institution"] for e in edu if e.get("institution")],
        "education_years": [str(e["year"]) for e in edu if e.get("year")],
    }


_FUZZY = {"employers", "titles", "degrees", "institutions"}


def load_inputs(shared: Path) -> list[tuple[dict[str, Any], bytes, str]]:
    """(expected record, file bytes, file name) for every eval item."""
    records = [json.loads(line) for line in EVAL_PATH.read_text(encoding="utf-8").splitlines()]
    rows: dict[str, str] = {}
    if any("row_id" in r for r in records):
        with (shared / "data" / CSV_NAME).open(encoding="utf-8", newline="") as handle:
            rows = {row["row_id"]: row["Resume"] for row in csv.DictReader(handle)}
    items = []
    for record in records:
        if "row_id" in record:
            data = rows[str(record["row_id"])].encode("utf-8")
            items.append((record, data, f"row_{record['row_id']}.txt"))
        else:
            path = shared / "data" / record["path"]
            items.append((record, path.read_bytes(), path.name))
    return items


def evaluate(shared: Path | None = None) -> dict[str, Score]:
    shared = shared or default_shared_dir()
    skill_key = _skill_key()
    scores = {name: Score() for name in FIELDS}
    for record, data, filename in load_inputs(shared):
        result = parse_resume(data, filename)
        predicted = result.to_json_dict(filename)
        expected_fields = _fields(record, skill_key)
        predicted_fields = _fields(predicted, skill_key)
        for name in FIELDS:
            _match(
                expected_fields[name],
                predicted_fields[name],
                scores[name],
                record["id"],
                fuzzy=name in _FUZZY,
            )
    return scores


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="the shared folder")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    scores = evaluate(args.shared)
    n = len(EVAL_PATH.read_text(encoding="utf-8").splitlines())
    print(f"parse accuracy on {n} hand-labelled resumes ({EVAL_PATH.relative_to(ROOT)})")
    print(f"{'field':<16}{'precision':>10}{'recall':>10}{'f1':>8}{'tp':>6}{'fp':>6}{'fn':>6}")
    for name, s in scores.items():
        print(
            f"{name:<16}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}"
            f"{s.tp:>6}{s.fp:>6}{s.fn:>6}"
        )
    if args.show_errors:
        for name, s in scores.items():
            for error in s.errors:
                print(f"[{name}] {error}")


if __name__ == "__main__":
    main()
