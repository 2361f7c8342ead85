"""Per-field precision, recall and F1 of the resume parser on the hand-labelled eval set,
and the recall of the skills that resumes' skills sections list.

    python -m bench.parse_accuracy [--shared ../shared] [--show-errors]
    python -m bench.parse_accuracy --listed-only --listed-predictions parse.jsonl

bench/data/parse_eval.jsonl holds the expected fields, written by a person reading each
resume. Files are read from <shared>/data/resume_files; CSV resumes are referenced by
row_id and read from <shared>/data/resumes at run time (their licence is unknown, so
their texts are not copied into this repository).

bench/data/skills_eval.jsonl holds, for LiveCareer resumes of many occupations, the items
their "Skills" section lists (see bench/data/SKILLS_EVAL_PROVENANCE.md); the PDFs are read
from <shared>/data/<path>. "Recall of listed skills" is the share of those items that the
parser's `skills` holds, both sides compared by canonical skill. `--listed-predictions`
scores the JSON lines of an earlier `python -m mlcore parse` run of those PDFs instead (how
the figure of an older parser is measured: run its CLI on a checkout of that commit).
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
from mlcore.parsing.skills import skill_key

ROOT = Path(__file__).resolve().parents[1]
EVAL_PATH = ROOT / "bench" / "data" / "parse_eval.jsonl"
LISTED_PATH = ROOT / "bench" / "data" / "skills_eval.jsonl"
CSV_NAME = "resumes/updated_resume_dataset.train.csv"
FIELDS = [
    "name", "email", "phone", "skills", "employers", "titles", "start_dates", "dates", "degrees",
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


def _fields(record: dict[str, Any]) -> dict[str, list[str]]:
    jobs = record["experience"]
    edu = record["education"]
    return {
        "name": [record["name"].lower()] if record.get("name") else [],
        "email": [record["email"].lower()] if record.get("email") else [],
        "phone": [record["phone"]] if record.get("phone") else [],
        # Labels and output compare by canonical skill ("MS Excel" = "Excel").
        "skills": sorted({skill_key(s) for s in record["skills"]}),
        "employers": [j["employer"] for j in jobs if j.get("employer")],
        "titles": [j["title"] for j in jobs if j.get("title")],
        "start_dates": [j["start"] for j in jobs if j.get("start")],
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
    scores = {name: Score() for name in FIELDS}
    for record, data, filename in load_inputs(shared):
        result = parse_resume(data, filename)
        predicted = result.to_json_dict(filename)
        expected_fields = _fields(record)
        predicted_fields = _fields(predicted)
        for name in FIELDS:
            _match(
                expected_fields[name],
                predicted_fields[name],
                scores[name],
                record["id"],
                fuzzy=name in _FUZZY,
            )
    return scores


@dataclass
class EvalItem:
    """One resume of the wide set: its labels, its bytes and how it is reported."""

    id: str
    expected: dict[str, Any]
    data: bytes
    filename: str
    format: str  # pdf | docx | txt
    group: str  # hand-labelled | dev | held-out template | held-out source
    source: str


def wide_items(shared: Path | None = None) -> list[EvalItem]:
    """The hand-labelled resumes plus the rendered records (bench/parse_eval_render.py)."""
    from bench.parse_eval_render import load_records, render, split_of

    shared = shared or default_shared_dir()
    items = []
    for record, data, filename in load_inputs(shared):
        fmt = Path(filename).suffix.lstrip(".")
        source = "resume_files" if "path" in record else "resumes CSV"
        items.append(EvalItem(record["id"], record, data, filename, fmt, "hand-labelled", source))
    for record in load_records():
        data, filename, expected = render(record)
        items.append(
            EvalItem(
                record["id"],
                expected,
                data,
                filename,
                record["format"],
                split_of(record),
                f"dotin+{record['template']}",
            )
        )
    return items


# Fields of the wide table; "listed skills" is recall only (a parser may add skills found in
# the text, which the rendered labels do not list).
WIDE_FIELDS = [
    "name", "email", "phone", "employers", "titles", "start_dates", "dates", "degrees",
    "institutions", "education_years", "listed skills",
]  # fmt: skip


def score_predictions(
    items: list[EvalItem], predict: Any, groups: Any = None
) -> dict[str, dict[str, Score]]:
    """{group: {field: Score}} for `predict(data, filename) -> JSON dict`; groups(item) names
    the groups an item counts in (always "all")."""
    out: dict[str, dict[str, Score]] = {}
    for item in items:
        predicted = predict(item.data, item.filename)
        expected_fields = _fields(item.expected)
        predicted_fields = _fields(predicted)
        names = ["all", *(groups(item) if groups else [])]
        for group in names:
            table = out.setdefault(group, {f: Score() for f in WIDE_FIELDS})
            for name in WIDE_FIELDS:
                if name == "listed skills":
                    if item.group == "hand-labelled":
                        continue  # those labels leave soft skills out: not every listed item
                    have = {_loose(s) for s in predicted_fields["skills"]}
                    for skill in item.expected["skills"]:
                        if _loose(skill) in have:
                            table[name].tp += 1
                        else:
                            table[name].fn += 1
                            table[name].errors.append(f"{item.filename}: missed {skill!r}")
                    continue
                _match(
                    expected_fields[name], predicted_fields[name], table[name],
                    item.filename, fuzzy=name in _FUZZY,
                )  # fmt: skip
    return out


def _parser_predict(data: bytes, filename: str) -> dict[str, Any]:
    return parse_resume(data, filename).to_json_dict(filename)


def print_wide(shared: Path | None, show_errors: bool) -> dict[str, dict[str, Score]]:
    from bench.parse_floor import floor_parse

    items = wide_items(shared)
    groups = lambda item: [item.format, item.group]  # noqa: E731
    parser = score_predictions(items, _parser_predict, groups)
    floor = score_predictions(items, floor_parse)["all"]
    counts: dict[str, int] = {}
    for item in items:
        for key in ("all", item.format, item.group):
            counts[key] = counts.get(key, 0) + 1
    sources = sorted({i.source.split("+")[0] for i in items})
    print(
        f"\nwide eval set: {len(items)} resumes ({', '.join(sources)}; "
        f"{len({i.source for i in items})} layouts/sources), F1 per field "
        "(listed skills: recall)"
    )
    columns = ["floor", "all", "pdf", "docx", "txt", "dev", "held-out template",
               "held-out source", "hand-labelled"]  # fmt: skip
    heads = {"held-out template": "ho-tmpl", "held-out source": "ho-src", "hand-labelled": "hand"}
    print(f"{'field':<16}" + "".join(f"{heads.get(c, c):>9}" for c in columns))
    print(f"{'(resumes)':<16}" + "".join(f"{counts.get(c, counts['all']):>9}" for c in columns))
    for name in WIDE_FIELDS:
        cells = []
        for column in columns:
            table = floor if column == "floor" else parser.get(column)
            score = table[name] if table else None
            if score is None or score.tp + score.fp + score.fn == 0:
                cells.append(f"{'-':>9}")
            else:
                value = score.recall if name == "listed skills" else score.f1
                cells.append(f"{value:>9.3f}")
        print(f"{name:<16}" + "".join(cells))
    if show_errors:
        for name, score in parser["all"].items():
            for error in score.errors:
                print(f"[wide {name}] {error}")
    return parser


def _loose(name: str) -> str:
    return re.sub(r"[^a-z0-9+#]+", "", skill_key(name))


def listed_recall(
    shared: Path | None = None, predictions: Path | None = None
) -> tuple[Score, dict[str, Score]]:
    """Recall of the items resumes' skills sections list: (overall, per category)."""
    shared = shared or default_shared_dir()
    records = [json.loads(line) for line in LISTED_PATH.read_text(encoding="utf-8").splitlines()]
    given: dict[str, list[str]] = {}
    if predictions is not None:
        for line in predictions.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            given[Path(row["file"]).name] = row["skills"]
    total, per_category = Score(), {}
    for record in records:
        path = shared / "data" / record["path"]
        if predictions is not None:
            skills = given[path.name]
        else:
            skills = parse_resume(path.read_bytes(), path.name).skills
        have = {_loose(s) for s in skills}
        score = per_category.setdefault(record["category"], Score())
        for item in record["listed_skills"]:
            for s in (total, score):
                if _loose(item) in have:
                    s.tp += 1
                else:
                    s.fn += 1
            if _loose(item) not in have:
                total.errors.append(f"{record['id']}: missed {item!r}")
    return total, per_category


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="the shared folder")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--listed-only", action="store_true", help="only the listed-skills recall")
    parser.add_argument("--listed-predictions", type=Path, default=None, help="parse JSON lines")
    parser.add_argument(
        "--wide-only", action="store_true", help="only the wide set (rendered + hand-labelled)"
    )
    args = parser.parse_args(argv)
    if args.wide_only:
        print_wide(args.shared, args.show_errors)
        return
    listed, per_category = listed_recall(args.shared, args.listed_predictions)
    n_listed = len(LISTED_PATH.read_text(encoding="utf-8").splitlines())
    print(
        f"recall of listed skills: {listed.recall:.3f} ({listed.tp} of {listed.tp + listed.fn} "
        f"items, {n_listed} resumes, {len(per_category)} categories; "
        f"{LISTED_PATH.relative_to(ROOT)})"
    )
    print("  " + ", ".join(f"{c.lower()} {s.recall:.2f}" for c, s in sorted(per_category.items())))
    if args.show_errors:
        for error in listed.errors:
            print(f"[listed] {error}")
    if args.listed_only:
        return
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
    print_wide(args.shared, args.show_errors)


if __name__ == "__main__":
    main()
