"""The blend fit version: whole texts read in windows, zero-shot MiniLM and the fine-tuned
encoder in one stored vector (mlcore/matching/whole_text.py, docs/fit.md)."""

from __future__ import annotations

import numpy as np
import pytest

from mlcore.matching import FitModel, ood
from mlcore.matching.artefacts import embed_texts
from mlcore.matching.evaluation import embedding_scorer, evaluate
from mlcore.matching.explain import contributions_many
from mlcore.matching.whole_text import blend, window_starts

SEED = 15  # the OOD sample and front-matter seed (conftest.OOD_SEED)
BLEND_VERSION = "fit-20261130-blend"


def test_blended_cosine_is_the_weighted_sum_of_both_cosines():
    rng = np.random.default_rng(0)
    unit = [v / np.linalg.norm(v) for v in rng.normal(size=(4, 384))]
    for w in (0.0, 0.3, 0.6, 1.0):
        job, resume = blend(unit[0], unit[1], w), blend(unit[2], unit[3], w)
        assert np.linalg.norm(job) == pytest.approx(1.0, abs=1e-6)
        expected = w * unit[0] @ unit[2] + (1 - w) * unit[1] @ unit[3]
        assert float(job @ resume) == pytest.approx(float(expected), abs=1e-6)


def test_windows_cover_the_text_and_stop_at_the_cap():
    assert window_starts(200, 254, 32, 8) == [0]
    assert window_starts(254, 254, 32, 8) == [0]
    # 600 word pieces: steps of 222, the last window ends at the text's end.
    assert window_starts(600, 254, 32, 8) == [0, 222, 346]
    assert window_starts(10_000, 254, 32, 2) == [0, 222]  # the rest is not read


@pytest.fixture(scope="module")
def blend_model() -> FitModel:
    # The exact runtime: these tests check the blend's arithmetic to 1e-5 (the int8 runtime
    # is compared with it in test_fit_runtime.py).
    return FitModel.load(BLEND_VERSION, runtime="torch")


@pytest.mark.slow
def test_blend_is_a_registered_blend_and_older_versions_still_load(blend_model):
    assert blend_model.kind == "blend" and blend_model.dim == 768
    tuned = FitModel.load(blend_model.meta["blend"]["fine_tuned"])
    assert tuned.kind == "fine-tuned" and tuned.dim == 384


@pytest.mark.slow
def test_short_text_gives_exactly_both_plain_embeddings(blend_model, zero_shot):
    """A text shorter than one window: the blend is [√w·zero-shot, √(1−w)·fine-tuned]."""
    text = "Registered nurse: patient care, triage, medication administration, charting."
    w = blend_model.w_plain
    (vec,) = blend_model.embed_resumes([text])
    prepared = blend_model.prepare_resume(text)
    plain = embed_texts(zero_shot[0], [prepared], 256)[0]
    tuned = embed_texts(blend_model.encoder, [prepared], 256)[0]
    np.testing.assert_allclose(vec[:384], np.sqrt(w) * plain, atol=1e-5)
    np.testing.assert_allclose(vec[384:], np.sqrt(1 - w) * tuned, atol=1e-5)


@pytest.mark.slow
def test_prepared_texts_and_explanations(blend_model, test_slice):
    _, resumes, jobs = test_slice
    raw = [r.text for r in resumes[:3]]
    stored = [blend_model.prepare_resume(t) for t in raw]  # what the app would store
    np.testing.assert_allclose(
        blend_model.embed_resumes(raw), blend_model.embed_resumes(stored, prepared=True)
    )
    # Word contributions explain the fine-tuned part (its first 256 word pieces).
    (sides,) = contributions_many(blend_model, next(iter(jobs.values())), raw[:1])
    assert sides["resume"].words and sides["job"].words
    read = [abs(x) for x in sides["resume"].weights if x is not None]  # None: not read
    assert max(read) == pytest.approx(1.0)


@pytest.mark.slow
def test_blend_not_worse_than_zero_shot_on_unseen_test_occupations(
    blend_model, zero_shot, test_slice, slice_eval_set
):
    _, resumes, jobs = test_slice
    eval_set = slice_eval_set(resumes, jobs, [r.text for r in resumes])
    zero = evaluate(zero_shot[1], eval_set)
    blended = evaluate(
        embedding_scorer(blend_model.embed_jobs, blend_model.embed_resumes), eval_set
    )
    assert blended["roc_auc"] >= zero["roc_auc"], (blended, zero)
    assert blended["mrr"] >= zero["mrr"] - 0.01, (blended, zero)


@pytest.mark.slow
def test_long_resumes_are_read_past_256_tokens(blend_model, zero_shot, test_slice, slice_eval_set):
    """The same resumes after 1,200+ characters of neutral front matter: a 256-token read
    sees only the front matter; the blend reads on."""
    spec, resumes, jobs = test_slice
    texts = [ood.long_resume(r, spec.preambles, SEED) for r in resumes]
    eval_set = slice_eval_set(resumes, jobs, texts)
    n_jobs = len(eval_set.jobs)
    random_mrr = float(np.mean(1.0 / np.arange(1, n_jobs + 1)))
    zero = evaluate(zero_shot[1], eval_set)
    blended = evaluate(
        embedding_scorer(blend_model.embed_jobs, blend_model.embed_resumes), eval_set
    )
    assert blended["mrr"] > zero["mrr"] + 0.1 and blended["mrr"] > 2 * random_mrr, (
        blended,
        zero,
    )
    assert blended["roc_auc"] > zero["roc_auc"] + 0.15, (blended, zero)
