"""The fit runtime switch (mlcore/matching/runtime.py): the active version's int8 ONNX stacks
against its PyTorch ones on real texts, the cache they are built into, and the switch."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from mlcore.matching import FitModel
from mlcore.matching import model as model_module
from mlcore.matching.evaluation import embedding_scorer, evaluate
from mlcore.matching.runtime import (
    DEFAULT_RUNTIME,
    ONNX_INT8,
    RUNTIME_ENV,
    TORCH,
    OnnxTwoStack,
    UnknownRuntime,
    _used_width,
    fit_runtime,
    onnx_two_stack,
    session_options,
)
from mlcore.matching.whole_text import TwoStackEncoder


def test_the_switch_reads_the_environment(monkeypatch):
    monkeypatch.delenv(RUNTIME_ENV, raising=False)
    assert fit_runtime() == DEFAULT_RUNTIME == ONNX_INT8
    monkeypatch.setenv(RUNTIME_ENV, " Torch ")
    assert fit_runtime() == TORCH
    monkeypatch.setenv(RUNTIME_ENV, "onnx-int8")
    assert fit_runtime() == ONNX_INT8
    monkeypatch.setenv(RUNTIME_ENV, "tensorrt")
    with pytest.raises(UnknownRuntime, match="tensorrt"):
        fit_runtime()


@pytest.fixture(scope="module")
def torch_model(fit_cache) -> FitModel:
    return FitModel.load(runtime=TORCH)


@pytest.fixture(scope="module")
def int8_model(fit_cache) -> FitModel:
    model = FitModel.load(runtime=ONNX_INT8)
    model.stacks()  # built into the empty cache folder now
    return model


@pytest.mark.slow
def test_each_runtime_embeds_with_its_own_stacks_built_once_into_the_cache(
    fit_cache, torch_model, int8_model
):
    assert torch_model.kind == int8_model.kind == "blend"  # the active version
    assert isinstance(torch_model.stacks(), TwoStackEncoder)
    stacks = int8_model.stacks()
    assert isinstance(stacks, OnnxTwoStack)
    built = list(fit_cache.glob(f"{int8_model.version}/*.onnx"))
    assert built == [stacks.path]
    stamp = stacks.path.stat().st_mtime_ns
    # Another process (the same weights) reads the same file: nothing is built again.
    again = onnx_two_stack(torch_model.two_stack, torch_model.version)
    assert again.path == stacks.path and stacks.path.stat().st_mtime_ns == stamp


@pytest.mark.slow
def test_int8_scores_stay_close_to_torch_on_real_texts(torch_model, int8_model, test_slice):
    """30 LiveCareer resumes of the OOD test part × their occupations (title + short
    description): the same texts, vectors and 0–100 scores in both runtimes."""
    _, resumes, jobs = test_slice
    resume_texts = [r.text for r in resumes]
    job_texts = list(jobs.values())
    vectors = {}
    for name, model in ((TORCH, torch_model), (ONNX_INT8, int8_model)):
        vectors[name] = model.embed_jobs(job_texts), model.embed_resumes(resume_texts)
    for side in (0, 1):
        agreement = np.sum(vectors[TORCH][side] * vectors[ONNX_INT8][side], axis=1)
        assert agreement.min() > 0.95
    scores = {
        name: torch_model.calibrate(jobs_ @ resumes_.T)
        for name, (jobs_, resumes_) in vectors.items()
    }
    moved = np.abs(scores[ONNX_INT8] - scores[TORCH])
    assert moved.mean() < 1.0 and moved.max() < 10.0
    # A job embedded by int8 against resumes that torch stored before the switch.
    mixed = torch_model.calibrate(vectors[ONNX_INT8][0] @ vectors[TORCH][1].T)
    assert np.abs(mixed - scores[TORCH]).mean() < 1.0


@pytest.mark.slow
def test_get_fit_model_follows_the_switch(monkeypatch, int8_model):
    monkeypatch.setattr(model_module, "_CACHE", {})
    monkeypatch.setenv(RUNTIME_ENV, TORCH)
    in_torch = model_module.get_fit_model()
    monkeypatch.setenv(RUNTIME_ENV, ONNX_INT8)
    in_int8 = model_module.get_fit_model()
    assert (in_torch.runtime, in_int8.runtime) == (TORCH, ONNX_INT8)
    assert not in_torch.uses_onnx and in_int8.uses_onnx
    assert in_int8._onnx_stacks is not None  # opened when loaded: warm workers start ready
    monkeypatch.setenv(RUNTIME_ENV, "fp16")
    with pytest.raises(UnknownRuntime):
        model_module.get_fit_model()


@pytest.mark.slow
def test_ranking_quality_holds_in_int8(torch_model, int8_model, test_slice, slice_eval_set):
    _, resumes, jobs = test_slice
    eval_set = slice_eval_set(resumes, jobs, [r.text for r in resumes])
    found = {
        name: evaluate(embedding_scorer(m.embed_jobs, m.embed_resumes), eval_set)
        for name, m in ((TORCH, torch_model), (ONNX_INT8, int8_model))
    }
    assert found[ONNX_INT8]["roc_auc"] >= found[TORCH]["roc_auc"] - 0.01
    assert found[ONNX_INT8]["mrr"] >= found[TORCH]["mrr"] - 0.03


@pytest.mark.slow
def test_the_models_command_builds_the_runtime_ahead_of_first_use(int8_model):
    from mlcore.cli import main

    out = io.StringIO()
    assert main(["models", "build-runtime"], out) == 0
    row = json.loads(out.getvalue())
    assert row["version"] == int8_model.version and row["runtime"] == ONNX_INT8
    assert row["path"] == str(int8_model.stacks().path)  # the cached file, not a new one


@pytest.mark.slow
def test_int8_vectors_come_from_onnx_runtime_not_a_silent_torch_fallback(
    monkeypatch, torch_model, int8_model, test_slice
):
    """The parity tests above would pass if the int8 path quietly ran torch: here the ONNX
    session must run for every batch, and its vectors must differ from torch's (int8 weights
    move each one a little) while staying close."""
    _, resumes, _ = test_slice
    texts = [r.text for r in resumes[:4]]
    stacks = int8_model.stacks()
    calls: list[int] = []
    real_run = stacks.session.run

    def counted(*args, **kwargs):
        calls.append(len(args[1]["input_ids"]))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(stacks.session, "run", counted)
    in_int8 = int8_model.embed_resumes(texts)
    in_torch = torch_model.embed_resumes(texts)
    assert calls and sum(calls) >= len(texts)  # every window went through the session
    assert np.abs(in_int8 - in_torch).max() > 1e-4
    assert np.sum(in_int8 * in_torch, axis=1).min() > 0.95


def test_a_window_runs_cut_to_its_last_unmasked_token():
    assert _used_width(np.array([1, 1, 1, 0, 0])) == 3
    assert _used_width(np.array([1, 1, 1, 1])) == 4
    assert _used_width(np.array([0, 0])) == 1  # never a run of width zero


@pytest.mark.slow
def test_an_int8_vector_does_not_depend_on_the_other_texts_of_its_batch(int8_model, test_slice):
    """Each window runs alone, cut to its own length: a resume embedded with others (longer
    ones padding its batch, their activations setting the int8 scales) gets exactly the
    vector it gets alone (up to float rounding in NumPy's pooling; batched windows moved
    the vectors by up to 0.02), so a stored vector does not depend on what shared its batch."""
    _, resumes, _ = test_slice
    texts = [r.text for r in resumes[:6]] + ["Nurse. Ward care, medication rounds."]
    together = int8_model.embed_resumes(texts)
    alone = np.stack([int8_model.embed_resumes([text])[0] for text in texts])
    np.testing.assert_allclose(together, alone, rtol=0, atol=1e-5)


@pytest.mark.slow
def test_int8_session_runs_the_faster_kernels(int8_model, tmp_path):
    """ONNX Runtime's fused SkipLayerNormalization was the slow kernel on one thread: neither
    the built file nor the session's own optimiser may bring it back; GELU is FastGelu."""
    stacks = int8_model.stacks()
    options = session_options()
    options.enable_profiling = True
    options.profile_file_prefix = str(tmp_path / "profile")
    profiled = OnnxTwoStack.open(stacks.path, stacks.dims, options)
    ids = np.array([[101, *range(2000, 2040), 102]], dtype=np.int64)
    profiled(ids, np.ones_like(ids))
    events = json.loads(Path(profiled.session.end_profiling()).read_text())
    ran = Counter(
        e["args"]["op_name"]
        for e in events
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time")
    )
    two = int8_model.two_stack
    layers = len(two.tuned.base.encoder.layer) + len(two.plain_top)  # 8: shared, both tops
    assert ran["QAttention"] == layers and ran["SkipLayerNormalization"] == 0
    assert ran["LayerNormalization"] == 2 * layers
    assert ran["FastGelu"] == layers and ran["BiasGelu"] == 0  # GELU's tanh form
