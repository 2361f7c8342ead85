"""The workplace sentiment corpus: Glassdoor, workplace likes/dislikes, SST-5 and the Indeed
reviews, with a split that keeps whole employers (and one whole source) out of training.

Everything is read at run time from the shared data folder (`shared/data/sentiment_more`, see
each folder's PROVENANCE.md); no text is copied into the repository. Stars map as everywhere:
1-2 negative, 3 neutral, 4-5 positive; the model's head scores the five stars (SST-5's five
crowd labels count as stars).

Parts, all a pure function of the files:
- evaluation ("employee reviews, held out"): the whole `glassdoor_multi_company_sample`
  (693 employers, glassdoor.co.uk) and the employers of `glassdoor_us_2025` whose name hashes
  to bucket 0-1 of 10 (~20 % of its employers). Never trained on or tuned on.
- validation (decision biases, temperature): `glassdoor_us_2025` employers in bucket 2.
- training: everything else, minus any row whose employer (normalised name) or text appears
  in the evaluation part. SST-5's `test` split and TweetEval are not used at all (TweetEval's
  test split is the out-of-domain bench set, `ood_tweets`).
"""

from __future__ import annotations

import csv
import html
import random
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from mlcore.sentiment.data import load_reviews, shared_dir, split_reviews

MORE_DIR = "sentiment_more"
EVAL_BUCKETS = frozenset({0, 1})
VALIDATION_BUCKETS = frozenset({2})
STAR_OF_LABEL = {"negative": 1, "neutral": 3, "positive": 5}


@dataclass(frozen=True)
class Example:
    text: str
    star: int  # 1-5
    source: str
    employer: str  # normalised; "" where the source has none

    @property
    def label(self) -> int:
        return 0 if self.star <= 2 else 1 if self.star == 3 else 2


@dataclass(frozen=True)
class Corpus:
    train: list[Example]
    validation: list[Example]
    evaluation: list[Example]


def more_dir() -> Path:
    return shared_dir() / "data" / MORE_DIR


def normalise_employer(name: str) -> str:
    name = html.unescape(name or "").lower()
    name = re.sub(r"\b(inc|co|corp|corporation|ltd|llc|plc|group|the)\b\.?", " ", name)
    return re.sub(r"[^a-z0-9]+", "", name)


def _bucket(employer: str) -> int:
    return zlib.crc32(employer.encode()) % 10


def _rows(folder: str) -> list[dict[str, str]]:
    path = more_dir() / folder / "data.csv"
    if not path.is_file():
        raise FileNotFoundError(f"Sentiment data not found at {path}; set SMARTHR_SHARED_DIR.")
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text or "")).strip()


# (folder, rating column, employer column or a fixed employer, column flagging a repeat)
GLASSDOOR = (
    ("glassdoor_us_2025", "rating_overall", "employer", ""),
    ("glassdoor_uk_kaggle_subset", "overall_rating", "firm", ""),
    ("glassdoor_walmart_india", "rating", "=walmart", "dup_review_url"),
    ("glassdoor_sp500_3m_activision", "rating_overall", "employer", ""),
    ("glassdoor_multi_company_sample", "rating_overall", "company_name", ""),
    ("hr_employees_opinion_ext", "score", "company", "dup_of_earlier_row"),
)


def load_source(folder: str) -> list[Example]:
    """One employee-review folder as Examples (repeats flagged by the source dropped)."""
    _, rating_col, employer_col, dup_col = next(g for g in GLASSDOOR if g[0] == folder)
    found = []
    for row in _rows(folder):
        if dup_col and row.get(dup_col, "").strip().lower() == "true":
            continue
        text = _clean(row["text"])
        rating = row.get(rating_col, "").strip()
        if not text or not rating:
            continue
        employer = employer_col[1:] if employer_col.startswith("=") else row[employer_col]
        found.append(Example(text, int(float(rating)), folder, normalise_employer(employer)))
    return found


def pros_cons_fragments(rows: list[dict[str, str]], pros: str, cons: str) -> list[Example]:
    """Pros as positive and cons as negative sentences (4+ words, not a 'none'/'nothing'):
    short survey answers look far more like these than like whole reviews."""
    empty = re.compile(r"^(no|none|nothing|n/?a|nil|na|not really)\b", re.IGNORECASE)
    found = []
    for row in rows:
        for column, star in ((pros, 5), (cons, 1)):
            text = _clean(row.get(column, ""))
            if len(text.split()) >= 4 and not empty.match(text):
                found.append(Example(text, star, f"fragment:{column}", ""))
    return found


MIXED_TEMPLATES = ("{p}, but {c}", "{p}. However, {c}", "{c}, although {p}", "{p}. But {c}")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def mixed_answers(
    rows: list[dict[str, str]], rating: str, employer: str, source: str, rng: random.Random
) -> list[Example]:
    """Short answers that mix praise and a complaint, labelled by the review's own stars:
    the review's pros and cons (3-30 words each) joined by a contrast word ("..., but ...",
    "..., although ..."). A 1-2 star review's "good X, but bad Y" is negative, a 4-5 star
    one's positive: what decides is which side weighs more, as in a survey answer."""
    empty = re.compile(r"^(no|none|nothing|n/?a|nil|na|not really)\b", re.IGNORECASE)
    found = []
    for row in rows:
        pros, cons = _clean(row.get("pros", "")), _clean(row.get("cons", ""))
        stars = row.get(rating, "").strip()
        if not stars or not all(3 <= len(t.split()) <= 30 for t in (pros, cons)):
            continue
        if empty.match(pros) or empty.match(cons):
            continue
        template = rng.choice(MIXED_TEMPLATES)
        first, second = (cons, pros) if template.startswith("{c}") else (pros, cons)
        text = template.format(
            **{template[1]: first.rstrip(".!;, "), template[-2]: _lower_first(second)}
        )
        found.append(
            Example(text, int(float(stars)), f"mixed:{source}", normalise_employer(row[employer]))
        )
    return found


def load_sst5_train() -> list[Example]:
    """SST-5 train and dev sentences (its test split is left alone), PTB brackets undone."""
    found = []
    for row in _rows("sst5"):
        if row["split"] == "test":
            continue
        text = row["text"].replace("-LRB-", "(").replace("-RRB-", ")")
        text = re.sub(r" (['.,!?;:)]|n't)", r"\1", text).replace("( ", "(")
        found.append(Example(text.strip(), int(row["sst5_label"]), "sst5", ""))
    return found


def load_ood_tweets() -> list[tuple[str, int]]:
    """The out-of-domain 2-class set: TweetEval's test split, neutral tweets removed.

    (text, 0 negative / 1 positive). Nothing from TweetEval is ever trained on or tuned on.
    """
    return [
        (_clean(row["text"]), 0 if row["label"] == "negative" else 1)
        for row in _rows("tweeteval_sentiment")
        if row["split"] == "test" and row["label"] != "neutral"
    ]


def _split_glassdoor() -> tuple[list[Example], list[Example], list[Example], set[str]]:
    train: list[Example] = []
    validation: list[Example] = []
    evaluation = load_source("glassdoor_multi_company_sample")
    for example in load_source("glassdoor_us_2025"):
        bucket = _bucket(example.employer)
        if bucket in EVAL_BUCKETS:
            evaluation.append(example)
        elif bucket in VALIDATION_BUCKETS:
            validation.append(example)
        else:
            train.append(example)
    blocked = {e.employer for e in evaluation}
    return train, validation, evaluation, blocked


def held_out_parts() -> Corpus:
    """The validation and evaluation employers' reviews (no training part)."""
    _, validation, evaluation, _ = _split_glassdoor()
    return Corpus(train=[], validation=validation, evaluation=evaluation)


def evaluation_reviews() -> list[Example]:
    """The held-out employee reviews (see the module docstring)."""
    return _split_glassdoor()[2]


def build_corpus(
    per_source: int = 6000,
    fragments: int = 3000,
    seed: int = 13,
    mixed: int = 0,
    extra: int = 0,
    extra_sources: tuple[str, ...] | None = None,
) -> Corpus:
    """The split, with the training part balanced: at most `per_source` rows of each source,
    drawn so each label gets an equal share where the source has enough, plus `fragments`
    pros/cons sentences of each polarity, up to `mixed` label-balanced mixed answers
    (`mixed_answers`) from the training employers' reviews and up to `extra` rows of each
    training-only source of `mlcore.sentiment.extra` named in `extra_sources` (default: all)."""
    train_us, validation, evaluation, blocked = _split_glassdoor()
    eval_texts = {e.text for e in evaluation}
    rng = random.Random(seed)
    pools: dict[str, list[Example]] = {"glassdoor_us_2025": train_us}
    for folder, *_ in GLASSDOOR:
        if folder not in ("glassdoor_us_2025", "glassdoor_multi_company_sample"):
            pools[folder] = load_source(folder)
    pools["sst5"] = load_sst5_train()
    indeed = split_reviews(load_reviews())
    pools["indeed"] = [
        Example(r.text, r.rating, "indeed", "") for r in indeed.train + indeed.validation
    ]
    train: list[Example] = []
    for name in sorted(pools):
        kept = [
            e
            for e in pools[name]
            if e.employer not in blocked and e.text not in eval_texts and e.text
        ]
        train.extend(_balanced(kept, per_source, rng))
    frag_rows = _rows("glassdoor_uk_kaggle_subset") + _rows("glassdoor_sp500_3m_activision")
    frags = pros_cons_fragments(frag_rows, "pros", "cons")
    for star in (1, 5):
        chosen = [f for f in frags if f.star == star and f.text not in eval_texts]
        rng.shuffle(chosen)
        train.extend(chosen[:fragments])
    if mixed:
        train.extend(_mixed_pool(blocked, eval_texts, mixed, rng))
    if extra:
        train.extend(_extra_pool(extra, rng, extra_sources))
    rng.shuffle(train)
    return Corpus(train=train, validation=validation, evaluation=evaluation)


def _mixed_pool(
    blocked: set[str], eval_texts: set[str], cap: int, rng: random.Random
) -> list[Example]:
    """`mixed_answers` of the training employers only: never an evaluation employer nor a
    validation one (glassdoor_us_2025 buckets 0-2)."""
    held = EVAL_BUCKETS | VALIDATION_BUCKETS
    us = [
        r
        for r in _rows("glassdoor_us_2025")
        if _bucket(normalise_employer(r["employer"])) not in held
    ]
    pool = mixed_answers(us, "rating_overall", "employer", "glassdoor_us_2025", rng)
    pool += mixed_answers(_rows("glassdoor_uk_kaggle_subset"), "overall_rating", "firm", "uk", rng)
    pool += mixed_answers(
        _rows("glassdoor_sp500_3m_activision"), "rating_overall", "employer", "3m", rng
    )
    kept = [e for e in pool if e.employer not in blocked and e.text not in eval_texts]
    return _balanced(kept, cap, rng)


def _extra_pool(
    cap: int, rng: random.Random, sources: tuple[str, ...] | None = None
) -> list[Example]:
    """Up to `cap` training rows of each extra source, label-balanced where it can be."""
    from mlcore.sentiment import extra

    chosen: list[Example] = []
    for source in extra.SOURCES if sources is None else sources:
        rows = [
            Example(t, star, f"extra:{source}", "") for t, star in extra.labelled(source, "train")
        ]
        chosen.extend(_balanced(rows, cap, rng))
    return chosen


def _balanced(examples: list[Example], cap: int, rng: random.Random) -> list[Example]:
    """Up to `cap` examples, an equal share per label where a label has enough (the rest of
    the cap goes to the labels that have more)."""
    by_label: dict[int, list[Example]] = {0: [], 1: [], 2: []}
    for e in examples:
        by_label[e.label].append(e)
    for rows in by_label.values():
        rng.shuffle(rows)
    chosen: list[Example] = []
    left = cap
    for n, label in enumerate(sorted(by_label, key=lambda k: len(by_label[k]))):
        share = left // (3 - n)
        take = by_label[label][:share]
        chosen.extend(take)
        left -= len(take)
    return chosen


def describe(examples: list[Example]) -> dict[str, object]:
    return {
        "rows": len(examples),
        "labels": dict(
            sorted(Counter(("negative", "neutral", "positive")[e.label] for e in examples).items())
        ),
        "sources": dict(sorted(Counter(e.source for e in examples).items())),
    }
