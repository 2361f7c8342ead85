"""The shipped fit model: held-out quality against baselines, the service contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mlcore.matching import FitModel
from mlcore.matching.artefacts import embed_texts, zero_shot_encoder
from mlcore.matching.evaluation import bm25_scorer, embedding_scorer, evaluate, held_out_sets
from mlcore.matching.text import prepare_job, prepare_resume

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def fit_model():
    return FitModel.load()


@pytest.fixture(scope="session")
def tuned_model(fit_model):
    """The fine-tuned encoder's own version: word contributions explain it (in a blend, its
    share of the score)."""
    if fit_model.kind == "blend":
        return FitModel.load(fit_model.meta["blend"]["fine_tuned"])
    return fit_model


@pytest.fixture(scope="session")
def held_out():
    return {s.name.split()[0]: s for s in held_out_sets()}


def test_fine_tuned_beats_bm25_and_zero_shot_on_many_resumes(fit_model, held_out):
    """Held-out jobs ranking held-out resumes of 25 categories: every metric must improve."""
    eval_set = held_out["category"]
    zero = zero_shot_encoder()
    zero_shot = embedding_scorer(
        lambda t: embed_texts(zero, [prepare_job(x) for x in t], fit_model.max_length),
        lambda t: embed_texts(zero, [prepare_resume(x) for x in t], fit_model.max_length),
    )
    tuned = evaluate(embedding_scorer(fit_model.embed_jobs, fit_model.embed_resumes), eval_set)
    for name, baseline in (("BM25", bm25_scorer), ("zero-shot", zero_shot)):
        base = evaluate(baseline, eval_set)
        for metric in ("roc_auc", "ndcg@10", "mrr"):
            assert tuned[metric] > base[metric], (name, metric, tuned, base)
    assert tuned["roc_auc"] >= 0.75


def test_matching_set_auc_beats_zero_shot(fit_model, held_out):
    eval_set = held_out["matching"]
    tuned = evaluate(embedding_scorer(fit_model.embed_jobs, fit_model.embed_resumes), eval_set)
    zero = zero_shot_encoder()
    zero_shot = evaluate(
        embedding_scorer(
            lambda t: embed_texts(zero, [prepare_job(x) for x in t], fit_model.max_length),
            lambda t: embed_texts(zero, [prepare_resume(x) for x in t], fit_model.max_length),
        ),
        eval_set,
    )
    assert tuned["roc_auc"] > zero_shot["roc_auc"]


def test_score_gives_calibrated_scores_and_skills(fit_model):
    job = "Senior Python developer: Django, PostgreSQL, REST APIs, Docker."
    resumes = [
        "Backend engineer, 6 years of Python and Django, PostgreSQL, Docker, REST APIs.",
        "Pastry chef with 10 years in French restaurants; bread, cakes, chocolate.",
    ]
    results = fit_model.score(job, resumes)
    assert [r.model_version for r in results] == [fit_model.version] * 2
    assert all(0 <= r.score <= 100 for r in results)
    assert results[0].score > results[1].score + 20
    assert "Python" in results[0].matched_skills and "Python" in results[1].missing_skills


def test_stored_embeddings_rank_like_direct_scoring(fit_model):
    """Ranking thousands from stored vectors must agree with scoring texts directly."""
    from mlcore.matching.calibration import FitCalibration

    job = "Registered nurse for an intensive care unit"
    resumes = ["ICU nurse, 8 years, critical care certified", "Java developer, Spring, Kafka"]
    direct = [r.score for r in fit_model.score(job, resumes)]
    calibration = FitCalibration.active()
    stored = calibration.scores(fit_model.embed_jobs([job])[0], fit_model.embed_resumes(resumes))
    np.testing.assert_allclose(direct, stored, atol=0.01)


def _run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlcore", *args],
        input=stdin,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_fit_pairs_keeps_order_and_reports_bad_lines():
    lines = [
        {"job_text": "Python developer, Django", "resume_text": "Django and Python for 5 years"},
        "not json",
        {"job_text": "Python developer, Django", "resume_text": ""},
        {"job_text": "Nurse", "resume_text": "Registered nurse, ICU"},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    proc = _run(["fit-pairs"], stdin)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 4
    assert 0 <= out[0]["score"] <= 100 and out[0]["model_version"]
    assert out[1]["score"] is None and out[1]["line"] == 2 and "line 2" in out[1]["error"]
    assert out[2]["score"] is None and "resume_text" in out[2]["error"]
    assert 0 <= out[3]["score"] <= 100


def test_fit_command_scores_files(data_dir):
    job = data_dir / "resume_files" / "jd_pdf" / "job_desc_front_end_engineer.pdf"
    resumes = [
        data_dir / "resume_files" / "pdf" / "barry_allen_fe.pdf",
        data_dir / "resume_files" / "pdf" / "alfred_pennyworth_pm.pdf",
        data_dir / "resume_files" / "pdf" / "missing.pdf",
    ]
    proc = _run(["fit", "--job", str(job), *map(str, resumes)])
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [Path(o["file"]).name for o in out] == [p.name for p in resumes]
    front_end, product, missing = out
    assert set(front_end) >= {"file", "score", "model_version", "matched_skills", "missing_skills"}
    assert front_end["score"] > product["score"]  # a front-end developer for a front-end job
    assert "JavaScript" in front_end["matched_skills"]
    assert missing["score"] is None and missing["error"] == "no such file"


def test_explanations_are_faithful(fit_model):
    """Deleting the top-attributed resume words lowers the score far more than deleting
    as many random words (goal: at least 2x)."""
    from mlcore.matching.faithfulness import deletion_test, relevant_test_pairs

    result = deletion_test(fit_model, relevant_test_pairs(6), random_draws=2)
    assert result.top_drop > 0
    assert result.ratio >= 2.0, result


def test_contributions_explain_the_score_direction(fit_model):
    from mlcore.matching.explain import contributions

    sides = contributions(
        fit_model,
        "Senior Java developer: Spring Boot, Hibernate, microservices.",
        "Java developer with Spring Boot and Hibernate. Enjoys hiking and cooking.",
    )
    resume = dict(zip(sides["resume"].words, sides["resume"].weights, strict=True))
    assert max(abs(w) for w in resume.values()) == pytest.approx(1.0)
    assert resume["Java"] > resume["hiking"]  # the text's own words, in its casing


def test_contribution_terms_add_up_to_the_cosine(tuned_model):
    """Each side's per-token terms plus the head's bias term are the model's cosine."""
    fit_model = tuned_model
    import torch

    from mlcore.matching.explain import _sides
    from mlcore.matching.text import prepare_job, prepare_resume

    job_text = prepare_job("Data engineer: Spark, Airflow, SQL, Python.")
    resume_text = prepare_resume("Built Airflow pipelines in Python and Spark; SQL tuning.")
    job, resume = _sides(fit_model.encoder, [job_text, resume_text], fit_model.max_length)
    cosine = float(job.vector @ resume.vector)
    embedded = fit_model.embed_jobs([job_text])[0] @ fit_model.embed_resumes([resume_text])[0]
    assert cosine == pytest.approx(float(embedded), abs=1e-4)  # the same model, read once
    n = len(resume.offsets)
    terms = (resume.projected / n) @ job.vector / resume.pooled.norm()
    with torch.no_grad():
        bias = fit_model.encoder.head.bias @ job.vector / resume.pooled.norm()
    assert float(terms.sum() + bias) == pytest.approx(cosine, abs=1e-5)
    assert torch.all(torch.isfinite(terms))


def test_contributions_for_many_resumes_equal_one_at_a_time(fit_model):
    from mlcore.matching.explain import contributions, contributions_many

    job = "Senior Java developer: Spring Boot, Hibernate, microservices."
    resumes = [
        "Java developer with Spring Boot and Hibernate.",
        "Nurse with ten years in intensive care, triage and patient education. " * 8,
        "Accountant: ledgers, audits, tax returns.",
    ]
    together = contributions_many(fit_model, job, resumes)
    for text, many in zip(resumes, together, strict=True):
        one = contributions(fit_model, job, text)
        for side in ("resume", "job"):
            assert many[side].words == one[side].words
            assert many[side].weights == pytest.approx(one[side].weights, abs=1e-4)
