"""Head words of job titles ("teacher", "paralegal", "cashier"), built from O*NET titles.

Run once when the O*NET release changes; the parser only reads the JSON:

    python -m mlcore.parsing.titles ../shared/data/onet

The last word of every O*NET occupation title and alternate title ("Elementary School
Teacher" -> "teacher") that at least `min_count` titles end with, less words that name an
organisation or a field rather than a person ("department", "computer", "control").
"""

from __future__ import annotations

import argparse
import collections
import csv
import functools
import json
import re
from pathlib import Path

from .vocab import ORG_WORDS, TITLE_WORDS

DATA_DIR = Path(__file__).resolve().parent / "data"
TITLE_WORDS_PATH = DATA_DIR / "title_words.json"
# Last words of some O*NET titles that are no job's head noun in a resume line.
_NOT_HEADS = {
    "computer", "control", "court", "basic", "brother", "counter", "department", "crew",
    "general", "room", "line", "machine", "equipment", "systems", "system", "services",
    "service", "operations", "production", "sales", "support", "care", "health", "training",
    "development", "management", "maintenance", "repair", "processing", "research",
    "artillery", "charter", "boiler", "compressor", "conditioner", "dryer", "drier", "cooler",
    "buffer", "bumper", "drawer", "chopper", "cracker", "breaker", "blower", "cutter",
}  # fmt: skip


def build(onet_dir: Path, min_count: int = 3) -> list[str]:
    counts: collections.Counter[str] = collections.Counter()
    titles = [r["Alternate Title"] for r in _rows(onet_dir / "alternate_titles.csv")]
    titles += [r["Title"] for r in _rows(onet_dir / "occupation_data.csv")]
    for title in titles:
        words = re.findall(r"[A-Za-z][A-Za-z'-]*", title.split("(")[0].split(",")[0])
        if words:
            counts[words[-1].lower()] += 1
    keep = {w for w, n in counts.items() if n >= min_count and len(w) > 2}
    return sorted((keep - _NOT_HEADS - ORG_WORDS) | TITLE_WORDS)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def title_heads() -> frozenset[str]:
    """The built head words (TITLE_WORDS alone when the file is missing)."""
    if not TITLE_WORDS_PATH.exists():
        return TITLE_WORDS
    return frozenset(json.loads(TITLE_WORDS_PATH.read_text(encoding="utf-8"))["heads"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("onet_dir", type=Path)
    parser.add_argument("--out", type=Path, default=TITLE_WORDS_PATH)
    args = parser.parse_args(argv)
    heads = build(args.onet_dir)
    payload = {
        "source": "O*NET 29.2 occupation and alternate titles (CC BY 4.0), last words",
        "heads": heads,
    }
    args.out.write_text(json.dumps(payload, indent=0) + "\n", encoding="utf-8")
    print(f"{len(heads)} head words -> {args.out}")


if __name__ == "__main__":
    main()
