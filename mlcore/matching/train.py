"""Fine-tuning the fit model: LoRA adapters + head on MiniLM, trained on job–resume pairs.

`train_fit()` needs no Django; `python -m mlcore train-fit` and
`python manage.py train_fit_model` call it.
"""

from __future__ import annotations

import copy
import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from mlcore import encoder

from . import datasets
from .metrics import ranking_metrics
from .network import CachedLowerLayers, FitEncoder, with_lora
from .text import prepare_job, prepare_resume

MAX_LENGTH = 256


@dataclass
class TrainConfig:
    epochs: int = 8
    batch_size: int = 16
    matching_batches_per_epoch: int = 6
    lr: float = 2e-4
    head_lr: float = 1e-3
    scale: float = 20.0  # softmax temperature of the in-batch loss (1/0.05)
    seed: int = 13
    max_length: int = MAX_LENGTH
    device: str | None = None
    # Outcome pairs from an organisation's own hiring history (advanced/hired = fit).
    extra_pairs: list[tuple[str, str, bool]] = field(default_factory=list)


@dataclass
class TrainReport:
    version: str
    path: Path
    seconds: float
    best_epoch: int
    val_metrics: dict[str, float]
    calibration: dict[str, float]


def _seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class _Embedder:
    """Embeddings during training: cached frozen layers + adapted top layers + head."""

    def __init__(self, model: FitEncoder, max_length: int) -> None:
        self.model = model
        self.cached = CachedLowerLayers(model, max_length)

    def __call__(self, texts: list[str]) -> torch.Tensor:
        return self.cached(texts)

    @torch.no_grad()
    def all(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        self.model.eval()
        parts = [
            self.cached(texts[i : i + batch_size]).cpu().numpy()
            for i in range(0, len(texts), batch_size)
        ]
        self.model.train()
        return np.concatenate(parts) if parts else np.zeros((0, encoder.HIDDEN_SIZE))


def _category_batches(
    split: datasets.CategorySplit, size: int, rng: random.Random
) -> Iterator[list[tuple[datasets.Resume, datasets.Job]]]:
    """Batches of (resume, positive job) with distinct categories where possible."""
    jobs_for: dict[str, list[datasets.Job]] = {}
    for job in split.train_jobs:
        for category in job.categories:
            jobs_for.setdefault(category, []).append(job)
    resumes = [r for r in split.train_resumes if r.category in jobs_for]
    rng.shuffle(resumes)
    batch: list[tuple[datasets.Resume, datasets.Job]] = []
    leftovers: list[datasets.Resume] = []
    for resume in resumes:
        if any(r.category == resume.category for r, _ in batch):
            leftovers.append(resume)
            continue
        batch.append((resume, rng.choice(jobs_for[resume.category])))
        if len(batch) == size:
            yield batch
            batch = []
    for resume in leftovers:
        batch.append((resume, rng.choice(jobs_for[resume.category])))
        if len(batch) == size:
            yield batch
            batch = []
    if len(batch) > 1:
        yield batch


def _in_batch_loss(
    r: torch.Tensor, j: torch.Tensor, positive: torch.Tensor, scale: float
) -> torch.Tensor:
    """Multi-positive contrastive loss both ways: each resume against every job in the
    batch and each job against every resume; pairs of the same category count as positives."""
    logits = scale * r @ j.T
    log_p_rows = logits.log_softmax(dim=1)
    log_p_cols = logits.log_softmax(dim=0)
    pos = positive.float()
    rows = -(torch.logsumexp(log_p_rows.masked_fill(pos == 0, -1e4), dim=1)).mean()
    cols = -(torch.logsumexp(log_p_cols.masked_fill(pos == 0, -1e4), dim=0)).mean()
    return (rows + cols) / 2


def evaluate(
    embed: Callable[[list[str]], np.ndarray],
    resumes: list[datasets.Resume],
    jobs: list[datasets.Job],
) -> dict[str, float]:
    """Rank resumes for each job; relevant = the resume's category fits the job."""
    job_vecs = embed([prepare_job(j.text) for j in jobs])
    resume_vecs = embed([prepare_resume(r.text) for r in resumes])
    relevance = np.array([[r.category in j.categories for r in resumes] for j in jobs], dtype=int)
    return ranking_metrics(job_vecs @ resume_vecs.T, relevance)


def _calibrate(cosines: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Platt scaling: fit probability = sigmoid(a·cos + b) on held-out validation pairs."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=10.0)
    clf.fit(cosines.reshape(-1, 1), labels)
    return {"a": float(clf.coef_[0, 0]), "b": float(clf.intercept_[0])}


def _optimizer(
    model: FitEncoder, loss_bias: nn.Parameter, config: TrainConfig
) -> torch.optim.Optimizer:
    return torch.optim.AdamW(
        [
            {
                "params": [
                    p for n, p in model.named_parameters() if p.requires_grad and "lora" in n
                ],
                "lr": config.lr,
            },
            {"params": [*model.head.parameters(), loss_bias], "lr": config.head_lr},
        ],
        weight_decay=0.01,
    )


def _epoch_steps(
    split: datasets.CategorySplit,
    matching: datasets.MatchingSplit,
    config: TrainConfig,
    rng: random.Random,
) -> list[tuple[str, list[Any]]]:
    """One epoch's batches, shuffled: category pairs, matching jobs and extra pairs."""
    batches = list(_category_batches(split, config.batch_size, rng))
    matching_jobs = list(matching.train)
    rng.shuffle(matching_jobs)
    steps: list[tuple[str, list[Any]]] = [("category", b) for b in batches] + [
        ("matching", matching_jobs[i * config.batch_size : (i + 1) * config.batch_size])
        for i in range(config.matching_batches_per_epoch)
    ]
    extra = list(config.extra_pairs)
    rng.shuffle(extra)
    steps += [
        ("extra", extra[i : i + config.batch_size])
        for i in range(0, min(len(extra), 4 * config.batch_size), config.batch_size)
    ]
    rng.shuffle(steps)
    return steps


def _all_texts(
    split: datasets.CategorySplit,
    matching: datasets.MatchingSplit,
    resume_text: str,
    config: TrainConfig,
) -> list[str]:
    """Every text training and validation embed, prepared as the model reads it."""
    return (
        [prepare_resume(r.text) for r in split.train_resumes + split.val_resumes]
        + [prepare_job(j.text) for j in split.train_jobs + split.val_jobs]
        + [prepare_job(x.text) for x in matching.train + matching.val]
        + [prepare_resume(resume_text)]
        + [prepare_job(j) for j, _, _ in config.extra_pairs]
        + [prepare_resume(r) for _, r, _ in config.extra_pairs]
    )


def _run_meta(
    config: TrainConfig,
    device: torch.device,
    split: datasets.CategorySplit,
    matching: datasets.MatchingSplit,
) -> dict[str, Any]:
    """What meta.json records about how the version was trained (threads, device, data)."""
    return {
        "threads": torch.get_num_threads(),
        "device": str(device),
        "config": {k: v for k, v in vars(config).items() if k != "extra_pairs"},
        "extra_pairs": len(config.extra_pairs),
        "data": {
            "category_train_resumes": len(split.train_resumes),
            "category_train_jobs": len(split.train_jobs),
            "matching_train_jobs": len(matching.train),
        },
    }


def _val_metrics(
    embed: _Embedder,
    split: datasets.CategorySplit,
    matching: datasets.MatchingSplit,
    resume_text: str,
) -> dict[str, float]:
    """Ranking metrics on both validation sets (category pairs, the matching jobs)."""
    cat = evaluate(embed.all, split.val_resumes, split.val_jobs)
    r = embed.all([prepare_resume(resume_text)])
    j = embed.all([prepare_job(x.text) for x in matching.val])
    labels = np.array([x.relevant for x in matching.val], dtype=int)
    match = ranking_metrics((r @ j.T), labels.reshape(1, -1))
    return {
        **{f"category_{k}": v for k, v in cat.items()},
        **{f"matching_{k}": v for k, v in match.items()},
    }


def _step_loss(
    kind: str,
    batch: list[Any],
    embed: _Embedder,
    resume_text: str,
    config: TrainConfig,
    loss_bias: nn.Parameter,
    device: torch.device,
) -> torch.Tensor:
    """One batch's loss: in-batch contrast for category pairs, a binary loss for matching
    jobs (against the one matching resume) and for extra (job, resume, ok) pairs."""
    if kind == "category":
        r = embed([prepare_resume(res.text) for res, _ in batch])
        j = embed([prepare_job(job.text) for _, job in batch])
        positive = torch.tensor(
            [[res.category in job.categories for _, job in batch] for res, _ in batch],
            device=device,
        )
        return _in_batch_loss(r, j, positive, config.scale)
    bce = nn.BCEWithLogitsLoss()
    if kind == "matching":
        r = embed([prepare_resume(resume_text)])
        j = embed([prepare_job(x.text) for x in batch])
        gold = torch.tensor([float(x.relevant) for x in batch], device=device)
        loss: torch.Tensor = bce(config.scale * (j @ r.T).squeeze(1) + loss_bias, gold)
        return loss
    r = embed([prepare_resume(res) for _, res, _ in batch])
    j = embed([prepare_job(job) for job, _, _ in batch])
    gold = torch.tensor([float(ok) for _, _, ok in batch], device=device)
    loss = bce(config.scale * (r * j).sum(-1) + loss_bias, gold)
    return loss


def _validation_calibration(
    embed: _Embedder,
    split: datasets.CategorySplit,
    matching: datasets.MatchingSplit,
    resume_text: str,
) -> dict[str, float]:
    """Calibrate on validation pairs of both sources, so 0–100 means the same across jobs."""
    vj = embed.all([prepare_job(j.text) for j in split.val_jobs])
    vr = embed.all([prepare_resume(r.text) for r in split.val_resumes])
    mr = embed.all([prepare_resume(resume_text)])
    mj = embed.all([prepare_job(x.text) for x in matching.val])
    cos = [(vj @ vr.T).ravel(), (mj @ mr.T).ravel()]
    labels = [
        np.array(
            [[r.category in j.categories for r in split.val_resumes] for j in split.val_jobs],
            dtype=int,
        ).ravel(),
        np.array([x.relevant for x in matching.val], dtype=int),
    ]
    return _calibrate(np.concatenate(cos), np.concatenate(labels))


def train_fit(
    *,
    out_dir: Path,
    version: str,
    config: TrainConfig | None = None,
    progress: bool = True,
) -> TrainReport:
    """Train, pick the best epoch on validation, calibrate, and write the artefacts."""
    from tqdm import tqdm

    config = config or TrainConfig()
    encoder.set_threads()
    _seed(config.seed)
    started = time.monotonic()
    device = torch.device(config.device) if config.device else encoder.device()

    split = datasets.category_split()
    resume_text = datasets.matching_resume_text()
    matching = datasets.matching_split(resume_text)

    model = FitEncoder(with_lora(encoder.load_base_model())).to(device)
    embed = _Embedder(model, config.max_length)
    # One pass of the frozen layers over every text used below (the slow part, done once).
    embed.cached.warm(_all_texts(split, matching, resume_text, config), progress=progress)
    loss_bias = nn.Parameter(torch.tensor(-0.3 * config.scale))  # logit = scale·cos + bias
    optimizer = _optimizer(model, loss_bias, config)
    rng = random.Random(config.seed)
    best: tuple[float, int, dict[str, Any], dict[str, float]] | None = None

    for epoch in range(1, config.epochs + 1):
        model.train()
        steps = _epoch_steps(split, matching, config, rng)
        bar = tqdm(steps, desc=f"epoch {epoch}/{config.epochs}", unit="batch", disable=not progress)
        for kind, batch in bar:
            if not batch:
                continue
            loss = _step_loss(kind, batch, embed, resume_text, config, loss_bias, device)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            bar.set_postfix(loss=f"{loss.item():.3f}")
        metrics = _val_metrics(embed, split, matching, resume_text)
        # Model selection on validation only; the test split is never looked at here.
        selector = (
            metrics["category_roc_auc"] + metrics["category_ndcg@10"] + metrics["matching_roc_auc"]
        ) / 3
        if progress:
            print(f"epoch {epoch}: val {json.dumps({k: round(v, 4) for k, v in metrics.items()})}")
        if best is None or selector > best[0]:
            trainable = {
                k: v.detach().cpu().clone()
                for k, v in model.state_dict().items()
                if "lora" in k or k.startswith("head.")
            }
            best = (selector, epoch, copy.deepcopy(trainable), metrics)

    assert best is not None
    _, best_epoch, best_state, best_metrics = best
    model.load_state_dict(best_state, strict=False)

    calibration = _validation_calibration(embed, split, matching, resume_text)

    from .artefacts import save_fit_model

    seconds = time.monotonic() - started
    meta = {
        "task": "fit",
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_model": encoder.BASE_MODEL_NAME,
        "max_length": config.max_length,
        "calibration": calibration,
        "best_epoch": best_epoch,
        "val_metrics": best_metrics,
        "train_seconds": round(seconds, 1),
        **_run_meta(config, device, split, matching),
    }
    save_fit_model(model, out_dir, meta=meta)
    return TrainReport(version, out_dir, seconds, best_epoch, best_metrics, calibration)
