"""Attributions for several answers at once (what the HR dashboard's examples get)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

TEXTS = [
    "The hours are long and the managers are rude.",
    "I love my team and the benefits are great.",
    "Fine.",
    "My coworkers are nice but the management is awful, and the pay has not moved in years.",
]


@pytest.fixture(scope="session")
def model():
    from mlcore.sentiment import get_model

    return get_model()


def test_batched_attributions_equal_one_answer_at_a_time(model):
    results = model.predict(TEXTS, explain=True, topics=False)
    labels = [r.label for r in results]
    batched = model.explain(TEXTS, labels=labels)
    assert len(batched) == len(TEXTS)
    for text, one, many in zip(TEXTS, results, batched, strict=True):
        assert [w for w, _ in many] == text.split()  # padding adds no words
        assert [w for w, _ in one.attributions] == [w for w, _ in many]
        for (_, a), (_, b) in zip(one.attributions, many, strict=True):
            assert a == pytest.approx(b, abs=0.02), text


def test_explain_uses_the_given_label(model):
    text = "My coworkers are nice but the management is awful."
    [for_negative] = model.explain([text], labels=["negative"])
    [for_positive] = model.explain([text], labels=["positive"])
    negative = dict(for_negative)
    positive = dict(for_positive)
    assert negative["awful."] > 0 and positive["awful."] < 0


def test_explain_refuses_bad_input(model):
    with pytest.raises(ValueError, match="text 1 is empty"):
        model.explain(["Good.", " "], labels=["positive", "neutral"])
    with pytest.raises(ValueError, match="unknown label"):
        model.explain(["Good."], labels=["happy"])
    with pytest.raises(ValueError, match="one label per text"):
        model.explain(["Good.", "Bad."], labels=["positive"])
    assert model.explain([], labels=[]) == []
