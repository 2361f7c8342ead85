"""The O*NET resume adapter (mlcore/matching/adapter.py): its training data, that a left-out
occupation leaves no trace in training, and that training moves resumes to their own
occupation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mlcore.matching import FitModel
from mlcore.matching.adapter import (
    AdapterData,
    AdapterRecipe,
    adapt,
    load_adapter,
    onet_job_texts,
    pseudo_resumes,
    save_adapter,
    train_adapter,
)
from mlcore.matching.evaluation import embedding_scorer, evaluate
from mlcore.matching.occupations import profiles

SMALL = AdapterRecipe(steps=60, batch_size=64)


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _data(seed: int = 0, n_codes: int = 40, per_code: int = 6) -> AdapterData:
    """Jobs in 384-d; each resume is its job's vector under one fixed linear distortion plus
    noise: a map exists that undoes most of it."""
    rng = np.random.default_rng(seed)
    jobs = _unit(rng.normal(size=(n_codes, 384)))
    distortion = np.eye(384) + 10.0 * rng.normal(size=(384, 384)) / np.sqrt(384)
    owners = np.repeat(np.arange(n_codes), per_code)
    noise = 3.0 * rng.normal(size=(len(owners), 384)) / np.sqrt(384)
    resumes = _unit(jobs[owners] @ distortion + noise)
    codes = tuple(f"{11 + 2 * (i % 3)}-{1000 + i}.00" for i in range(n_codes))
    return AdapterData(resumes, tuple((int(o),) for o in owners), jobs, codes)


def _mrr(resumes: np.ndarray, jobs: np.ndarray, owners: list[int]) -> float:
    scores = resumes @ jobs.T
    own = scores[np.arange(len(owners)), owners]
    return float(np.mean(1.0 / (1 + (scores > own[:, None]).sum(1))))


def test_pseudo_resumes_cover_every_occupation_deterministically(data_dir: Path) -> None:
    onet = data_dir / "onet"
    first = pseudo_resumes(onet, per_occupation=2, seed=7)
    assert first == pseudo_resumes(onet, per_occupation=2, seed=7)
    codes = {code for code, _ in first}
    assert len(codes) == 1016 and len(first) == 2 * 1016
    nurse = [text for code, text in first if code == "29-1141.00"]  # Registered Nurses
    assert "Professional Experience" in nurse[0] and "\n- " in nurse[0]
    assert "Summary" in nurse[1]  # the last of each occupation is a short one


def test_every_occupation_has_a_training_format_job_text() -> None:
    jobs = onet_job_texts()
    assert len(jobs) == 1016
    assert jobs["29-1141.00"].startswith("Registered Nurses\n\n")


def test_training_moves_unseen_resumes_towards_their_own_occupation() -> None:
    data = _data()
    owners = [p[0] for p in data.positives]
    train = [i % 2 == 0 for i in range(len(owners))]
    seen = AdapterData(
        data.resumes[train],
        tuple(p for p, t in zip(data.positives, train, strict=True) if t),
        data.jobs,
        data.codes,
    )
    unseen = [not t for t in train]
    held_out = [o for o, u in zip(owners, unseen, strict=True) if u]
    before = _mrr(data.resumes[unseen], data.jobs, held_out)
    after = _mrr(adapt(data.resumes[unseen], train_adapter(seen, SMALL)), data.jobs, held_out)
    assert after > before + 0.1, (before, after)


def test_a_left_out_occupation_leaves_no_trace() -> None:
    """Training without codes is the same whatever the left-out occupations' resumes and job
    texts are: they are neither positives nor negatives."""
    data = _data()
    left_out = {c for c in data.codes if c.startswith("13-")}
    rows = np.array([data.codes[p[0]] in left_out for p in data.positives])
    cols = np.array([c in left_out for c in data.codes])
    rng = np.random.default_rng(5)
    changed = AdapterData(
        np.where(rows[:, None], _unit(rng.normal(size=data.resumes.shape)), data.resumes),
        data.positives,
        np.where(cols[:, None], _unit(rng.normal(size=data.jobs.shape)), data.jobs),
        data.codes,
    )
    np.testing.assert_array_equal(
        train_adapter(data, SMALL, exclude=left_out),
        train_adapter(changed, SMALL, exclude=left_out),
    )
    assert not np.array_equal(train_adapter(data, SMALL), train_adapter(changed, SMALL))


def test_adapter_round_trip(tmp_path: Path) -> None:
    weight = np.eye(384, dtype=np.float32) * 2
    assert load_adapter(tmp_path) is None
    save_adapter(tmp_path, weight)
    np.testing.assert_array_equal(load_adapter(tmp_path), weight)
    rows = adapt(np.ones((2, 384), dtype=np.float32), weight)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)


@pytest.mark.parametrize("steps", [0])
def test_no_steps_is_the_identity(steps: int) -> None:
    data = _data()
    weight = train_adapter(data, AdapterRecipe(steps=steps))
    np.testing.assert_array_equal(weight, np.eye(384, dtype=np.float32))


VERSION = "fit-20261130-adapter"


@pytest.fixture(scope="module")
def adapted() -> FitModel:
    return FitModel.load(VERSION, runtime="torch")


@pytest.mark.slow
def test_the_version_stores_the_adapted_part_between_tuned_and_profiles(adapted):
    """Stored resume · job = the weighted sum of the four parts' cosines, the adapted one
    being W·(the resume's MiniLM vector) against the job's own MiniLM vector."""
    assert adapted.w_adapted > 0 and adapted.adapter is not None
    jobs = ["Registered Nurses\n\nAssess patient health problems and needs, administer care."]
    resumes = ["Staff nurse, 6 years. Medication administration, triage, patient education."]
    job_plain, job_tuned = adapted.pooled(
        [adapted.prepare_job(t) for t in jobs], adapted.reading.job_windows
    )
    res_plain, res_tuned = adapted.pooled(
        [adapted.prepare_resume(t) for t in resumes], adapted.reading.resume_windows
    )
    job = adapted.embed_jobs(jobs)
    resume = adapted.embed_resumes(resumes)
    assert job.shape == resume.shape == (1, adapted.dim)
    prototypes = adapted.space.prototypes(adapted.profile_reading)
    temperature = adapted.profile_reading.temperature
    expected = (
        adapted.w_plain * float(job_plain[0] @ res_plain[0])
        + adapted.w_tuned * float(job_tuned[0] @ res_tuned[0])
        + adapted.w_adapted * float(job_plain[0] @ adapt(res_plain, adapted.adapter)[0])
        + adapted.w_occupations
        * float(
            profiles(job_plain, prototypes, temperature)[0]
            @ profiles(res_plain, prototypes, temperature)[0]
        )
    )
    assert float(job[0] @ resume[0]) == pytest.approx(expected, abs=1e-4)
    (top,) = adapted.occupations_of(resume, k=3)
    assert "29-1141.00" in [o["code"] for o in top]  # Registered Nurses


@pytest.mark.slow
def test_the_adapted_version_is_not_worse_than_zero_shot(
    adapted, zero_shot, test_slice, slice_eval_set
):
    _, resumes, jobs = test_slice
    eval_set = slice_eval_set(resumes, jobs, [r.text for r in resumes])
    zero = evaluate(zero_shot[1], eval_set)
    found = evaluate(embedding_scorer(adapted.embed_jobs, adapted.embed_resumes), eval_set)
    assert found["mrr"] >= zero["mrr"], (found, zero)
    assert found["roc_auc"] >= zero["roc_auc"], (found, zero)
