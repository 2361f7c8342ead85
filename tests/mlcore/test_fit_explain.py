"""Fit explanations on the text's own words: contributions, SHAP, attention rollout, and
the faithfulness curves that order them (mlcore.matching.explain, mlcore.words)."""

from __future__ import annotations

import numpy as np
import pytest

from mlcore.attribution import neighbour_tree
from mlcore.matching import get_fit_model
from mlcore.matching.explain import (
    _embed,
    _WordDeleter,
    attention_rollout,
    contributions,
    shap_words,
)
from mlcore.words import to_words

JOB = "Senior Java developer: Spring Boot, Hibernate, microservices, Node.js."
RESUME = "Java developer with Spring Boot and Hibernate; some Node.js. Enjoys hiking and cooking."


@pytest.fixture(scope="module")
def fit_model():
    """The fine-tuned encoder's own version: every explanation method reads that encoder (in
    a blend, the part of the score that words explain), so its scores are the checked ones."""
    active = get_fit_model()
    if active.kind == "blend":
        return get_fit_model(active.meta["blend"]["fine_tuned"])
    return active


def test_words_are_the_texts_own_with_pieces_summed():
    from mlcore import encoder

    text = "Built Node.js APIs, [NAME]'s team."
    enc = encoder.tokenizer()(text, return_offsets_mapping=True)
    pieces = len(enc["input_ids"])
    pairs = to_words(text, enc["offset_mapping"], [1.0] * pieces)
    assert [w for w, _ in pairs] == ["Built", "Node.js", "APIs,", "[NAME]'s", "team."]
    weights = dict(pairs)
    # A word's weight is the sum of its pieces': "[NAME]'s" is five, "Node.js" four, "Built" one.
    assert weights["[NAME]'s"] == 1.0
    assert weights["Node.js"] == pytest.approx(0.8) and weights["Built"] == pytest.approx(0.2)


def test_words_past_the_read_limit_have_no_weight():
    from mlcore import encoder

    text = "one two three four five six seven eight"
    enc = encoder.tokenizer()(text, return_offsets_mapping=True, truncation=True, max_length=5)
    pairs = to_words(text, enc["offset_mapping"], [0.5] * len(enc["input_ids"]))
    assert " ".join(w for w, _ in pairs) == text  # the whole text, in order
    assert [x for _, x in pairs] == [1.0, 1.0, 1.0, None, None, None, None, None]


def test_contributions_keep_casing_and_cover_the_whole_text(fit_model):
    long_resume = RESUME + " Volunteer at the animal shelter every weekend." * 60
    sides = contributions(fit_model, JOB, long_resume)
    resume = sides["resume"]
    assert " ".join(resume.words) == fit_model.prepare_resume(long_resume)
    assert "Node.js." in resume.words and "node" not in resume.words
    assert 0 < resume.read < len(resume.words)  # 256 pieces read, the rest shown unweighted
    assert all(x is None for x in resume.weights[resume.read :])
    weights = dict(zip(resume.words[: resume.read], resume.weights, strict=False))
    assert weights["Java"] > weights["hiking"]


def test_shap_values_add_up_to_the_score_change_and_favour_the_jobs_words(fit_model):
    import shap

    job, resume = fit_model.prepare_job(JOB), fit_model.prepare_resume(RESUME)
    deleter = _WordDeleter(fit_model, _embed(fit_model.encoder, job, fit_model.max_length), resume)
    n = deleter.read
    masker = shap.maskers.Partition(np.zeros((1, n)), clustering=neighbour_tree(n))
    raw = shap.PartitionExplainer(deleter, masker)(np.ones((1, n)), max_evals=100, silent=True)
    full, empty = deleter(np.stack([np.ones(n), np.zeros(n)]))
    # Efficiency: the words' values share out exactly the score minus the empty resume's.
    assert float(raw.values[0].sum()) == pytest.approx(full - empty, abs=1e-3)
    # The full resume's score is the app's score for it (the same encoder, calibrated).
    assert full == pytest.approx(fit_model.score_pairs([(JOB, RESUME)])[0], abs=0.05)
    attribution = shap_words(fit_model, JOB, RESUME)["resume"]
    weights = dict(zip(attribution.words, attribution.weights, strict=True))
    assert max(abs(x) for x in attribution.weights) == pytest.approx(1.0)
    assert weights["Java"] > weights["cooking."]


def test_neighbour_tree_is_a_valid_linkage():
    from scipy.cluster.hierarchy import is_valid_linkage, leaves_list

    for n in (2, 3, 7, 180):
        tree = neighbour_tree(n)
        assert is_valid_linkage(tree)
        assert leaves_list(tree).tolist() == list(range(n))  # groups are runs of neighbours


def test_attention_rollout_is_unsigned_on_both_texts(fit_model):
    sides = attention_rollout(fit_model, JOB, RESUME)
    for side in ("resume", "job"):
        weights = [x for x in sides[side].weights if x is not None]
        assert weights and min(weights) >= 0 and max(weights) == pytest.approx(1.0)


def test_methods_beat_random_deletion(fit_model):
    from mlcore.matching.faithfulness import curves, relevant_test_pairs

    results = {r.method: r for r in curves(fit_model, relevant_test_pairs(3), ["contribution"])}
    assert results["contribution"].aopc > results["random"].aopc + 5
    assert results["contribution"].insertion_auc > results["random"].insertion_auc
