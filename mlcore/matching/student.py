"""A distilled student of a blend version: the same (plain, tuned) window vectors from fewer
layer passes.

A blend version (`whole_text.TwoStackEncoder`) runs four shared MiniLM layers per window,
then two tops: MiniLM's own layers 4–5 (the "plain" vector, which the O*NET adapter and the
occupation profile also read) and the fine-tuned layers 4–5 + head (the "tuned" vector):
eight layer passes. The student has the same shape with fewer layers, started from a subset
of the teacher's (`StudentRecipe`: by default shared layers from MiniLM's 0, 2, 3, and one
top layer each, from layer 5 of either top; five passes), and is trained to give the
teacher's unit window vectors (cosine loss on both outputs, per window) on texts of the
fit model's own training sources only:

* O*NET pseudo-resumes (`adapter.pseudo_resumes`) and every O*NET occupation's job text in
  the training format (`adapter.onet_job_texts`),
* the training part of `resumes/` and of the category jobs (postings, O*NET) and the matching
  set's training job descriptions (`datasets`), blinded as the app blinds them.

No evaluation or held-out source is read. The student trains low-rank updates (rank
`rank`) of every linear layer, the LayerNorms, the biases and the head, so what is shipped
is small (`student.safetensors`, about 1.5 MB): loading rebuilds the layers from the
installed MiniLM and the fine-tuned version, then adds the updates. The student is an
ordinary `TwoStackEncoder`, so the app's window pooling, the adapter, the occupation
profiles and the int8 ONNX runtime (`runtime.py`) use it unchanged; the version's
`meta.json` names its teacher, whose adapter, occupation space and pooling it reuses.

    python -m mlcore distil-fit --teacher fit-20261130-adapter --version fit-20261130-student
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from mlcore import encoder

from .network import FitEncoder
from .whole_text import Reading, TwoStackEncoder

STUDENT_FILE = "student.safetensors"
LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense")
OUTPUT_DENSE = "output.dense"  # the feed-forward's second linear (not attention.output.dense)


@dataclass(frozen=True)
class StudentRecipe:
    """Which teacher layers start the student, and how it is trained."""

    shared: tuple[int, ...] = (0, 1, 2, 3)  # MiniLM layers the shared layers start from
    plain_top: tuple[int, ...] = (5,)  # MiniLM layers of the plain top
    tuned_top: tuple[int, ...] = (5,)  # fine-tuned layers of the tuned top (then the head)
    # The first `frozen` shared layers are the teacher's own (`shared` must start 0, 1, …):
    # they are not trained, so their output is computed once per window with the teacher's.
    frozen: int = 4
    rank: int = 32
    alpha: float = 64.0
    epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 2e-3
    warmup: float = 0.05
    per_occupation: int = 2  # O*NET pseudo-resumes per occupation
    max_windows: int = 2400  # at most this many training windows (0: all)
    held_out: float = 0.05  # share of texts (by hash) kept out of training to check fidelity
    seed: int = 17

    def to_json_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> StudentRecipe:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("shared", "plain_top", "tuned_top"):
            if key in known:
                known[key] = tuple(int(x) for x in known[key])
        return cls(**known)

    @property
    def layer_passes(self) -> int:
        return len(self.shared) + len(self.plain_top) + len(self.tuned_top)


# --- the student's layers ---------------------------------------------------------------


def skeleton(tuned: FitEncoder, recipe: StudentRecipe) -> TwoStackEncoder:
    """The untrained student: copies of the chosen teacher layers (the fine-tuned encoder's
    lower layers are MiniLM's own), its embeddings and its head."""
    bert = copy.deepcopy(tuned.base)
    source = tuned.base.encoder.layer
    layers = [copy.deepcopy(source[i]) for i in (*recipe.shared, *recipe.tuned_top)]
    bert.encoder.layer = nn.ModuleList(layers)
    bert.config.num_hidden_layers = len(layers)
    student_tuned = FitEncoder(bert, dim=int(tuned.head.out_features))
    student_tuned.head.load_state_dict(tuned.head.state_dict())
    plain = encoder.load_base_model()
    top = nn.ModuleList([copy.deepcopy(plain.encoder.layer[i]) for i in recipe.plain_top])
    two = TwoStackEncoder(student_tuned, top)
    two.first = len(recipe.shared)
    device = next(tuned.parameters()).device
    return two.to(device).eval()


class LoraLinear(nn.Module):
    """`base(x) + scale·B·A·x`; B starts at zero, so training starts from the base layer."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float) -> None:
        super().__init__()
        self.base = base
        self.scale = alpha / rank
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.base(x) + (x @ self.lora_a.T @ self.lora_b.T) * self.scale
        return out

    def delta(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(A, scale·B): the weight update is their product."""
        return self.lora_a.detach(), (self.lora_b * self.scale).detach()


def _trained_layer(name: str, frozen: int) -> bool:
    """Is parameter/module `name` in a layer that trains (not a frozen shared layer)?"""
    if name.startswith("plain_top."):
        return True
    marker = ".encoder.layer."
    if marker not in name:
        return False
    return int(name.split(marker, 1)[1].split(".", 1)[0]) >= frozen


def _targets(two: TwoStackEncoder, frozen: int) -> list[str]:
    """Names of the linear layers that get low-rank updates (every layer that trains)."""
    names = []
    for name, module in two.named_modules():
        if not isinstance(module, nn.Linear) or not _trained_layer(name, frozen):
            continue
        if name.endswith(LORA_TARGETS) or (name.endswith(OUTPUT_DENSE) and "attention" not in name):
            names.append(name)
    return names


def _set_module(root: nn.Module, name: str, module: nn.Module) -> None:
    parent, _, child = name.rpartition(".")
    setattr(root.get_submodule(parent) if parent else root, child, module)


def add_lora(two: TwoStackEncoder, recipe: StudentRecipe) -> list[str]:
    """Wrap the trained layers' linears (in place) and set what trains: the low-rank updates,
    their biases and LayerNorms, and the head. Embeddings and frozen layers stay as they are."""
    for p in two.parameters():
        p.requires_grad_(False)
    names = _targets(two, recipe.frozen)
    for name in names:
        base = two.get_submodule(name)
        assert isinstance(base, nn.Linear)
        _set_module(two, name, LoraLinear(base, recipe.rank, recipe.alpha))
    for name, p in two.named_parameters():
        small = name.endswith(".bias") or "LayerNorm" in name
        own = "lora_" in name or name.startswith("tuned.head.")
        p.requires_grad_(own or (small and _trained_layer(name, recipe.frozen)))
    return names


def trained_state(two: TwoStackEncoder, names: list[str]) -> dict[str, torch.Tensor]:
    """What is saved: each wrapped linear's A and scale·B (fp16), and every other trained
    tensor (fp32), named as in the unwrapped student."""
    state: dict[str, torch.Tensor] = {}
    for name in names:
        module = two.get_submodule(name)
        assert isinstance(module, LoraLinear)
        a, b = module.delta()
        state[f"{name}.weight.lora_a"] = a.half().cpu().contiguous()
        state[f"{name}.weight.lora_b"] = b.half().cpu().contiguous()
    for name, p in two.named_parameters():
        if p.requires_grad and "lora_" not in name:
            plain_name = name.replace(".base.weight", ".weight").replace(".base.bias", ".bias")
            state[plain_name] = p.detach().float().cpu().contiguous()
    return state


def apply_state(two: TwoStackEncoder, state: dict[str, torch.Tensor]) -> TwoStackEncoder:
    """Add the saved updates to an unwrapped skeleton (in place)."""
    params = dict(two.named_parameters())
    with torch.no_grad():
        for key, value in state.items():
            if key.endswith(".lora_b"):
                continue
            if key.endswith(".lora_a"):
                name = key.removesuffix(".lora_a")
                b = state[name + ".lora_b"].float()
                params[name].add_((b @ value.float()).to(params[name].device))
            else:
                params[key].copy_(value.to(params[key].device))
    return two


def load_student(path: Path, tuned: FitEncoder) -> TwoStackEncoder:
    """The student of the version in `path`, on the fine-tuned encoder `tuned`."""
    from safetensors.torch import load_file

    meta = json.loads((path / "meta.json").read_text())
    recipe = StudentRecipe.from_json_dict(meta["student"]["recipe"])
    return apply_state(skeleton(tuned, recipe), load_file(str(path / STUDENT_FILE))).eval()


# --- what it trains on ---------------------------------------------------------------------


@dataclass
class Windows:
    """Token windows (ids with [CLS]/[SEP]) and the teacher's unit vectors for each."""

    ids: list[list[int]]
    plain: np.ndarray
    tuned: np.ndarray
    sources: dict[str, int] = field(default_factory=dict)
    # Token states after the frozen layers (fp16, tokens × 384), when the student has any.
    hidden: list[torch.Tensor] = field(default_factory=list)

    def take(self, keep: list[int]) -> Windows:
        hidden = [self.hidden[i] for i in keep] if self.hidden else []
        ids = [self.ids[i] for i in keep]
        return Windows(ids, self.plain[keep], self.tuned[keep], self.sources, hidden)


def _held_out(text: str, share: float) -> bool:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def distillation_texts(reading: Reading, recipe: StudentRecipe) -> list[tuple[str, str, int]]:
    """(source, text as the model reads it, max windows) of the training sources only."""
    from . import datasets
    from .adapter import onet_job_texts, pseudo_resumes
    from .text import _tidy, prepare_job, prepare_resume

    onet = datasets.shared_data_dir() / "onet"
    out: list[tuple[str, str, int]] = []
    # O*NET texts hold no personal data: tidied only (as the adapter reads pseudo-resumes).
    for _, text in pseudo_resumes(onet, recipe.per_occupation, recipe.seed):
        out.append(("onet pseudo-resume", _tidy(text), reading.resume_windows))
    for text in onet_job_texts().values():
        out.append(("onet job", _tidy(text[: reading.read_chars]), reading.job_windows))
    split = datasets.category_split()
    for r in split.train_resumes:
        out.append(("training resume", prepare_resume(r.text, reading.read_chars), 8))
    for j in split.train_jobs:
        if not j.source.startswith("onet:"):
            out.append(("training job", prepare_job(j.text, reading.read_chars), 8))
    matching = datasets.matching_split(datasets.matching_resume_text())
    for labelled in matching.train:
        out.append(("matching training job", prepare_job(labelled.text, reading.read_chars), 8))
    unique: dict[str, tuple[str, str, int]] = {}
    for source, text, windows in out:
        if text and text not in unique:
            unique[text] = (source, text, windows)
    return list(unique.values())


@torch.no_grad()
def run_stacks(
    two: TwoStackEncoder, ids: list[list[int]], batch_size: int = 32, desc: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(plain, tuned) unit vectors of each window, batched by length."""
    from tqdm import tqdm

    pad = encoder.tokenizer().pad_token_id
    dims = encoder.HIDDEN_SIZE, int(two.tuned.head.out_features)
    plain = np.zeros((len(ids), dims[0]), dtype=np.float32)
    tuned = np.zeros((len(ids), dims[1]), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    device = next(two.parameters()).device
    two.eval()
    for start in tqdm(
        range(0, len(order), batch_size), desc=desc, unit="batch", disable=desc is None
    ):
        idx = order[start : start + batch_size]
        batch, mask = _pad([ids[i] for i in idx], pad)
        p, t = two(batch.to(device), mask.to(device))
        plain[idx], tuned[idx] = p.float().cpu().numpy(), t.float().cpu().numpy()
    return plain, tuned


def _pad(rows: list[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
        mask[i, : len(r)] = 1
    return ids, mask


@torch.no_grad()
def teacher_windows(
    teacher: TwoStackEncoder,
    texts: list[tuple[str, str, int]],
    reading: Reading,
    *,
    frozen: int = 0,
    progress: bool = False,
    batch_size: int = 32,
) -> Windows:
    """Every window of `texts`, the teacher's unit vectors of each, and (`frozen` > 0) the
    token states after its first `frozen` layers, which the student shares exactly."""
    from tqdm import tqdm

    ids: list[list[int]] = []
    sources: dict[str, int] = {}
    for source, text, windows in texts:
        found = reading.token_windows([text], windows)[0]
        ids += found
        sources[source] = sources.get(source, 0) + len(found)
    pad = encoder.tokenizer().pad_token_id
    plain = np.zeros((len(ids), encoder.HIDDEN_SIZE), dtype=np.float32)
    tuned = np.zeros((len(ids), int(teacher.tuned.head.out_features)), dtype=np.float32)
    hidden_rows: list[torch.Tensor | None] = [None] * len(ids)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    device = next(teacher.parameters()).device
    bert = teacher.tuned.base
    teacher.eval()
    bar = tqdm(total=len(ids), desc="teacher windows", unit="window", disable=not progress)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        batch, mask = _pad([ids[i] for i in idx], pad)
        batch, mask = batch.to(device), mask.to(device)
        hidden = bert.embeddings(input_ids=batch)
        layer_mask = encoder.layer_mask(bert, mask, hidden)
        hidden = encoder.run_blocks(bert.encoder.layer[:frozen], hidden, layer_mask)
        if frozen:
            for row, i in enumerate(idx):
                hidden_rows[i] = hidden[row, : len(ids[i])].half().cpu().clone()
        hidden = encoder.run_blocks(bert.encoder.layer[frozen : teacher.first], hidden, layer_mask)
        p, t = _tops(teacher, hidden, layer_mask, mask)
        plain[idx], tuned[idx] = p.float().cpu().numpy(), t.float().cpu().numpy()
        bar.update(len(idx))
    bar.close()
    kept = [h for h in hidden_rows if h is not None]
    return Windows(ids, plain, tuned, sources, kept)


def _tops(
    two: TwoStackEncoder, hidden: torch.Tensor, layer_mask: Any, mask: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """The two tops on the shared states, as `TwoStackEncoder.forward` runs them."""
    bert = two.tuned.base
    plain = encoder.run_blocks(two.plain_top, hidden, layer_mask)
    tuned = encoder.run_blocks(bert.encoder.layer[two.first :], hidden, layer_mask)
    plain_vec = encoder.mean_pool(plain, mask)
    tuned_vec = two.tuned.head(encoder.mean_pool(tuned, mask))
    return nn.functional.normalize(plain_vec, dim=-1), nn.functional.normalize(tuned_vec, dim=-1)


def from_frozen(
    two: TwoStackEncoder, rows: list[torch.Tensor], frozen: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """The student's (plain, tuned) vectors from cached states after its frozen layers."""
    device = next(two.parameters()).device
    width = max(r.shape[0] for r in rows)
    hidden = torch.zeros(len(rows), width, rows[0].shape[1], device=device)
    mask = torch.zeros(len(rows), width, dtype=torch.long, device=device)
    for i, r in enumerate(rows):
        hidden[i, : r.shape[0]] = r.to(device).float()
        mask[i, : r.shape[0]] = 1
    bert = two.tuned.base
    layer_mask = encoder.layer_mask(bert, mask, hidden)
    hidden = encoder.run_blocks(bert.encoder.layer[frozen : two.first], hidden, layer_mask)
    return _tops(two, hidden, layer_mask, mask)


def fidelity(two: TwoStackEncoder, windows: Windows) -> dict[str, float]:
    """Cosine of the student's window vectors with the teacher's: mean and minimum."""
    plain, tuned = run_stacks(two, windows.ids)
    cp = (plain * windows.plain).sum(1)
    ct = (tuned * windows.tuned).sum(1)
    return {
        "windows": len(windows.ids),
        "plain_mean": round(float(cp.mean()), 4),
        "plain_min": round(float(cp.min()), 4),
        "tuned_mean": round(float(ct.mean()), 4),
        "tuned_min": round(float(ct.min()), 4),
    }


# --- training ------------------------------------------------------------------------------


def _batches(lengths: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length (little padding): shuffle, sort within chunks of 50
    batches, cut, shuffle the batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out = []
    chunk = size * 50
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        out += [part[i : i + size] for i in range(0, len(part), size)]
    rng.shuffle(out)
    return out


def train_student(
    two: TwoStackEncoder,
    train: Windows,
    recipe: StudentRecipe,
    *,
    progress: bool,
    check: Windows | None = None,
) -> tuple[list[dict[str, Any]], dict[str, torch.Tensor]]:
    """Cosine loss to the teacher's plain and tuned window vectors; AdamW, linear warm-up
    and decay, fixed seed. Leaves `two` a plain (merged) student; returns per-epoch losses
    (and fidelity on `check`) and the saved form (`trained_state`)."""
    from tqdm import tqdm

    rng = random.Random(recipe.seed)
    torch.manual_seed(recipe.seed)
    names = add_lora(two, recipe)
    params = [p for p in two.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=recipe.learning_rate, weight_decay=0.0)
    per_epoch = math.ceil(len(train.ids) / recipe.batch_size)
    total = per_epoch * recipe.epochs
    warm = max(1, int(total * recipe.warmup))

    def factor(step: int) -> float:
        return (step + 1) / warm if step < warm else max(0.0, (total - step) / (total - warm))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, factor)
    pad = encoder.tokenizer().pad_token_id
    device = next(two.parameters()).device
    target_p = torch.from_numpy(train.plain)
    target_t = torch.from_numpy(train.tuned)
    history = []
    for epoch in range(recipe.epochs):
        two.train()
        losses = []
        bar = tqdm(
            _batches([len(r) for r in train.ids], recipe.batch_size, rng),
            desc=f"distil epoch {epoch + 1}/{recipe.epochs}",
            unit="batch",
            disable=not progress,
        )
        for idx in bar:
            if train.hidden:
                p, t = from_frozen(two, [train.hidden[i] for i in idx], recipe.frozen)
            else:
                ids, mask = _pad([train.ids[i] for i in idx], pad)
                p, t = two(ids.to(device), mask.to(device))
            loss = (1 - (p * target_p[idx].to(device)).sum(1)).mean() + (
                1 - (t * target_t[idx].to(device)).sum(1)
            ).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(float(loss.detach()))
            bar.set_postfix(loss=f"{np.mean(losses[-50:]):.4f}")
        row: dict[str, Any] = {"epoch": epoch + 1, "loss": round(float(np.mean(losses)), 5)}
        if check is not None:
            row["held_out"] = fidelity(two, check)
        history.append(row)
        if progress:
            print(json.dumps(row), file=sys.stderr)
    return history, _unwrap(two, names)


def _unwrap(two: TwoStackEncoder, names: list[str]) -> dict[str, torch.Tensor]:
    """Keep the wrappers' saved form aside, then merge each update into its linear (in place),
    so the student is a plain `TwoStackEncoder` again."""
    saved = trained_state(two, names)
    with torch.no_grad():
        for name in names:
            module = two.get_submodule(name)
            assert isinstance(module, LoraLinear)
            a, b = module.delta()
            module.base.weight.add_(b @ a)
            _set_module(two, name, module.base)
    for p in two.parameters():
        p.requires_grad_(False)
    two.eval()
    return saved


# --- a version ---------------------------------------------------------------------------


def _split_texts(
    texts: list[tuple[str, str, int]], reading: Reading, recipe: StudentRecipe
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """(the texts to train on, the held-out texts that check fidelity): every real text
    (resumes, postings, matching jobs), then O*NET texts in a seeded order up to the window
    budget."""
    train_texts = [t for t in texts if not _held_out(t[1], recipe.held_out)]
    check_texts = [t for t in texts if _held_out(t[1], recipe.held_out)]
    real = [t for t in train_texts if not t[0].startswith("onet")]
    onet = [t for t in train_texts if t[0].startswith("onet")]
    random.Random(recipe.seed).shuffle(onet)
    chosen = real + onet
    if recipe.max_windows:
        chosen, windows = [], 0
        for item in real + onet:
            if windows >= recipe.max_windows:
                break
            chosen.append(item)
            windows += len(reading.token_windows([item[1]], item[2])[0])
    return chosen, check_texts


def distil(
    *,
    teacher_version: str,
    version: str,
    recipe: StudentRecipe,
    registry: Any,
    progress: bool,
    command: str,
) -> dict[str, Any]:
    """Train the student of `teacher_version` and register it as `version` (not active)."""
    from safetensors.torch import save_file

    from .artefacts import load_fit_encoder
    from .model import FitModel

    started = time.monotonic()
    encoder.set_threads()
    torch.manual_seed(recipe.seed)
    teacher_path = registry.get("fit", teacher_version).path
    teacher_model = FitModel.from_path(teacher_path, runtime="torch")
    if teacher_model.reading is None or teacher_model.two_stack is None:
        raise ValueError(f"{teacher_version} is not a blend version: nothing to distil")
    reading = teacher_model.reading
    teacher = teacher_model.two_stack
    if tuple(recipe.shared[: recipe.frozen]) != tuple(range(recipe.frozen)):
        raise ValueError("frozen shared layers must be the teacher's first layers (0, 1, …)")
    chosen, check_texts = _split_texts(distillation_texts(reading, recipe), reading, recipe)
    train = teacher_windows(teacher, chosen, reading, frozen=recipe.frozen, progress=progress)
    check = teacher_windows(teacher, check_texts, reading)

    tuned = load_fit_encoder(registry.get("fit", teacher_model.meta["blend"]["fine_tuned"]).path)
    student = skeleton(tuned, recipe)
    before = fidelity(student, check)
    if progress:
        print(json.dumps({"held_out_before_training": before}), file=sys.stderr)
    history, state = train_student(student, train, recipe, progress=progress, check=check)
    trained_seconds = round(time.monotonic() - started, 1)

    _, out = registry.new_version_dir("fit", version)
    save_file(state, str(out / STUDENT_FILE))
    meta = copy.deepcopy(teacher_model.meta)
    meta.pop("selection", None)
    meta.pop("forced_activations", None)
    meta.update(
        {
            "version": version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": command,
            "student": {
                "teacher": teacher_version,
                "recipe": recipe.to_json_dict(),
                "layer_passes": {"student": recipe.layer_passes, "teacher": 8},
                "training_windows": train.sources,
                "held_out_windows": len(check.ids),
                "held_out_before_training": before,
                "history": history,
                "train_seconds": trained_seconds,
            },
        }
    )
    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    # What ships is what was measured: the held-out fidelity of the student as loaded.
    loaded = load_student(out, tuned)
    meta["student"]["held_out_after_loading"] = fidelity(loaded, check)
    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    write_card(out, meta)
    return {
        "version": version,
        "path": str(out),
        "active": False,
        "teacher": teacher_version,
        "layer_passes": recipe.layer_passes,
        "training_windows": len(train.ids),
        "held_out": meta["student"]["held_out_after_loading"],
        "seconds": round(time.monotonic() - started, 1),
    }


def write_card(out: Path, meta: dict[str, Any]) -> None:
    student = meta["student"]
    recipe = student["recipe"]
    text = f"""# Fit model {meta["version"]} (a distilled student of {student["teacher"]})

The teacher's blend (reading, weights, O*NET adapter, occupation profiles, calibration) with
its two stacks replaced by a smaller student: shared layers started from MiniLM's layers
{recipe["shared"]}, a plain top from MiniLM's layer(s) {recipe["plain_top"]}, a tuned top from
the fine-tuned layer(s) {recipe["tuned_top"]} + head: {student["layer_passes"]["student"]}
layer passes per window against the teacher's {student["layer_passes"]["teacher"]}.
Code: `mlcore/matching/student.py`.

- **Data**: windows of the fit model's training sources only (O*NET pseudo-resumes and job
  texts, the training parts of `resumes/`, the category jobs and the matching set):
  {json.dumps(student["training_windows"])}; {student["held_out_windows"]} windows of texts
  kept out by hash check fidelity. No evaluation source is read.
- **Training**: low-rank updates (rank {recipe["rank"]}) of every linear layer, biases,
  LayerNorms and head; cosine loss to the teacher's unit window vectors (plain + tuned),
  AdamW lr {recipe["learning_rate"]}, {recipe["epochs"]} epochs, batches of
  {recipe["batch_size"]}, seed {recipe["seed"]}; {student["train_seconds"]} s on this CPU.
- **Fidelity** (cosine with the teacher's window vectors on the held-out windows), before
  training: {json.dumps(student["held_out_before_training"])}; as shipped:
  {json.dumps(student.get("held_out_after_loading", {}))}.
- **Command**: `{meta["command"]}`
- **Date**: {meta["created_at"]}

Suite figures against the teacher: `python -m bench.fit_eval --candidate {meta["version"]}`
(docs/fit.md, "Speed and memory").
"""
    (out / "MODEL_CARD.md").write_text(text)


# --- `python -m mlcore distil-fit` -----------------------------------------------------------


def configure_distil_fit(sub: Any) -> None:
    defaults = StudentRecipe()
    cmd = sub.add_parser(
        "distil-fit",
        help="distil a blend fit version into a smaller student and register it (not active)",
        description="Train a student with fewer layers to give a blend version's window "
        "vectors (mlcore/matching/student.py); prints one JSON line. The student is "
        "registered, never activated: run bench.fit_eval --record, then models activate.",
    )
    cmd.add_argument("--teacher", required=True, help="a blend fit version")
    cmd.add_argument("--version", required=True, help="name of the new version")
    cmd.add_argument("--shared", default=",".join(map(str, defaults.shared)))
    cmd.add_argument("--plain-top", default=",".join(map(str, defaults.plain_top)))
    cmd.add_argument("--tuned-top", default=",".join(map(str, defaults.tuned_top)))
    cmd.add_argument("--frozen", type=int, default=defaults.frozen)
    cmd.add_argument("--rank", type=int, default=defaults.rank)
    cmd.add_argument("--epochs", type=int, default=defaults.epochs)
    cmd.add_argument("--batch-size", type=int, default=defaults.batch_size)
    cmd.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    cmd.add_argument("--max-windows", type=int, default=defaults.max_windows)
    cmd.add_argument("--per-occupation", type=int, default=defaults.per_occupation)
    cmd.add_argument("--seed", type=int, default=defaults.seed)
    cmd.add_argument("--quiet", action="store_true", help="no progress bars")
    cmd.set_defaults(run=_run_distil_fit)


def _layers(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


def _run_distil_fit(args: Any, out: Any) -> int:
    import shlex

    from mlcore.registry import Registry

    recipe = StudentRecipe(
        shared=_layers(args.shared),
        plain_top=_layers(args.plain_top),
        tuned_top=_layers(args.tuned_top),
        frozen=args.frozen,
        rank=args.rank,
        alpha=2.0 * args.rank,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        max_windows=args.max_windows,
        per_occupation=args.per_occupation,
        seed=args.seed,
    )
    summary = distil(
        teacher_version=args.teacher,
        version=args.version,
        recipe=recipe,
        registry=Registry(),
        progress=not args.quiet,
        command="python -m mlcore " + shlex.join(sys.argv[1:]),
    )
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    out.flush()
    return 0
