"""The employee-review data: star ratings to labels, and the fixed train/validation/held-out split.

The reviews live in the shared data folder (research and evaluation only, see its
PROVENANCE.md); nothing here copies them into the repository. The split is a pure function of
the file and the seed, so training, the bench and the tests all see the same held-out rows.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LABELS: tuple[str, str, str] = ("negative", "neutral", "positive")
DATA_FILE = "indeed_company_reviews.train.csv"
SPLIT_SEED = 42
HELD_OUT_FRACTION = 0.2
VALIDATION_FRACTION = 0.1  # of the training part: early stopping and temperature scaling


@dataclass(frozen=True)
class Review:
    row_id: int
    text: str  # title + ". " + review text
    rating: int
    label: int  # index into LABELS
    group: str  # text_group: rows sharing it stay on one side of the split


@dataclass(frozen=True)
class Split:
    train: list[Review]
    validation: list[Review]
    held_out: list[Review]


def shared_dir() -> Path:
    """$SMARTHR_SHARED_DIR, or the `shared` folder beside the repository."""
    override = os.environ.get("SMARTHR_SHARED_DIR")
    if override:
        return Path(override)
    return (Path(__file__).resolve().parents[2] / ".." / "shared").resolve()


def default_data_path() -> Path:
    return shared_dir() / "data" / "sentiment" / DATA_FILE


def label_for_rating(rating: int) -> int:
    """1-2 stars negative, 3 neutral, 4-5 positive."""
    if not 1 <= rating <= 5:
        raise ValueError(f"rating must be 1-5, got {rating}")
    return 0 if rating <= 2 else 1 if rating == 3 else 2


def review_text(title: str, body: str) -> str:
    title, body = (title or "").strip(), (body or "").strip()
    if title and body:
        return f"{title}. {body}"
    return title or body


def load_reviews(path: Path | str | None = None) -> list[Review]:
    path = Path(path) if path is not None else default_data_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"Review data not found at {path}; set SMARTHR_SHARED_DIR or pass --data."
        )
    reviews = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = review_text(row["title"], row["reviews"])
            if not text:
                continue
            rating = int(row["rating"])
            reviews.append(
                Review(
                    row_id=int(row["row_id"]),
                    text=text,
                    rating=rating,
                    label=label_for_rating(rating),
                    group=row.get("text_group") or row["row_id"],
                )
            )
    return reviews


def _grouped_stratified(
    reviews: list[Review], fraction: float, seed: int
) -> tuple[list[Review], list[Review]]:
    """(rest, picked): `fraction` of the groups of each star rating, picked at random.

    Whole text groups move together, so a duplicated text never sits on both sides.
    """
    groups: dict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        groups[review.group].append(review)
    by_rating: dict[int, list[str]] = defaultdict(list)
    for key in sorted(groups):  # sorted: independent of file order
        by_rating[groups[key][0].rating].append(key)
    rng = np.random.RandomState(seed)
    picked_keys: set[str] = set()
    for rating in sorted(by_rating):
        keys = by_rating[rating]
        order = rng.permutation(len(keys))
        take = round(fraction * len(keys))
        picked_keys.update(keys[i] for i in order[:take])
    rest = [r for r in reviews if r.group not in picked_keys]
    picked = [r for r in reviews if r.group in picked_keys]
    return rest, picked


def split_reviews(reviews: list[Review], seed: int = SPLIT_SEED) -> Split:
    """80% train / 20% held-out by star rating and text group; 10% of train for validation."""
    train_all, held_out = _grouped_stratified(reviews, HELD_OUT_FRACTION, seed)
    train, validation = _grouped_stratified(train_all, VALIDATION_FRACTION, seed + 1)
    return Split(train=train, validation=validation, held_out=held_out)


def held_out_reviews(path: Path | str | None = None) -> list[Review]:
    return split_reviews(load_reviews(path)).held_out
