"""A linear map on the resume side of MiniLM's own vectors, trained on the world of work.

MiniLM places a resume and the occupation it belongs to less close than it could: a resume
lists duties in the past tense, dates and employers, a job names the role and its duties. One
384×384 matrix W, started at the identity and kept near it (λ·‖W − I‖²), learns to move a
resume's vector towards its own occupation's text and away from every other occupation's
(a softmax over all 1,016 O*NET occupations, so neighbouring occupations are the hardest
negatives). Training data (no resume from the evaluation sources):

* pseudo-resumes: per O*NET occupation, a few resumes laid out from its alternate titles,
  tasks and technology examples (a headline, past roles with duties, skills; some only a
  summary) — every occupation of every major group;
* the training source's resumes (`resumes/`), with their categories' O*NET occupations.

It trains in seconds on stored vectors, so the leave-occupations-out folds retrain it
without a whole SOC major group each (`train_adapter(..., exclude=...)`).
"""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import datasets

ADAPTER_FILE = "adapter.safetensors"


@dataclass(frozen=True)
class AdapterRecipe:
    to_identity: float = 1e-2  # λ of ‖W − I‖²
    temperature: float = 0.05
    steps: int = 300
    batch_size: int = 256
    learning_rate: float = 1e-3
    per_occupation: int = 4  # pseudo-resumes per O*NET occupation
    seed: int = 7

    def to_json_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass(frozen=True)
class AdapterData:
    """What training reads: unit resume vectors, each row's occupations (rows of `jobs`),
    and every O*NET occupation's job vector (unit rows, `codes` order)."""

    resumes: np.ndarray
    positives: tuple[tuple[int, ...], ...]
    jobs: np.ndarray
    codes: tuple[str, ...]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _pseudo_resume(rng: random.Random, titles: list[str], tasks: list[str], tech: list[str]) -> str:
    headline, past = rng.choice(titles).title(), rng.choice(titles).title()
    duties = rng.sample(tasks, min(len(tasks), rng.randint(3, 7)))
    parts = [
        headline,
        "Professional Experience",
        f"{past}, 2016 - 2021",
        "\n".join(f"- {d}" for d in duties),
    ]
    if tech and rng.random() < 0.6:
        parts.append("Skills: " + ", ".join(rng.sample(tech, min(len(tech), 6))))
    return "\n\n".join(parts)


def pseudo_resumes(onet_dir: Path, per_occupation: int, seed: int) -> list[tuple[str, str]]:
    """(O*NET code, resume text) pairs: `per_occupation` per occupation, the last of each a
    headline and a two-duty summary only (resumes come short too)."""
    titles: defaultdict[str, list[str]] = defaultdict(list)
    for row in _read(onet_dir / "alternate_titles.csv"):
        titles[row["O*NET-SOC Code"]].append(row["Alternate Title"])
    tasks: defaultdict[str, list[str]] = defaultdict(list)
    for row in _read(onet_dir / "task_statements.csv"):
        tasks[row["O*NET-SOC Code"]].append(row["Task"])
    tech: defaultdict[str, list[str]] = defaultdict(list)
    for row in _read(onet_dir / "technology_skills.csv"):
        tech[row["O*NET-SOC Code"]].append(row["Example"])
    rng = random.Random(seed)
    out = []
    for row in _read(onet_dir / "occupation_data.csv"):
        code = row["O*NET-SOC Code"]
        own_titles = titles[code] or [row["Title"]]
        own_tasks = tasks[code] or [row["Description"]]
        for k in range(per_occupation):
            text = _pseudo_resume(rng, own_titles, own_tasks, tech[code])
            if k == per_occupation - 1:
                text = "\n\n".join([rng.choice(own_titles).title(), "Summary", *own_tasks[:2]])
            out.append((code, text))
    return out


def onet_job_texts() -> dict[str, str]:
    """Every O*NET occupation's job text in the training format (title, description, core
    tasks, technologies), by code."""
    onet = datasets.shared_data_dir() / "onet"
    codes = [row["O*NET-SOC Code"] for row in _read(onet / "occupation_data.csv")]
    jobs = datasets._onet_jobs({code: {"onet": [code]} for code in codes})
    return {job.source.removeprefix("onet:"): job.text for job in jobs}


def training_source_resumes() -> list[tuple[tuple[str, ...], str]]:
    """The training part of `resumes/` with their categories' O*NET occupations."""
    categories = json.loads(datasets.CATEGORY_MAP.read_text())["categories"]
    split = datasets.category_split()
    return [(tuple(categories[r.category]["onet"]), r.text) for r in split.train_resumes]


def adapter_data(
    codes: list[str],
    job_vectors: np.ndarray,
    embed_resumes: Callable[[list[str]], np.ndarray],
    recipe: AdapterRecipe,
) -> AdapterData:
    """Embeds the pseudo-resumes and the training source's resumes with `embed_resumes`
    (unit rows; the caller blinds and reads them as its model reads resumes)."""
    row = {code: i for i, code in enumerate(codes)}
    onet = datasets.shared_data_dir() / "onet"
    pairs: list[tuple[tuple[str, ...], str]] = [
        ((code,), text) for code, text in pseudo_resumes(onet, recipe.per_occupation, recipe.seed)
    ]
    pairs += training_source_resumes()
    vectors = embed_resumes([text for _, text in pairs])
    positives = tuple(tuple(row[c] for c in found if c in row) for found, _ in pairs)
    return AdapterData(vectors, positives, job_vectors, tuple(codes))


def train_adapter(
    data: AdapterData, recipe: AdapterRecipe, exclude: Iterable[str] = ()
) -> np.ndarray:
    """W (384×384, float32). `exclude`: O*NET codes left out entirely — not a positive, not
    a negative, no resume of theirs read (leave-occupations-out folds)."""
    import torch

    left_out = set(exclude)
    allowed = np.array([code not in left_out for code in data.codes])
    rows = [
        (i, [p for p in pos if allowed[p]])
        for i, pos in enumerate(data.positives)
        if pos and all(allowed[p] for p in pos)
    ]
    generator = torch.Generator().manual_seed(recipe.seed)
    resumes = torch.from_numpy(data.resumes[[i for i, _ in rows]])
    positive = torch.zeros(len(rows), len(data.codes), dtype=torch.bool)
    for n, (_, pos) in enumerate(rows):
        positive[n, pos] = True
    jobs = torch.from_numpy(data.jobs)
    blocked = torch.from_numpy(~allowed)
    eye = torch.eye(resumes.shape[1])
    weight = torch.nn.Parameter(eye.clone())
    optimiser = torch.optim.Adam([weight], lr=recipe.learning_rate)
    for _ in range(recipe.steps):
        batch = torch.randint(0, len(rows), (recipe.batch_size,), generator=generator)
        mapped = torch.nn.functional.normalize(resumes[batch] @ weight, dim=1)
        logits = (mapped @ jobs.T / recipe.temperature).masked_fill(blocked, -1e9)
        own = logits.masked_fill(~positive[batch], -1e9)
        loss = (torch.logsumexp(logits, 1) - torch.logsumexp(own, 1)).mean()
        loss = loss + recipe.to_identity * ((weight - eye) ** 2).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return weight.detach().numpy().astype(np.float32)


def adapt(vectors: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Resume vectors through W, unit length again."""
    mapped = np.asarray(vectors, dtype=np.float32) @ weight
    return np.asarray(mapped / np.maximum(np.linalg.norm(mapped, axis=1, keepdims=True), 1e-12))


def save_adapter(out_dir: Path, weight: np.ndarray) -> None:
    from safetensors.numpy import save_file

    save_file({"resume": np.ascontiguousarray(weight, dtype=np.float32)}, out_dir / ADAPTER_FILE)


def load_adapter(path: Path) -> np.ndarray | None:
    from safetensors.numpy import load_file

    found = path / ADAPTER_FILE
    return load_file(str(found))["resume"] if found.exists() else None


def model_adapter_data(model: Any, recipe: AdapterRecipe, *, cache: Path | None) -> AdapterData:
    """The adapter's training vectors as a blend `model` (FitModel) reads texts: MiniLM's own
    pooled vector of every O*NET occupation's job text (training format) and of every training
    resume. Kept in `cache` (a .npz keyed by the caller) when given: the folds of a bench
    retrain on the same vectors."""
    if cache is not None and cache.exists():
        found = np.load(cache)
        positives = tuple(tuple(int(p) for p in row if p >= 0) for row in found["positives"])
        return AdapterData(found["resumes"], positives, found["jobs"], tuple(found["codes"]))
    reading = model.reading
    jobs = onet_job_texts()
    codes = sorted(jobs)
    job_vectors = model.pooled([model.prepare_job(jobs[c]) for c in codes], reading.job_windows)[0]

    def embed(texts: list[str]) -> np.ndarray:
        # Pseudo-resumes hold no personal data; tidied only, the training source blinded.
        prepared = [model.prepare_resume(t) if i >= pseudo else t for i, t in enumerate(texts)]
        return np.asarray(model.pooled(prepared, reading.resume_windows)[0])

    pseudo = len(codes) * recipe.per_occupation
    data = adapter_data(codes, np.asarray(job_vectors), embed, recipe)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        width = max(len(p) for p in data.positives)
        padded = np.array([list(p) + [-1] * (width - len(p)) for p in data.positives])
        np.savez(
            cache, resumes=data.resumes, jobs=data.jobs, codes=np.array(codes), positives=padded
        )
    return data
