"""Whole texts, two stacks: windows over a long text, MiniLM's own and the fine-tuned top
layers on shared lower layers, pooled into one unit vector per text and stack.

MiniLM reads 256 word pieces at a time. A text longer than that is split into windows of at
most 256 (254 word pieces between [CLS] and [SEP]) that overlap a little; the last window ends
at the text's end, so every window is full. Each window is embedded and the unit window vectors
are averaged (optionally the first window counts more) and normalised again: one vector per
text, as the app stores. A text that fits one window gives exactly its plain embedding.

The fine-tuned model's LoRA adapters sit on MiniLM's top two layers only (`ADAPTED_LAYERS`),
so the lower four layers are the same in both: they run once per window, and only the top
layers run twice (MiniLM's own, and the fine-tuned ones followed by the head).
"""

from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np
import torch
from torch import nn

from mlcore import encoder

from .network import ADAPTED_LAYERS, FitEncoder

LAST_WINDOWS = ("end", "stride")


@dataclass(frozen=True)
class Reading:
    """How texts are read: windows of `max_length` word pieces overlapping by `overlap`, at
    most `resume_windows` per resume and `job_windows` per job (the rest of a longer text is
    not read), and `read_chars` characters blinded and tidied (enough for those windows).

    Pooling weighs window k by exp(sharpness·cos(plain window vector, job direction)),
    relative to the text's most job-like window, and the first window `first_weight` times
    more: windows about work (duties, skills) count more than availability, references or
    consent paragraphs. The job direction is the mean MiniLM embedding of the training jobs.
    sharpness 0 and first_weight 1 are a plain mean of the unit window vectors.

    `last_window`: "end" (every version before 2026-11-30's session 9) moves a text's last
    window back so that it ends at the text's end and is full; "stride" starts it at the
    regular step, so it holds only what is left (a resume of 255-476 word pieces no longer
    reads up to 208 of the first window's pieces again: 6 % fewer tokens on the bench's
    resumes, no cost on the OOD suite; docs/fit.md "Session 9: int8 speed").
    """

    max_length: int = 256
    overlap: int = 32
    resume_windows: int = 8
    job_windows: int = 8
    first_weight: float = 1.0
    sharpness: float = 0.0
    read_chars: int = 20000
    last_window: str = "end"

    def __post_init__(self) -> None:
        if self.last_window not in LAST_WINDOWS:
            raise ValueError(f"last_window {self.last_window!r}: one of {LAST_WINDOWS}")

    def to_json_dict(self) -> dict[str, Any]:
        return asdict(self)

    def token_windows(self, texts: list[str], max_windows: int) -> list[list[list[int]]]:
        """Each text's windows as this reading cuts them (at most `max_windows`)."""
        return token_windows(texts, self.max_length, self.overlap, max_windows, self.last_window)


def window_starts(
    n_tokens: int, body: int, overlap: int, max_windows: int, last_window: str = "end"
) -> list[int]:
    """Where each window starts (word pieces, [CLS]/[SEP] excluded); `body` tokens each, the
    last one full ("end") or what is left ("stride"; see `Reading.last_window`)."""
    if n_tokens <= body:
        return [0]
    stride = body - overlap
    needed = 1 + math.ceil((n_tokens - body) / stride)
    if needed <= max_windows and last_window == "end":
        # Regular steps, and the last window ends at the text's end (so it is full too).
        return [i * stride for i in range(needed - 1)] + [n_tokens - body]
    return [i * stride for i in range(min(needed, max_windows))]


def token_windows(
    texts: list[str], max_length: int, overlap: int, max_windows: int, last_window: str = "end"
) -> list[list[list[int]]]:
    """Each text's windows as token ids, with [CLS] and [SEP] as MiniLM expects."""
    tok = encoder.tokenizer()
    body = max_length - 2
    ids = tok(texts, add_special_tokens=False, truncation=False, verbose=False)["input_ids"]
    out = []
    for row in ids:
        starts = window_starts(len(row), body, overlap, max_windows, last_window)
        out.append([[tok.cls_token_id, *row[s : s + body], tok.sep_token_id] for s in starts])
    return out


class TwoStackEncoder(nn.Module):
    """MiniLM's lower layers, shared, then two tops: MiniLM's own (zero-shot) and the
    fine-tuned layers + head. Returns both unit vectors of each input."""

    def __init__(self, tuned: FitEncoder, plain_top: nn.ModuleList) -> None:
        super().__init__()
        self.tuned = tuned
        self.plain_top = plain_top
        self.first = ADAPTED_LAYERS[0]

    @classmethod
    def from_tuned(cls, tuned: FitEncoder) -> TwoStackEncoder:
        """`tuned` is a loaded fine-tuned encoder (adapters merged); MiniLM's own top layers
        come from a fresh copy of the base (the copy's lower layers are dropped)."""
        plain = encoder.load_base_model()
        top = nn.ModuleList(copy.deepcopy(plain.encoder.layer[ADAPTED_LAYERS[0] :]))
        device = next(tuned.parameters()).device
        return cls(tuned, top).to(device).eval()

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        bert = self.tuned.base
        hidden, mask = encoder.lower_layers(bert, input_ids, attention_mask, self.first)
        plain = encoder.run_blocks(self.plain_top, hidden, mask)
        tuned = encoder.run_blocks(bert.encoder.layer[self.first :], hidden, mask)
        plain_vec = encoder.mean_pool(plain, attention_mask)
        tuned_vec = self.tuned.head(encoder.mean_pool(tuned, attention_mask))
        return (
            nn.functional.normalize(plain_vec, dim=-1),
            nn.functional.normalize(tuned_vec, dim=-1),
        )


class StackRunner(Protocol):
    """The two stacks in another runtime (`runtime.OnnxTwoStack`): NumPy ids and mask in,
    (plain, tuned) unit vectors out."""

    dims: tuple[int, int]

    def __call__(
        self, input_ids: np.ndarray, attention_mask: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]: ...


class _TorchRunner:
    def __init__(self, model: TwoStackEncoder) -> None:
        self.model = model
        self.device = next(model.parameters()).device
        self.dims = encoder.HIDDEN_SIZE, int(model.tuned.head.out_features)

    @torch.no_grad()
    def __call__(
        self, input_ids: np.ndarray, attention_mask: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        ids = torch.from_numpy(input_ids).to(self.device)
        mask = torch.from_numpy(attention_mask).to(self.device)
        p, t = self.model(ids, mask)
        return p.float().cpu().numpy(), t.float().cpu().numpy()


def window_vectors(
    model: TwoStackEncoder | StackRunner,
    texts: list[str],
    *,
    max_windows: int,
    max_length: int = 256,
    overlap: int = 32,
    batch_size: int = 32,
    last_window: str = "end",
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per text: (plain, tuned) unit vectors of each of its windows, (windows × 384) each.
    `model` runs in PyTorch, or is a `StackRunner` (ONNX Runtime) fed the same batches."""
    windows = token_windows(texts, max_length, overlap, max_windows, last_window)
    flat = [(t, w) for t, ws in enumerate(windows) for w in ws]
    order = sorted(range(len(flat)), key=lambda i: len(flat[i][1]))
    run: StackRunner = model if not isinstance(model, TwoStackEncoder) else _TorchRunner(model)
    dim_plain, dim_tuned = run.dims
    plain = np.zeros((len(flat), dim_plain), dtype=np.float32)
    tuned = np.zeros((len(flat), dim_tuned), dtype=np.float32)
    pad = encoder.tokenizer().pad_token_id
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        width = max(len(flat[i][1]) for i in idx)
        ids = np.full((len(idx), width), pad, dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for row, i in enumerate(idx):
            tokens = flat[i][1]
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        plain[idx], tuned[idx] = run(ids, mask)
    out, at = [], 0
    for ws in windows:
        out.append((plain[at : at + len(ws)], tuned[at : at + len(ws)]))
        at += len(ws)
    return out


def window_weights(
    plain: np.ndarray, direction: np.ndarray | None, first_weight: float, sharpness: float
) -> np.ndarray:
    """Pooling weights of a text's windows (see `Reading`); they depend on the text only."""
    if sharpness and direction is not None:
        closeness = plain @ direction
        weights = np.exp(sharpness * (closeness - closeness.max()))
    else:
        weights = np.ones(len(plain))
    weights[0] *= first_weight
    return np.asarray(weights.astype(np.float32))


def pool(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """One unit vector from a text's unit window vectors (windows × dim)."""
    mean = (weights[:, None] * vectors).sum(0)
    return np.asarray((mean / max(float(np.linalg.norm(mean)), 1e-12)).astype(np.float32))


def pooled_pair(
    plain: np.ndarray,
    tuned: np.ndarray,
    *,
    windows: int,
    direction: np.ndarray | None,
    first_weight: float,
    sharpness: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The (plain, tuned) text vectors from the first `windows` of its window vectors; both
    stacks pool with the same weights."""
    plain, tuned = plain[:windows], tuned[:windows]
    weights = window_weights(plain, direction, first_weight, sharpness)
    return pool(plain, weights), pool(tuned, weights)


def blend(plain: np.ndarray, tuned: np.ndarray, w_plain: float) -> np.ndarray:
    """[√w·plain, √(1−w)·tuned]: for unit inputs the result is a unit vector, and the cosine
    of two blends is exactly w·cos_plain + (1−w)·cos_tuned (one matrix product ranks)."""
    return compose([(w_plain, plain), (1.0 - w_plain, tuned)])


def compose(parts: list[tuple[float, np.ndarray]]) -> np.ndarray:
    """[√w₁·v₁, √w₂·v₂, …] for unit vectors vᵢ and weights summing to 1: a unit vector whose
    dot product with another composed the same way is Σ wᵢ·(vᵢ·uᵢ). Weight-0 parts are left
    out, so they cost no storage."""
    kept = [np.sqrt(w) * np.asarray(v, dtype=np.float32) for w, v in parts if w > 0]
    return np.concatenate(kept, axis=-1).astype(np.float32)
