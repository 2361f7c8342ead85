"""Are the explanations faithful? Deleting the words they rank highest must hurt the score
more than deleting as many random words."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from .explain import contributions, integrated_gradients
from .text import prepare_job


@dataclass
class DeletionResult:
    method: str
    pairs: int
    top_drop: float  # mean score drop (0–100 scale) when the top words are deleted
    random_drop: float  # ... when as many random words are deleted (signed mean)
    random_change: float  # mean absolute score change from the random deletions
    ratio: float  # top_drop / random_change: conservative, random moves count either way


def _score(model, job_vec: np.ndarray, words: list[str]) -> float:
    # The words are the model's own view of the blinded text: re-embed them as they are.
    vec = model.embed_resumes([" ".join(words)])[0]
    return float(model.calibrate(np.array([vec @ job_vec]))[0])


def deletion_test(
    model,
    pairs: list[tuple[str, str]],
    *,
    method: str = "contribution",
    fraction: float = 0.1,
    random_draws: int = 3,
    seed: int = 0,
) -> DeletionResult:
    rng = random.Random(seed)
    explain = integrated_gradients if method == "integrated_gradients" else contributions
    top_drops, random_drops, random_changes = [], [], []
    for job_text, resume_text in pairs:
        attribution = explain(model, job_text, resume_text)["resume"]
        words, weights = attribution.words, np.array(attribution.weights)
        k = max(3, int(len(words) * fraction))
        job_vec = model.embed_jobs([job_text])[0]
        base = _score(model, job_vec, words)
        top = set(np.argsort(-weights)[:k].tolist())
        top_drops.append(
            base - _score(model, job_vec, [w for i, w in enumerate(words) if i not in top])
        )
        drops = []
        for _ in range(random_draws):
            chosen = set(rng.sample(range(len(words)), k))
            drops.append(
                base - _score(model, job_vec, [w for i, w in enumerate(words) if i not in chosen])
            )
        random_drops.append(float(np.mean(drops)))
        random_changes.append(float(np.mean(np.abs(drops))))
    top_mean, random_mean = float(np.mean(top_drops)), float(np.mean(random_drops))
    change = float(np.mean(random_changes))
    ratio = top_mean / change if change > 1e-6 else float("inf")
    return DeletionResult(method, len(pairs), top_mean, random_mean, change, ratio)


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
