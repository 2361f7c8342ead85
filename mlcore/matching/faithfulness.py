"""Are the explanations faithful? Deleting the words they rank highest must hurt the score
more than deleting as many random words, and inserting them first must bring it back faster.

* `deletion_test`: the quick check (tests): delete the top 10 % of the resume's words, or as
  many random ones, re-embed the rest as text, compare the score drops.
* `curves`: deletion and insertion curves for several methods on the same pairs, same run.
  The resume's read words are deleted (or, starting from none, inserted) in each method's
  order, best first, at `FRACTIONS` of the read words; the job is held fixed. Area over the
  deletion curve = mean score drop (0–100 scale) over the fractions; area under the insertion
  curve = mean score gain over the resume with no read words. Random orders are the baseline.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from mlcore.attribution import curve_masks

from .explain import (
    Attribution,
    _embed,
    _WordDeleter,
    contributions,
    explain,
    integrated_gradients,
    shap_words,
)
from .text import prepare_job

if TYPE_CHECKING:
    from .model import FitModel

FRACTIONS = (0.05, 0.1, 0.2, 0.3, 0.5)
RANDOM = "random"


@dataclass
class DeletionResult:
    method: str
    pairs: int
    top_drop: float  # mean score drop (0–100 scale) when the top words are deleted
    random_drop: float  # ... when as many random words are deleted (signed mean)
    random_change: float  # mean absolute score change from the random deletions
    ratio: float  # top_drop / random_change: conservative, random moves count either way


def _score(model: FitModel, job_vec: np.ndarray, words: list[str]) -> float:
    # The words are the blinded text's own words: re-embed them as they are.
    vec = model.embed_resumes([" ".join(words)], prepared=True)[0]
    return float(model.calibrate(np.array([vec @ job_vec]))[0])


def deletion_test(
    model: FitModel,
    pairs: list[tuple[str, str]],
    *,
    method: str = "contribution",
    fraction: float = 0.1,
    random_draws: int = 3,
    seed: int = 0,
) -> DeletionResult:
    rng = random.Random(seed)
    explain_pair = integrated_gradients if method == "integrated_gradients" else contributions
    top_drops, random_drops, random_changes = [], [], []
    for job_text, resume_text in pairs:
        attribution = explain_pair(model, job_text, resume_text)["resume"]
        words = attribution.words
        read = attribution.read
        weights = np.array(attribution.weights[:read], dtype=np.float64)
        k = max(3, int(read * fraction))
        job_vec = model.embed_jobs([job_text])[0]
        base = _score(model, job_vec, words)
        top = set(np.argsort(-weights)[:k].tolist())
        top_drops.append(
            base - _score(model, job_vec, [w for i, w in enumerate(words) if i not in top])
        )
        drops = []
        for _ in range(random_draws):
            chosen = set(rng.sample(range(read), k))
            drops.append(
                base - _score(model, job_vec, [w for i, w in enumerate(words) if i not in chosen])
            )
        random_drops.append(float(np.mean(drops)))
        random_changes.append(float(np.mean(np.abs(drops))))
    top_mean, random_mean = float(np.mean(top_drops)), float(np.mean(random_drops))
    change = float(np.mean(random_changes))
    ratio = top_mean / change if change > 1e-6 else float("inf")
    return DeletionResult(method, len(pairs), top_mean, random_mean, change, ratio)


@dataclass
class CurveResult:
    method: str
    pairs: int
    deletion: list[float] = field(default_factory=list)  # mean drop at each fraction
    insertion: list[float] = field(default_factory=list)  # mean gain at each fraction
    seconds: float = 0.0  # per explanation (resume and, where the method does it, job)

    @property
    def aopc(self) -> float:
        """Area over the deletion curve (mean drop over the fractions): higher is better."""
        return float(np.mean(self.deletion))

    @property
    def insertion_auc(self) -> float:
        """Area under the insertion curve (mean gain over the fractions): higher is better."""
        return float(np.mean(self.insertion))


def _explain(model: FitModel, method: str, job_text: str, resume_text: str) -> Attribution:
    """One method's resume attribution; "shap@N": SHAP with a budget of N evaluations (to
    compare budgets in one run)."""
    if method.startswith("shap@"):
        evals = int(method.split("@", 1)[1])
        return shap_words(model, job_text, resume_text, max_evals=evals, prepared=True)["resume"]
    return explain(model, method, job_text, resume_text, prepared=True)["resume"]


def curves(
    model: FitModel,
    pairs: list[tuple[str, str]],
    methods: list[str],
    *,
    fractions: tuple[float, ...] = FRACTIONS,
    random_draws: int = 3,
    seed: int = 0,
) -> list[CurveResult]:
    """Deletion and insertion curves for each method and for random orders, same pairs."""
    rng = np.random.default_rng(seed)
    results = {m: CurveResult(m, len(pairs)) for m in [*methods, RANDOM]}
    per_pair: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {m: [] for m in results}
    for job_text, resume_text in pairs:
        job_text, resume_text = model.prepare_job(job_text), model.prepare_resume(resume_text)
        job_vector = _embed(model.encoder, job_text, model.max_length)
        deleter = _WordDeleter(model, job_vector, resume_text)
        n = deleter.read
        full, empty = deleter(np.stack([np.ones(n), np.zeros(n)]))
        orders: dict[str, list[np.ndarray]] = {}
        for method in methods:
            started = time.perf_counter()
            attribution = _explain(model, method, job_text, resume_text)
            results[method].seconds += time.perf_counter() - started
            weights = np.array(attribution.weights[:n], dtype=np.float64)
            # Ties (words in one SHAP group, equal weights) in reading order: stable sort.
            orders[method] = [np.argsort(-weights, kind="stable")]
        orders[RANDOM] = [rng.permutation(n) for _ in range(random_draws)]
        for method, method_orders in orders.items():
            deletion, insertion = [], []
            for order in method_orders:
                scores = deleter(curve_masks(order, n, fractions))
                deletion.append(full - scores[0::2])
                insertion.append(scores[1::2] - empty)
            per_pair[method].append((np.mean(deletion, 0), np.mean(insertion, 0)))
    for method, rows in per_pair.items():
        result = results[method]
        result.deletion = np.mean([d for d, _ in rows], 0).tolist()
        result.insertion = np.mean([i for _, i in rows], 0).tolist()
        result.seconds /= max(1, len(pairs))
    return [results[m] for m in [*methods, RANDOM]]


def relevant_test_pairs(limit: int = 20) -> list[tuple[str, str]]:
    """Held-out (job, resume) pairs that fit: one per held-out resume, in a fixed order."""
    from . import datasets

    split = datasets.category_split()
    pairs = []
    for resume in split.test_resumes:
        jobs = [j for j in split.test_jobs if resume.category in j.categories]
        if jobs:
            pairs.append((prepare_job(jobs[0].text), resume.text))
    return pairs[:limit]
