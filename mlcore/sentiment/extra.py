"""Training-only sources for the two kinds of answer the review corpus teaches badly: polite or
matter-of-fact complaints, and sarcasm (positive words, negative meaning).

Both are read at run time from `shared/data/sentiment_extra` (see each folder's PROVENANCE.md);
neither licence is stated, so they are used for training and validation only and never copied
into the repository. Every row is negative (a complaint reports a problem; the sarcasm kept is
the one whose plain meaning is negative). Tweets that are only ever negative teach a
shortcut, so the customer tweets that are not complaints come too, as neutral or positive.

- `complaints_social_media` (Preotiuc-Pietro et al., ACL 2019): tweets to companies, annotated
  complaint / not complaint. Complaints only; user names, links and "#" removed. A fifth of
  them (crc32 of the text) is the validation part.
- `sarcasm_sign` (Peled and Reichart, ACL 2017): sarcastic tweets, each with five plain
  rewrites by people. A tweet is kept when VADER reads at least three of its rewrites as
  negative (compound <= -0.05): the label comes from what the writer meant, not from the
  tweet's words. Its `train` split trains, `dev` validates; `test` is never read. The
  authors lower-cased the tweets; the first letter is put back in upper case.

Negative-only tweets teach a shortcut: a member trained on them read most tweets as negative
(TweetEval validation accuracy 0.83 -> 0.63 joined with two others; 0.33 alone), with and
without the "@user" marks. So the marks of a tweet (user names, links, "#") are removed, and
the non-complaints are kept as the other side of the same kind of text.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from mlcore.sentiment.data import shared_dir

EXTRA_DIR = "sentiment_extra"
SOURCES = ("complaints", "sarcasm")
SPLITS = ("train", "validation")
NEGATIVE_STAR = 1
_MIN_NEGATIVE_REWRITES = 3
_MENTION = re.compile(r"(?<!\w)[.]?@\w+:?")
_LINK = re.compile(r"https?://\S+")


def extra_dir() -> Path:
    return shared_dir() / "data" / EXTRA_DIR


def available() -> bool:
    """Whether both sources' files are present (they are not shipped with the project)."""
    root = extra_dir()
    return (root / "complaints_social_media" / "complaints-data.csv").is_file() and all(
        (root / "sarcasm_sign" / f"{split}.csv").is_file() for split in ("train", "dev")
    )


def _tweet(text: str) -> str:
    text = _LINK.sub("", _MENTION.sub("", text)).replace("#", "")
    return re.sub(r"\s+", " ", text).strip(" ,:-")


def complaints(split: str) -> list[str]:
    """The complaint tweets of one part (`train` or `validation`), cleaned, in file order."""
    return [text for text, star in customer_tweets(split) if star == NEGATIVE_STAR]


def customer_tweets(split: str) -> list[tuple[str, int]]:
    """(text, star) of one part: complaints get one star; the tweets to a company that are not
    complaints (questions, thanks) three, or five where VADER reads them as clearly positive
    (compound >= 0.5); a non-complaint VADER reads as negative is left out (no label to
    trust). The random tweets the authors added as negatives for their task are not used."""
    _check(split)
    path = extra_dir() / "complaints_social_media" / "complaints-data.csv"
    found = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):  # id, text, label (1 = complaint), domain; no header
            if len(row) < 4 or row[3].startswith("random"):
                continue
            text = _tweet(row[1])
            in_validation = zlib.crc32(text.encode()) % 5 == 0
            if len(text.split()) < 3 or in_validation != (split == "validation"):
                continue
            if row[2].strip() == "1":
                found.append((text, NEGATIVE_STAR))
                continue
            compound = _compound(text)
            if compound > -0.05:
                found.append((text, 5 if compound >= 0.5 else 3))
    return found


def sarcasm(split: str) -> list[str]:
    """The sarcastic tweets of one part whose rewrites are mostly negative, in file order."""
    _check(split)
    path = extra_dir() / "sarcasm_sign" / ("train.csv" if split == "train" else "dev.csv")
    rewrites: dict[str, list[str]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):  # sarcastic tweet, one plain rewrite; five rows per tweet
            if len(row) == 2 and row[0].strip():
                rewrites[row[0].strip()].append(row[1].strip())
    return [
        tweet[:1].upper() + tweet[1:]
        for tweet, plain in rewrites.items()
        if sum(_compound(p) <= -0.05 for p in plain) >= _MIN_NEGATIVE_REWRITES
    ]


def _compound(text: str) -> float:
    """VADER's compound score (-1..1), the weak label both sources use."""
    return float(_vader().polarity_scores(text)["compound"])


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def load(source: str, split: str) -> list[str]:
    """The negative texts of one source's part (what its validation recall is measured on)."""
    return [text for text, star in labelled(source, split) if star == NEGATIVE_STAR]


def labelled(source: str, split: str) -> list[tuple[str, int]]:
    """(text, star) rows of one source's part."""
    if source not in SOURCES:
        raise ValueError(f"unknown extra source {source!r}; one of {', '.join(SOURCES)}")
    if source == "complaints":
        return customer_tweets(split)
    return [(text, NEGATIVE_STAR) for text in sarcasm(split)]


def _check(split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; one of {', '.join(SPLITS)}")
    if not available():
        raise FileNotFoundError(
            f"The extra sentiment sources are not at {extra_dir()} (see docs/sentiment.md)."
        )
