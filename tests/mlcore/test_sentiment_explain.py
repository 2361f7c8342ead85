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


# --- SHAP and attention rollout (issue 21) ---------------------------------------------------


def test_shap_values_add_up_and_point_at_the_negative_words(model):
    import numpy as np
    import shap

    from mlcore.attribution import neighbour_tree
    from mlcore.sentiment.explain import WordDeleter, shap_words

    text = "The hours are long and the managers are rude."
    target = 0  # negative
    deleter = WordDeleter(model, text, target)
    n = deleter.read
    assert n == len(text.split())
    masker = shap.maskers.Partition(np.zeros((1, n)), clustering=neighbour_tree(n))
    raw = shap.PartitionExplainer(deleter, masker)(np.ones((1, n)), max_evals=64, silent=True)
    full, empty = deleter(np.stack([np.ones(n), np.zeros(n)]))
    assert raw.values[0].sum() == pytest.approx(full - empty, abs=1e-4)  # Owen values add up
    pairs = shap_words(model, text, target=target)
    assert [w for w, _ in pairs] == text.split()
    weights = dict(pairs)
    assert max(abs(w) for w in weights.values()) == pytest.approx(1.0)
    assert max(weights, key=lambda w: weights[w]) in {"rude.", "long"}


def test_attention_rollout_is_unsigned_over_every_word_and_leaves_sdpa_on(model):
    from mlcore.sentiment.explain import attention_rollout

    text = "I love my team and the benefits are great."
    pairs = attention_rollout(model, text)
    assert [w for w, _ in pairs] == text.split()
    assert all(0 < w <= 1 for _, w in pairs) and max(w for _, w in pairs) == 1
    configs = {id(m.config): m.config for m in model.net.modules() if hasattr(m, "config")}
    assert all(c._attn_implementation != "eager" for c in configs.values())
    # The model still predicts as before after the eager pass.
    assert model.predict([text], topics=False)[0].label == "positive"


def test_words_past_the_read_limit_get_no_weight(model):
    from mlcore.sentiment.explain import attention_rollout, shap_words

    text = " ".join(["The pay is bad."] * 60)  # far past max_length word pieces
    for pairs in (shap_words(model, text, target=0, max_evals=16), attention_rollout(model, text)):
        assert len(pairs) == len(text.split())
        assert pairs[0][1] is not None and pairs[-1][1] is None


def test_explain_by_method_name(model):
    text = "My coworkers are nice but the management is awful."
    for method in ("shap", "attention"):
        [pairs] = model.explain([text], labels=["negative"], method=method)
        assert [w for w, _ in pairs] == text.split()
    with pytest.raises(ValueError, match="unknown explanation method 'lime'"):
        model.explain([text], labels=["negative"], method="lime")
