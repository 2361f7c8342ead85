"""The shipped sentiment model: held-out quality against VADER, probabilities, topics, reasons."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mlcore.registry import Registry
from mlcore.sentiment import metrics
from mlcore.sentiment.data import LABELS, load_reviews, split_reviews
from mlcore.sentiment.explain import highlight_html
from mlcore.sentiment.topics import TOPIC_KEYS, clauses, get_tagger

pytestmark = pytest.mark.slow

# Floors measured for the shipped version (sentiment-20261130-123231, the issue-19
# "workplace" recipe) with `python -m bench.sentiment_eval`, minus a margin; VADER is scored in
# the same test on the same texts (docs/sentiment.md has the bootstrap intervals).
# Held-out employee reviews (2,057; employers never trained on): accuracy 0.695, macro-F1
# 0.650 against VADER's 0.573 / 0.439 (macro-F1 difference +0.211 [+0.190, +0.236]).
REVIEWS_ACCURACY_FLOOR = 0.67
REVIEWS_MACRO_F1_FLOOR = 0.62
REVIEWS_MACRO_F1_MARGIN_OVER_VADER = 0.17
# The Indeed held-out split (409 reviews; smaller samples swing by +-4 points): accuracy
# 0.785, macro-F1 0.569 against VADER's 0.755 / 0.535. The macro-F1 difference's interval
# crosses zero (+0.034 [-0.029, +0.097]), so only accuracy is asserted above VADER's.
ACCURACY_FLOOR = 0.76
MACRO_F1_FLOOR = 0.53
ACCURACY_MARGIN_OVER_VADER = 0.0
# The hand-written workplace challenge set (bench/data/sentiment_challenge.jsonl).
CHALLENGE_NEGATIVE_RECALL_FLOOR = 0.62  # measured 0.679 (36 of 53)


@pytest.fixture(scope="session")
def model():
    from mlcore.sentiment import get_model

    return get_model()


@pytest.fixture(scope="session")
def split(data_dir: Path):
    return split_reviews(load_reviews(data_dir / "sentiment" / "indeed_company_reviews.train.csv"))


@pytest.fixture(scope="session")
def sample(split):
    return split.held_out


# --- the split ---------------------------------------------------------------------------


def test_split_is_deterministic_disjoint_and_stratified(split, data_dir):
    again = split_reviews(load_reviews(data_dir / "sentiment" / "indeed_company_reviews.train.csv"))
    assert [r.row_id for r in again.held_out] == [r.row_id for r in split.held_out]
    parts = [split.train, split.validation, split.held_out]
    groups = [{r.group for r in part} for part in parts]
    assert not (groups[0] & groups[1] or groups[0] & groups[2] or groups[1] & groups[2])
    total = sum(len(p) for p in parts)
    assert abs(len(split.held_out) / total - 0.2) < 0.01
    for rating in range(1, 6):  # every star rating keeps its share (within rounding)
        share_all = sum(r.rating == rating for p in parts for r in p) / total
        share_held = sum(r.rating == rating for r in split.held_out) / len(split.held_out)
        assert abs(share_all - share_held) < 0.01


# --- quality -----------------------------------------------------------------------------


def test_held_out_employee_reviews_against_vader_measured_in_the_same_run(model):
    from bench.sentiment_eval import vader_labels
    from mlcore.sentiment.corpus import evaluation_reviews

    held = evaluation_reviews()
    texts, gold = [e.text for e in held], [e.label for e in held]
    tuned = [LABELS.index(r.label) for r in model.predict(texts, topics=False)]
    vader = vader_labels(texts)
    ours = {"accuracy": metrics.accuracy(gold, tuned), "macro_f1": metrics.macro_f1(gold, tuned)}
    theirs = {"accuracy": metrics.accuracy(gold, vader), "macro_f1": metrics.macro_f1(gold, vader)}
    assert ours["accuracy"] >= REVIEWS_ACCURACY_FLOOR, (ours, theirs)
    assert ours["macro_f1"] >= REVIEWS_MACRO_F1_FLOOR, (ours, theirs)
    margin = REVIEWS_MACRO_F1_MARGIN_OVER_VADER
    assert ours["macro_f1"] >= theirs["macro_f1"] + margin, (ours, theirs)


def test_indeed_held_out_quality_against_vader_measured_in_the_same_run(model, sample):
    from bench.sentiment_eval import vader_labels

    texts, gold = [r.text for r in sample], [r.label for r in sample]
    tuned = [LABELS.index(r.label) for r in model.predict(texts, topics=False)]
    vader = vader_labels(texts)
    ours = {"accuracy": metrics.accuracy(gold, tuned), "macro_f1": metrics.macro_f1(gold, tuned)}
    theirs = {"accuracy": metrics.accuracy(gold, vader), "macro_f1": metrics.macro_f1(gold, vader)}
    assert ours["accuracy"] >= ACCURACY_FLOOR, (ours, theirs)
    assert ours["macro_f1"] >= MACRO_F1_FLOOR, (ours, theirs)
    assert ours["accuracy"] >= theirs["accuracy"] + ACCURACY_MARGIN_OVER_VADER, (ours, theirs)


def test_challenge_set_negative_recall(model):
    from bench.sentiment_eval import CHALLENGE

    rows = [json.loads(line) for line in CHALLENGE.read_text().splitlines() if line.strip()]
    assert len(rows) >= 60
    negatives = [r["text"] for r in rows if r["label"] == "negative"]
    found = [r.label for r in model.predict(negatives, topics=False)]
    recall = found.count("negative") / len(negatives)
    assert recall >= CHALLENGE_NEGATIVE_RECALL_FLOOR, list(zip(negatives, found, strict=True))


def test_probabilities_are_a_distribution_and_the_label_is_the_most_likely(model):
    texts = [
        "Terrible management, no raises, I am looking for a new job.",
        "It is an okay place. Some days are good, some are not.",
        "Best team I have ever worked with, I love coming to work.",
    ]
    results = model.predict(texts, topics=False)
    assert [results[0].label, results[2].label] == ["negative", "positive"]
    # Neutral is the weak class (F1 0.21): ask only that a mixed answer leans more neutral
    # than the clearly negative and positive ones, not that it wins.
    assert results[1].probs["neutral"] > max(
        results[0].probs["neutral"], results[2].probs["neutral"]
    )
    for result in results:
        assert set(result.probs) == set(LABELS)
        assert sum(result.probs.values()) == pytest.approx(1.0, abs=1e-5)
        assert all(0.0 <= p <= 1.0 for p in result.probs.values())
        assert result.label == max(result.probs, key=result.probs.get)
        assert result.model_version == Registry().active("sentiment").version


def test_batching_and_order_do_not_change_answers(model, sample):
    texts = [r.text for r in sample[:7]]
    one_batch = model.predict(texts, topics=False, batch_size=32)
    small_batches = model.predict(texts, topics=False, batch_size=2)
    alone = [model.predict([t], topics=False)[0] for t in texts[:2]]
    for a, b in zip(one_batch, small_batches, strict=True):
        assert a.label == b.label
        for label in LABELS:
            assert a.probs[label] == pytest.approx(b.probs[label], abs=1e-4)
    for a, b in zip(one_batch[:2], alone, strict=True):
        assert a.probs["positive"] == pytest.approx(b.probs["positive"], abs=1e-4)


def test_an_older_three_way_version_still_loads_for_rollback():
    from mlcore.sentiment.model import SentimentModel

    old = SentimentModel.load("sentiment-20261124-233129")
    assert old.net.head.out_features == 3 and old.max_length == 160
    [result] = old.predict(["Best team I have ever worked with."], topics=False)
    assert result.label == "positive"
    assert sum(result.probs.values()) == pytest.approx(1.0, abs=1e-5)


def test_empty_text_is_refused_with_its_position(model):
    with pytest.raises(ValueError, match="text 1 is empty"):
        model.predict(["fine", "   "])
    assert model.predict([]) == []


def test_json_shape(model):
    item = model.predict(["Good pay and nice colleagues."])[0].to_json_dict()
    assert set(item) == {"label", "probs", "topics", "model_version"}
    json.dumps(item)  # serialisable as is
    explained = model.predict(["Good pay."], explain=True)[0].to_json_dict()
    assert {"attributions"} <= set(explained)


# --- explanations ------------------------------------------------------------------------


NEGATIVE_WORDS = {"awful", "terrible", "horrible", "toxic", "hate", "worst", "rude", "unfair"}


@pytest.mark.parametrize(
    "text",
    [
        "The hours are long and the managers are rude.",
        "My coworkers are nice but the management is awful.",
    ],
)
def test_attributions_point_at_the_negative_word(model, text):
    result = model.predict([text], explain=True, topics=False)[0]
    assert result.label == "negative"
    words = [w for w, _ in result.attributions]
    assert words == text.split()  # one weight per written word, pieces merged
    assert max(abs(w) for _, w in result.attributions) == pytest.approx(1.0)
    top_word, top_weight = max(result.attributions, key=lambda pair: pair[1])
    assert top_weight > 0
    assert top_word.strip(".,").lower() in NEGATIVE_WORDS, result.attributions


def test_attributions_for_a_positive_answer_favour_positive_words(model):
    result = model.predict(["I love my team and the benefits are great."], explain=True)[0]
    assert result.label == "positive"
    weights = {w.strip(".").lower(): s for w, s in result.attributions}
    assert max(weights["love"], weights["great"]) > max(weights["the"], weights["and"])


def test_highlight_html_escapes_text_and_marks_strong_words():
    page = highlight_html([("<b>pay</b>", 1.0), ("is", 0.01), ("bad", -0.6)], "negative")
    assert "<b>" not in page and "&lt;b&gt;pay&lt;/b&gt;" in page
    assert page.count("<mark") == 2
    assert re.search(r'rgba\(220,38,38,1\.0\)" title="\+1\.00"', page)


# --- topics ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The salary is low and there have been no raises for years.", {"pay_benefits"}),
        ("My manager never listens to the team.", {"management"}),
        ("I can work from home and my hours are flexible.", {"work_life_balance"}),
        ("There is no room for promotion here.", {"growth"}),
        ("Great food. The workload, however, is crushing", {"pay_benefits", "workload"}),
    ],
)
def test_topics_of_hand_written_answers(text, expected):
    found = get_tagger().tag([text])[0]
    assert expected <= set(found), found
    assert len(found) <= 3 and set(found) <= set(TOPIC_KEYS)


def test_an_answer_without_a_workplace_topic_gets_none():
    assert get_tagger().tag(["Thanks for asking.", "No comment."]) == [[], []]


def test_clauses_split_on_sentences_and_contrasts():
    assert clauses("Good pay, but long hours. Nice team!") == [
        "Good pay",
        "long hours",
        "Nice team!",
    ]


def test_topic_tagger_precision_and_recall_on_the_test_half():
    from bench.topic_eval import DEFAULT_DATA, load, score

    rows = [row for row in load(DEFAULT_DATA) if row["split"] == "test"]
    tagger = get_tagger()
    figures = score(rows, tagger.scores([row["text"] for row in rows]), tagger.threshold)
    assert figures["precision"] >= 0.65, figures
    assert figures["recall"] >= 0.65, figures


# --- the shipped artefact ----------------------------------------------------------------


def test_shipped_version_is_small_and_documented(model):
    files = [p for p in model.path.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 5_000_000
    names = {p.relative_to(model.path).as_posix() for p in files}
    members = len([p for p in (model.path / "members").iterdir() if p.is_dir()])
    assert members >= 1
    for k in range(members):
        assert {f"members/{k}/lora.safetensors", f"members/{k}/head.safetensors"} <= names
    assert {"calibration.json", "meta.json", "MODEL_CARD.md"} <= names
    meta = json.loads((model.path / "meta.json").read_text())
    assert meta["metrics"]["held_out"]["n"] == meta["split"]["sizes"]["held_out"]
    assert meta["training"]["seconds"] < 60 * 60  # 47 min on 1 thread of a busy 2-core CPU
    card = (model.path / "MODEL_CARD.md").read_text()
    assert "held-out" in card and "PROVENANCE" in card
    # No review text ships: the model folder holds no CSV and no long quoted passages.
    assert not any(p.suffix == ".csv" for p in files)
