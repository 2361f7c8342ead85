"""The workplace sentiment corpus (issue 19): what is held out stays out of training."""

from __future__ import annotations

from collections import Counter

import pytest

from mlcore.sentiment import corpus


@pytest.fixture(scope="module")
def built() -> corpus.Corpus:
    from mlcore.sentiment.train import TrainConfig

    config = TrainConfig()  # the corpus the shipped recipe trains on
    return corpus.build_corpus(config.per_source, config.fragments, config.seed, mixed=config.mixed)


def test_held_out_employers_and_texts_never_reach_training(built):
    held_employers = {e.employer for e in built.evaluation}
    assert not held_employers & {e.employer for e in built.train if e.employer}
    assert not {e.text for e in built.evaluation} & {e.text for e in built.train}
    assert not {e.employer for e in built.validation} & {e.employer for e in built.train}
    assert not {e.employer for e in built.validation} & held_employers


def test_evaluation_is_a_whole_source_plus_held_out_employers(built):
    sources = Counter(e.source for e in built.evaluation)
    assert sources["glassdoor_multi_company_sample"] == 1000
    assert sources["glassdoor_us_2025"] > 500
    assert {e.source for e in built.train}.isdisjoint({"glassdoor_multi_company_sample"})
    assert {e.source for e in built.train}.isdisjoint({"tweeteval_sentiment"})
    assert corpus.evaluation_reviews() == built.evaluation


def test_training_part_is_deterministic_and_roughly_balanced(built):
    from mlcore.sentiment.train import TrainConfig

    config = TrainConfig()
    again = corpus.build_corpus(
        config.per_source, config.fragments, config.seed, mixed=config.mixed
    )
    assert [e.text for e in again.train] == [e.text for e in built.train]
    labels = Counter(e.label for e in built.train)
    assert min(labels.values()) / max(labels.values()) > 0.5, labels  # + class weights
    assert not any(e.source == "sst5" and not e.text for e in built.train)


def test_ood_tweets_are_two_class_test_split_only():
    tweets = corpus.load_ood_tweets()
    assert {label for _, label in tweets} == {0, 1}
    assert len(tweets) > 5000


def test_employer_names_normalise_across_sources():
    assert corpus.normalise_employer("JPMorgan Chase & Co") == corpus.normalise_employer(
        "JPMorgan Chase & Co."
    )
    assert corpus.normalise_employer("Walmart Inc.") == corpus.normalise_employer("walmart")


def test_mixed_answers_come_from_training_employers_only(built):
    mixed = [e for e in built.train if e.source.startswith("mixed:")]
    assert len(mixed) > 1000
    assert all(e.employer for e in mixed)
    held = {e.employer for e in built.evaluation} | {e.employer for e in built.validation}
    assert not held & {e.employer for e in mixed}
    assert {e.label for e in mixed} == {0, 1, 2}


def test_mixed_answer_joins_pros_and_cons_and_keeps_the_stars():
    import random

    row = {"pros": "Friendly people on my team.", "cons": "Pay is low for the area", "stars": "2"}
    rows = [dict(row, employer="Acme Inc") for _ in range(40)]
    found = corpus.mixed_answers(rows, "stars", "employer", "test", random.Random(1))
    assert {e.star for e in found} == {2} and {e.employer for e in found} == {"acme"}
    texts = {e.text for e in found}
    assert "Friendly people on my team, but pay is low for the area" in texts
    assert "Pay is low for the area, although friendly people on my team." in texts
    too_short = dict(row, cons="Nothing")
    assert corpus.mixed_answers([too_short], "stars", "employer", "t", random.Random(1)) == []
