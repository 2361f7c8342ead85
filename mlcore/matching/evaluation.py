"""Held-out evaluation of fit scorers: BM25, zero-shot MiniLM and the fine-tuned model.

Two test sets, both unseen in training and model selection:
* category: each held-out job ranks the held-out resumes (many different resumes);
* matching: the one-resume set's held-out job descriptions.
The out-of-distribution sets (resumes that rank occupations) are built in `ood.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from . import datasets
from .metrics import bootstrap_samples, ranking_metrics
from .text import prepare_job, prepare_resume

# A scorer takes job texts and resume texts and returns a (jobs × resumes) score matrix.
Scorer = Callable[[list[str], list[str]], np.ndarray]


@dataclass
class EvalSet:
    name: str
    jobs: list[str]
    resumes: list[str]
    relevance: np.ndarray  # jobs × resumes, 0/1
    # Which side ranks the other: each job ranks the resumes, or each resume ranks the jobs
    # (a set with one resume is always read that way).
    queries: Literal["jobs", "resumes"] = "jobs"
    about: str = ""  # one more line for the report

    @property
    def resume_queries(self) -> bool:
        return self.queries == "resumes" or self.relevance.shape[1] == 1


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
        queries="resumes",
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
        return np.asarray((raw / max(raw.max(), 1e-9)).reshape(-1, 1))
    index = BM25Okapi([_tokens(prepare_resume(r)) for r in resumes])
    rows = [index.get_scores(_tokens(prepare_job(j))) for j in jobs]
    return np.array([row / max(row.max(), 1e-9) for row in rows])


def bm25_resume_queries(jobs: list[str], resumes: list[str]) -> np.ndarray:
    """BM25 with each resume as the query over the job texts (jobs × resumes); each
    resume's scores are divided by its best one."""
    from rank_bm25 import BM25Okapi

    index = BM25Okapi([_tokens(prepare_job(j)) for j in jobs])
    cols = [index.get_scores(_tokens(prepare_resume(r))) for r in resumes]
    return np.array([col / max(col.max(), 1e-9) for col in cols]).T


def bm25_for(eval_set: EvalSet) -> Scorer:
    """BM25 whose queries are the set's queries."""
    return bm25_resume_queries if eval_set.resume_queries else bm25_scorer


def embedding_scorer(
    embed_jobs: Callable[[list[str]], np.ndarray], embed_resumes: Callable[[list[str]], np.ndarray]
) -> Scorer:
    def score(jobs: list[str], resumes: list[str]) -> np.ndarray:
        return np.asarray(embed_jobs(jobs) @ embed_resumes(resumes).T)

    return score


class CachedEmbedder:
    """Wraps a texts → unit vectors function so each distinct text is embedded once, however
    many sets and methods ask for it (one per model and side: jobs and resumes are prepared
    apart)."""

    def __init__(self, embed: Callable[[list[str]], np.ndarray]) -> None:
        self._embed = embed
        self._vectors: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            for text, vector in zip(todo, self._embed(todo), strict=True):
                self._vectors[text] = vector
        return np.stack([self._vectors[t] for t in texts])


def _queries_first(eval_set: EvalSet, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if eval_set.resume_queries:  # each resume ranks the jobs
        return scores.T, eval_set.relevance.T
    return scores, eval_set.relevance


def evaluate(scorer: Scorer, eval_set: EvalSet) -> dict[str, float]:
    scores = scorer(eval_set.jobs, eval_set.resumes)
    return ranking_metrics(*_queries_first(eval_set, scores))


@dataclass
class Evaluation:
    """Point metrics and their bootstrap resamples (same seed: paired across methods)."""

    metrics: dict[str, float]
    resamples: dict[str, np.ndarray]
    scores: np.ndarray  # jobs × resumes


def evaluate_with_resamples(
    scorer: Scorer, eval_set: EvalSet, *, n_resamples: int = 1000, seed: int = 0
) -> Evaluation:
    """Metrics, and the same metrics on `n_resamples` bootstrap resamples of the queries
    (of the documents where there is one query, as in the one-resume matching set)."""
    scores = scorer(eval_set.jobs, eval_set.resumes)
    by_query, relevance = _queries_first(eval_set, scores)
    return Evaluation(
        ranking_metrics(by_query, relevance),
        bootstrap_samples(by_query, relevance, n_resamples=n_resamples, seed=seed),
        scores,
    )
