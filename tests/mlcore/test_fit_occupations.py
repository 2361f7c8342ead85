"""The occupation blend: zero-shot MiniLM, the fine-tuned encoder and O*NET occupation
profiles in one stored vector (mlcore/matching/occupations.py, docs/fit.md)."""

from __future__ import annotations

import numpy as np
import pytest

from mlcore.matching import FitModel
from mlcore.matching.evaluation import embedding_scorer, evaluate
from mlcore.matching.occupations import OccupationSpace, profiles, top_occupations
from mlcore.matching.whole_text import compose

VERSION = "fit-20261130-onet"


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def test_composed_dot_product_is_the_weighted_sum_and_zero_weights_cost_nothing():
    rng = np.random.default_rng(0)
    a, b = _unit(rng.normal(size=(3, 384))), _unit(rng.normal(size=(3, 384)))
    weights = (0.0, 0.8, 0.2)
    job = compose([(w, v) for w, v in zip(weights, a, strict=True)])
    resume = compose([(w, v) for w, v in zip(weights, b, strict=True)])
    assert job.shape == (768,)  # the weight-0 part is left out
    assert np.linalg.norm(job) == pytest.approx(1.0, abs=1e-6)
    expected = sum(w * float(x @ y) for w, x, y in zip(weights, a, b, strict=True))
    assert float(job @ resume) == pytest.approx(expected, abs=1e-6)


def test_profiles_are_unit_vectors_whose_overlap_is_one_for_the_same_text():
    rng = np.random.default_rng(1)
    prototypes = _unit(rng.normal(size=(20, 384))).astype(np.float32)
    texts = _unit(rng.normal(size=(4, 384))).astype(np.float32)
    found = profiles(texts, prototypes, temperature=50.0)
    np.testing.assert_allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-5)
    overlap = found @ found.T
    np.testing.assert_allclose(np.diag(overlap), 1.0, atol=1e-5)
    assert (overlap <= 1.0 + 1e-5).all() and (overlap >= 0).all()
    # A text right on a prototype reads as that occupation first.
    on_second = profiles(prototypes[1:2], prototypes, temperature=50.0)[0]
    space = OccupationSpace(
        tuple(f"00-{i:04d}.00" for i in range(20)),
        tuple(f"Occupation {i}" for i in range(20)),
        prototypes,
        prototypes,
    )
    assert top_occupations(on_second, space, k=1)[0]["code"] == "00-0001.00"


def test_space_round_trip_and_leave_out(tmp_path):
    rng = np.random.default_rng(2)
    space = OccupationSpace(
        ("11-1011.00", "29-1141.00", "29-2061.00"),
        ("Chief Executives", "Registered Nurses", "Licensed Practical Nurses"),
        _unit(rng.normal(size=(3, 384))).astype(np.float32),
        _unit(rng.normal(size=(3, 384))).astype(np.float32),
    )
    space.save(tmp_path)
    loaded = OccupationSpace.load(tmp_path)
    assert loaded.codes == space.codes and loaded.titles == space.titles
    np.testing.assert_allclose(loaded.descriptions, space.descriptions, atol=1e-3)  # float16
    without = loaded.without({"29-1141.00", "29-2061.00"})
    assert without.codes == ("11-1011.00",) and without.descriptions.shape == (1, 384)
    assert "O*NET 29.2 Database" in (tmp_path / "occupations.json").read_text()


@pytest.fixture(scope="module")
def model() -> FitModel:
    return FitModel.load(VERSION)


@pytest.mark.slow
def test_the_version_loads_with_its_parts_and_reads_the_occupation(model):
    assert model.kind == "blend" and model.w_occupations > 0
    assert model.space is not None and len(model.space.codes) == 1016
    parts = (384 if model.w_plain else 0) + (384 if model.w_tuned else 0) + 1016
    assert model.dim == parts
    text = "Registered nurse. Patient care on a medical-surgical unit, triage, medication."
    vectors = model.embed_resumes([text])
    assert vectors.shape == (1, parts)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    (top,) = model.occupations_of(vectors, k=3)
    assert "29-1141.00" in [o["code"] for o in top]  # Registered Nurses
    stored = model.prepare_resume(text)
    np.testing.assert_allclose(vectors, model.embed_resumes([stored], prepared=True))


@pytest.mark.slow
def test_not_worse_than_zero_shot_on_unseen_test_occupations(
    model, zero_shot, test_slice, slice_eval_set
):
    _, resumes, jobs = test_slice
    eval_set = slice_eval_set(resumes, jobs, [r.text for r in resumes])
    zero = evaluate(zero_shot[1], eval_set)
    found = evaluate(embedding_scorer(model.embed_jobs, model.embed_resumes), eval_set)
    assert found["mrr"] >= zero["mrr"], (found, zero)
    assert found["roc_auc"] >= zero["roc_auc"], (found, zero)
