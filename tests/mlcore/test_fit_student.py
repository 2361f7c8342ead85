"""The distilled student of the fit blend (mlcore/matching/student.py): its layers, that what
it saves is what it loads, that the shipped student loads offline and gives its teacher's
vectors on fixed texts, and that its int8 path really is ONNX Runtime."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from mlcore.matching import FitModel
from mlcore.matching.artefacts import load_fit_encoder
from mlcore.matching.evaluation import embedding_scorer, evaluate
from mlcore.matching.runtime import ONNX_INT8, TORCH, OnnxTwoStack
from mlcore.matching.student import (
    StudentRecipe,
    add_lora,
    apply_state,
    skeleton,
    trained_state,
)
from mlcore.matching.whole_text import TwoStackEncoder, window_vectors
from mlcore.registry import Registry

STUDENT = "fit-20261130-student"
TEACHER = "fit-20261130-adapter"
TEXTS = [
    "Senior Python developer. Built REST APIs with Django and PostgreSQL, deployed on AWS; "
    "led a team of four engineers and reviewed code daily.",
    "Registered nurse with eight years in intensive care: patient assessment, medication "
    "administration, wound care and family education.",
    "Truck driver, class A licence. Long-haul deliveries across the Midwest, vehicle "
    "inspections, logbooks and load securing.",
    "Accountant: monthly close, reconciliations, accounts payable and receivable, audits "
    "and tax filings in QuickBooks and Excel.",
]


@pytest.fixture(scope="module")
def tuned():
    path = Registry().get("fit", "fit-20261124-v1").path
    return load_fit_encoder(path, device=torch.device("cpu"))


@pytest.mark.slow
def test_the_student_is_the_teachers_shape_with_fewer_layers(tuned):
    recipe = StudentRecipe(shared=(0, 2), plain_top=(5,), tuned_top=(4,), frozen=1)
    two = skeleton(tuned, recipe)
    assert isinstance(two, TwoStackEncoder)
    assert two.first == 2 and len(two.tuned.base.encoder.layer) == 3 and len(two.plain_top) == 1
    assert recipe.layer_passes == 4
    # Started from the teacher's layers: shared layer 1 is MiniLM's layer 2, the tuned top
    # the fine-tuned layer 4, and the head is the fine-tuned head.
    pairs = [
        (two.tuned.base.encoder.layer[1], tuned.base.encoder.layer[2]),
        (two.tuned.base.encoder.layer[2], tuned.base.encoder.layer[4]),
        (two.tuned.head, tuned.head),
    ]
    for mine, theirs in pairs:
        for a, b in zip(mine.parameters(), theirs.parameters(), strict=True):
            assert torch.equal(a, b)
    # The teacher is untouched by building a student (copies, not shared modules).
    assert len(tuned.base.encoder.layer) == 6


@pytest.mark.slow
def test_what_the_student_saves_is_what_it_loads(tuned):
    """Random low-rank updates stand in for training: the saved form (fp16 A and B, fp32
    rest) added to a fresh skeleton gives the wrapped model's vectors."""
    recipe = StudentRecipe(shared=(0, 1, 3), frozen=2, rank=4, alpha=8.0)
    two = skeleton(tuned, recipe)
    names = add_lora(two, recipe)
    assert names and all(".encoder.layer.0." not in n and ".layer.1." not in n for n in names)
    trainable = {n for n, p in two.named_parameters() if p.requires_grad}
    assert not any("embeddings" in n for n in trainable)
    assert "tuned.head.weight" in trainable
    generator = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for p in two.parameters():
            if p.requires_grad:
                p.add_(0.02 * torch.randn(p.shape, generator=generator))
    two.eval()
    ids = torch.tensor([[101, 7592, 2088, 2003, 1037, 3231, 102]])
    mask = torch.ones_like(ids)
    with torch.no_grad():
        wanted = two(ids, mask)
    state = trained_state(two, names)
    assert all(v.dtype == torch.float16 for k, v in state.items() if ".lora_" in k)
    loaded = apply_state(skeleton(tuned, recipe), state).eval()
    with torch.no_grad():
        got = loaded(ids, mask)
    for w, g in zip(wanted, got, strict=True):
        assert float((w * g).sum()) > 0.9999
        assert not torch.equal(g, skeleton(tuned, recipe)(ids, mask)[0])  # it did change


@pytest.fixture(scope="module")
def student(fit_cache) -> FitModel:
    return FitModel.load(STUDENT, runtime=TORCH)


@pytest.fixture(scope="module")
def teacher(fit_cache) -> FitModel:
    return FitModel.load(TEACHER, runtime=TORCH)


@pytest.mark.slow
def test_the_shipped_student_loads_offline_with_its_teachers_parts(student, teacher):
    meta = student.meta
    assert meta["student"]["teacher"] == TEACHER and student.kind == "blend"
    two = student.two_stack
    assert isinstance(two, TwoStackEncoder)
    recipe = StudentRecipe.from_json_dict(meta["student"]["recipe"])
    passes = len(two.tuned.base.encoder.layer) + len(two.plain_top)
    assert passes == recipe.layer_passes < 8
    # The same blend: reading, weights, calibration, adapter and occupation space.
    assert student.reading == teacher.reading and student.dim == teacher.dim
    assert meta["calibration"] == teacher.meta["calibration"]
    assert np.array_equal(student.adapter, teacher.adapter)
    assert student.space is not None and student.space.codes == teacher.space.codes
    # Small enough to ship: the student's own file is the low-rank form.
    path = Registry().get("fit", STUDENT).path
    assert (path / "student.safetensors").stat().st_size < 3_000_000


@pytest.mark.slow
def test_student_window_vectors_follow_the_teachers(student, teacher):
    texts = [student.prepare_resume(t) for t in TEXTS]
    mine = window_vectors(student.two_stack, texts, max_windows=1)
    theirs = window_vectors(teacher.two_stack, texts, max_windows=1)
    for (p, t), (tp, tt) in zip(mine, theirs, strict=True):
        assert p.shape == tp.shape and t.shape == tt.shape
        # Held-out windows at training's end: mean 0.947 (plain) and 0.943 (tuned); the
        # untrained student (the same layers, no distillation) gave 0.78 and 0.76.
        assert float((p * tp).sum()) > 0.85
        assert float((t * tt).sum()) > 0.85
    stored = student.embed_resumes(TEXTS)
    wanted = teacher.embed_resumes(TEXTS)
    assert stored.shape == wanted.shape == (len(TEXTS), teacher.dim)
    assert np.all((stored * wanted).sum(1) > 0.85)
    print("stored vectors' cosine with the teacher's:", (stored * wanted).sum(1))
    # And not just any encoder's: each text is closer to its own teacher vector than to
    # another text's.
    closeness = stored @ wanted.T
    assert np.all(closeness.argmax(1) == np.arange(len(TEXTS)))


@pytest.mark.slow
def test_student_int8_path_is_onnx_runtime(student, fit_cache):
    import onnx

    int8 = FitModel.load(STUDENT, runtime=ONNX_INT8)
    stacks = int8.stacks()
    assert isinstance(stacks, OnnxTwoStack)
    assert stacks.path.parent == fit_cache / STUDENT
    graph = onnx.load(str(stacks.path)).graph
    kinds = [node.op_type for node in graph.node]
    two = student.two_stack
    assert kinds.count("QAttention") == len(two.tuned.base.encoder.layer) + len(two.plain_top)
    calls = []
    run = stacks.session.run
    stacks.session.run = lambda *a, **k: calls.append(1) or run(*a, **k)
    got = int8.embed_resumes(TEXTS)
    assert calls, "the int8 student did not go through ONNX Runtime"
    exact = student.embed_resumes(TEXTS)
    cosine = (got * exact).sum(1)
    assert np.all(cosine > 0.95) and not np.allclose(got, exact, atol=1e-6)


@pytest.mark.slow
def test_student_ranks_a_fixed_ood_slice_like_its_teacher(
    student, teacher, test_slice, slice_eval_set
):
    """30 LiveCareer resumes of the OOD test part × their occupations (never trained on)."""
    _, resumes, jobs = test_slice
    eval_set = slice_eval_set(resumes, jobs, [r.text for r in resumes])
    found = {}
    for name, model in (("student", student), ("teacher", teacher)):
        scorer = embedding_scorer(model.embed_jobs, model.embed_resumes)
        found[name] = evaluate(scorer, eval_set)
    assert found["student"]["roc_auc"] >= found["teacher"]["roc_auc"] - 0.02
    print(json.dumps(found))
