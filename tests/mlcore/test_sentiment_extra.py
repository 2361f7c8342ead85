"""The training-only extra sentiment sources (issue 19): complaint and sarcastic tweets.

Their files are not shipped, so the format tests run on a small folder written here in the
sources' own layout; the last test reads the real files where this machine has them.
"""

from __future__ import annotations

import csv
import random
import zlib

import pytest

from mlcore.sentiment import corpus, extra


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


@pytest.fixture
def shared(tmp_path, monkeypatch):
    root = tmp_path / "data" / extra.EXTRA_DIR
    complaints = [
        [str(n), f"@Acme_Help order {n} never arrived, please help http://t.co/x{n}", "1", "retail"]
        for n in range(40)
    ]
    complaints += [
        ["99", "@Acme thank you, I love these lovely shoes!", "0", "apparel"],
        ["97", "@Acme where is your London store?", "0", "apparel"],
        ["96", "@Acme this is awful and terrible", "0", "apparel"],
        ["95", "I love my new phone so much, best day ever", "1", "random_tweet"],
        ["98", "@Acme #fail", "1", "x"],
    ]
    _write(root / "complaints_social_media" / "complaints-data.csv", complaints)
    sign = [[" best day of my life", " worst day of my life"]] * 3
    sign += [[" best day of my life", " a good day"]] * 2  # 3 of 5 rewrites negative: kept
    sign += [[" what a lovely rain", " i enjoy the rain"]] * 4
    sign += [[" what a lovely rain", " i hate the rain"]]  # 1 of 5 negative: dropped
    _write(root / "sarcasm_sign" / "train.csv", sign)
    _write(
        root / "sarcasm_sign" / "dev.csv",
        [[" oh great, more meetings", " too many meetings, sad"]] * 5,
    )
    monkeypatch.setenv("SMARTHR_SHARED_DIR", str(tmp_path))
    return root


def test_complaints_are_cleaned_and_split_by_text(shared):
    train, validation = extra.complaints("train"), extra.complaints("validation")
    assert len(train) + len(validation) == 40  # the non-complaint and the 2-word one dropped
    assert not set(train) & set(validation)
    assert all(zlib.crc32(t.encode()) % 5 == 0 for t in validation)
    assert all(
        t.startswith("order ") and "@" not in t and "http" not in t for t in train + validation
    )


def test_sarcasm_is_kept_only_when_most_rewrites_are_negative(shared):
    assert extra.sarcasm("train") == ["Best day of my life"]
    assert extra.sarcasm("validation") == ["Oh great, more meetings"]  # read from dev.csv


def test_unknown_source_split_and_missing_files_are_clear_errors(shared, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="unknown extra source"):
        extra.load("reviews", "train")
    with pytest.raises(ValueError, match="unknown split"):
        extra.load("complaints", "test")
    monkeypatch.setenv("SMARTHR_SHARED_DIR", str(tmp_path / "elsewhere"))
    assert not extra.available()
    with pytest.raises(FileNotFoundError, match="sentiment_extra"):
        extra.load("sarcasm", "train")


def test_customer_tweets_that_are_not_complaints_are_neutral_or_positive(shared):
    rows = extra.customer_tweets("train") + extra.customer_tweets("validation")
    stars = {text: star for text, star in rows}
    assert stars["thank you, I love these lovely shoes!"] == 5
    assert stars["where is your London store?"] == 3
    assert "this is awful and terrible" not in stars  # not a complaint, yet VADER-negative
    assert not any("best day ever" in text for text in stars)  # the random tweets stay out
    assert sum(star == 1 for star in stars.values()) == 40


def test_extra_pool_adds_balanced_training_rows_of_each_source(shared):
    rows = corpus._extra_pool(20, random.Random(3))
    by_source = {s: [e for e in rows if e.source == f"extra:{s}"] for s in extra.SOURCES}
    assert 0 < len(by_source["complaints"]) <= 20
    assert [e.text for e in by_source["sarcasm"]] == ["Best day of my life"]
    assert {e.label for e in by_source["sarcasm"]} == {0}
    train_part = {t for t, _ in extra.customer_tweets("train")}
    assert {e.text for e in by_source["complaints"]} <= train_part


@pytest.mark.skipif(not extra.available(), reason="the extra sources are not on this machine")
def test_real_files_give_both_parts_of_both_sources():
    for source in extra.SOURCES:
        train, validation = extra.load(source, "train"), extra.load(source, "validation")
        assert len(train) > 500 and len(validation) > 100, source
        assert not set(train) & set(validation)


def test_train_sentiment_refuses_a_negative_extra(capsys):
    from mlcore.cli import main

    assert main(["train-sentiment", "--extra", "-1", "--no-activate"]) == 2
    assert "--extra must be 0 or more" in capsys.readouterr().err


def test_extra_pool_can_take_one_source_only(shared):
    rows = corpus._extra_pool(20, random.Random(3), ("complaints",))
    assert rows and {e.source for e in rows} == {"extra:complaints"}
