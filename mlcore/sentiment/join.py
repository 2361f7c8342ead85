"""An ensemble of already-trained `workplace` versions, calibrated afresh (issue 19).

    python -m mlcore train-sentiment --join VERSION --join VERSION [--negative-beta 2]

Each version's members (their LoRA files and star heads) are copied, unchanged, into one new
version's `members/`; the model then averages their star probabilities like any ensemble
(mlcore.sentiment.model.EnsembleNet). Nothing is retrained: the decision biases and the
temperature are fitted again on the validation employers, scored through the joined model's
own loading path, and the held-out employers are measured once at the end, as `train` does.
Every joined version must be a `workplace` version with the same input length and LoRA shape,
so they were all fitted without the validation and held-out employers.
"""

from __future__ import annotations

import json
import shutil
import time
from typing import Any

import torch

from mlcore.registry import Registry, RegistryError
from mlcore.sentiment import corpus
from mlcore.sentiment.model import (
    CALIBRATION_FILE,
    MEMBERS_DIR,
    TASK,
    SentimentModel,
)
from mlcore.sentiment.train import (
    TrainConfig,
    TrainingSet,
    TrainOutcome,
    _evaluate,
    _measure_held_out,
    fit_temperature,
    model_card,
    tune_bias_for,
)


def _sources(registry: Registry, versions: list[str]) -> list[dict[str, Any]]:
    """The joined versions' meta.json, checked to be compatible `workplace` ensembles."""
    if len(versions) < 2:
        raise RegistryError("--join needs at least two versions.")
    metas = []
    for name in versions:
        chosen = registry.get(TASK, name)
        meta = json.loads((chosen.path / "meta.json").read_text())
        if meta.get("training", {}).get("recipe") != "workplace":
            raise RegistryError(f"{name} is not a workplace version; only those can be joined.")
        if not (chosen.path / MEMBERS_DIR).is_dir():
            raise RegistryError(f"{name} has no {MEMBERS_DIR}/ folder.")
        metas.append({**meta, "_path": chosen.path})
    shapes = {
        json.dumps([m["architecture"]["max_length"], m["architecture"]["lora"]]) for m in metas
    }
    if len(shapes) > 1:
        raise RegistryError("the joined versions differ in input length or LoRA shape.")
    return metas


def _copy_members(metas: list[dict[str, Any]], path: Any) -> list[dict[str, Any]]:
    """Every member of every version, renumbered in order; returns their histories."""
    history = []
    k = 0
    for meta in metas:
        members = sorted((meta["_path"] / MEMBERS_DIR).iterdir(), key=lambda p: int(p.name))
        for member, record in zip(members, meta["training"]["members"], strict=True):
            shutil.copytree(member, path / MEMBERS_DIR / str(k))
            history.append(
                {
                    **record,
                    "member": k + 1,
                    "from": f"{meta['version']} member {record['member']}",
                    "seed": meta["training"]["seed"] + record["member"] - 1,
                }
            )
            k += 1
    return history


def _label_scores(version: str, path: Any, texts: list[str]) -> torch.Tensor:
    """Uncalibrated label log-scores (no bias, temperature 1) through the saved model."""
    model = SentimentModel._load_ensemble(version, path)
    model.bias = torch.zeros(3)
    model.temperature = 1.0
    return torch.tensor(model.predict_probs(texts)).clamp_min(1e-12).log()


def join(
    versions: list[str],
    *,
    config: TrainConfig | None = None,
    version: str | None = None,
    activate: bool = False,
    registry: Registry | None = None,
    command: str | None = None,
    parts: corpus.Corpus | None = None,
) -> TrainOutcome:
    """A new version whose members are those of `versions`, calibrated on validation.

    `parts`: the validation and evaluation reviews (default: corpus.held_out_parts())."""
    from mlcore import encoder

    encoder.set_threads()
    started = time.perf_counter()
    registry = registry or Registry()
    config = config or TrainConfig()
    metas = _sources(registry, versions)
    version, path = registry.new_version_dir(TASK, version)
    history = _copy_members(metas, path)
    # Provisional files: the loader reads the input length and LoRA scale from meta.json.
    first_meta = {k: v for k, v in metas[0].items() if k != "_path"}
    (path / "meta.json").write_text(json.dumps(first_meta, indent=2) + "\n")
    (path / CALIBRATION_FILE).write_text(json.dumps({"temperature": 1.0}) + "\n")
    split = parts or corpus.held_out_parts()
    val_texts = [e.text for e in split.validation]
    gold = [e.label for e in split.validation]
    scores = _label_scores(version, path, val_texts)
    bias = tune_bias_for(scores, gold, config.bias_grid, config.negative_beta)
    biased = scores + torch.tensor(bias)
    temperature = fit_temperature(biased, torch.tensor(gold))
    calibration = {
        "method": "the members' star probabilities averaged, summed per label; per-label "
        f"decision biases maximising {_objective_name(config.negative_beta)}, then "
        "temperature scaling (NLL), both on the validation predictions of the joined model",
        "fitted_on": "validation",
        "label_bias": bias,
        "temperature": round(temperature, 6),
        "scored_without_bias": _evaluate(scores, gold, 1.0),
        "scored_before": _evaluate(biased, gold, 1.0),
        "scored_after": _evaluate(biased, gold, temperature),
    }
    (path / CALIBRATION_FILE).write_text(json.dumps(calibration, indent=2) + "\n")
    meta = _meta(metas, version, history, calibration, config, command)
    ts = TrainingSet([], [], [], [(e.text, e.label) for e in split.evaluation], {}, {}, "")
    meta["metrics"]["held_out"] = _measure_held_out(version, path, ts)
    meta["training"]["seconds"] = round(time.perf_counter() - started, 1)
    (path / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    (path / "MODEL_CARD.md").write_text(model_card(meta))
    if activate:
        registry.activate(TASK, version)
    return TrainOutcome(version, path, activate, meta["training"]["seconds"], meta)


def _objective_name(beta: float) -> str:
    if beta == 1.0:
        return "(accuracy + macro-F1) / 2"
    return f"(accuracy + macro-F1 with F-{beta:g} for negative) / 2"


def _meta(
    metas: list[dict[str, Any]],
    version: str,
    history: list[dict[str, Any]],
    calibration: dict[str, Any],
    config: TrainConfig,
    command: str | None,
) -> dict[str, Any]:
    first = {k: v for k, v in metas[0].items() if k != "_path"}
    meta: dict[str, Any] = json.loads(json.dumps(first))  # a deep copy
    meta["version"] = version
    meta["created_at"] = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    meta["joined_from"] = [m["version"] for m in metas]
    meta["architecture"]["ensemble"] = (
        f"{len(history)} members joined from {', '.join(meta['joined_from'])}; shared "
        "frozen lower layers, each member its own adapted layers and star head; mean of the "
        "members' star probabilities"
    )
    meta["data"]["train"] = {m["version"]: m["data"]["train"] for m in metas}
    meta["split"]["method"] = "; ".join(f"{m['version']}: {m['split']['method']}" for m in metas)
    training = meta["training"]
    training["members"] = history
    training["torch_threads"] = torch.get_num_threads()  # of the join, not of the training
    training["negative_beta"] = config.negative_beta
    training["encode_seconds"] = sum(m["training"]["encode_seconds"] for m in metas)
    training["command"] = command or "python -m mlcore train-sentiment --join ..."
    training["objective"] = (
        "5-way cross-entropy on the star rating, per member (trained by the joined "
        "versions' own commands: "
        + "; ".join(f"{m['version']}: `{m['training']['command']}`" for m in metas)
        + ")"
    )
    meta["calibration"] = {k: calibration[k] for k in ("method", "label_bias", "temperature")}
    meta["metrics"] = {"out_of_fold": calibration["scored_after"]}
    return meta


def describe(outcome: TrainOutcome) -> dict[str, Any]:
    """What the CLI prints: the same keys as a training run."""
    meta = outcome.meta
    return {
        "version": outcome.version,
        "path": str(outcome.path),
        "activated": outcome.activated,
        "joined_from": meta["joined_from"],
        "seconds": round(outcome.seconds, 1),
        "label_bias": meta["calibration"]["label_bias"],
        "temperature": meta["calibration"]["temperature"],
        "out_of_fold": meta["metrics"]["out_of_fold"],
        "held_out": meta["metrics"]["held_out"],
    }
