"""Held-out evaluation of fit scorers: BM25, zero-shot MiniLM and the fine-tuned model.

Two test sets, both unseen in training and model selection:
* category: each held-out job ranks the held-out resumes (many different resumes);
* matching: the one-resume set's held-out job descriptions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import datasets
from .metrics import ranking_metrics
from .text import prepare_job, prepare_resume

# A scorer takes job texts and resume texts and returns a (jobs × resumes) score matrix.
Scorer = Callable[[list[str], list[str]], np.ndarray]


@dataclass
class EvalSet:
    name: str
    jobs: list[str]
    resumes: list[str]
    relevance: np.ndarray  # jobs × resumes, 0/1


def held_out_sets() -> list[EvalSet]:
    split = datasets.category_split()
    resume_text = datasets.matching_resume_text()
    matching = datasets.matching_split(resume_text)
    category = EvalSet(
        "category (held-out jobs × held-out resumes)",
        [j.text for j in split.test_jobs],
        [r.text for r in split.test_resumes],
        np.array(
            [[r.category in j.categories for r in split.test_resumes] for j in split.test_jobs],
            dtype=int,
        ),
    )
    # One resume as the query over held-out job descriptions: transpose to jobs × resumes.
    one = EvalSet(
        "matching (one resume × held-out job descriptions)",
        [j.text for j in matching.test],
        [resume_text],
        np.array([[int(j.relevant)] for j in matching.test]),
    )
    return [category, one]


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+#]+", text.lower())


def bm25_scorer(jobs: list[str], resumes: list[str]) -> np.ndarray:
    """BM25 over the same texts: the job is the query, the resumes are the collection
    (for one resume, the job descriptions are the collection and the resume the query).
    Scores are divided by each query's best score so they compare across queries."""
    from rank_bm25 import BM25Okapi

    if len(resumes) == 1:
        index = BM25Okapi([_tokens(prepare_job(j)) for j in jobs])
        raw = index.get_scores(_tokens(prepare_resume(resumes[0])))
        return (raw / max(raw.max(), 1e-9)).reshape(-1, 1)
    index = BM25Okapi([_tokens(prepare_resume(r)) for r in resumes])
    rows = [index.get_scores(_tokens(prepare_job(j))) for j in jobs]
    return np.array([row / max(row.max(), 1e-9) for row in rows])


def embedding_scorer(embed_jobs: Callable, embed_resumes: Callable) -> Scorer:
    def score(jobs: list[str], resumes: list[str]) -> np.ndarray:
        return embed_jobs(jobs) @ embed_resumes(resumes).T

    return score


def evaluate(scorer: Scorer, eval_set: EvalSet) -> dict[str, float]:
    scores = scorer(eval_set.jobs, eval_set.resumes)
    if eval_set.relevance.shape[1] == 1:  # one resume: rank the jobs for it
        return ranking_metrics(scores.T, eval_set.relevance.T)
    return ranking_metrics(scores, eval_set.relevance)
