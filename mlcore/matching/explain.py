"""Why a resume got its fit score: signed word attributions on the resume and the job.

Two methods, both on the blinded texts the model actually read:

* `contributions` (instant, one forward pass per text, the job's shared by a batch): the
  fit embedding is a linear map of the mean of the last layer's token states, so the
  cosine splits exactly into one term per token plus a bias term. Each word's share of the
  score, signed.
* `integrated_gradients` (slower; computed in a task on request): Captum's layer
  integrated gradients over the word embeddings, from an all-[PAD] baseline to the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from mlcore import encoder

from .text import prepare_job, prepare_resume


@dataclass
class Attribution:
    """Words in reading order with signed weights scaled to [-1, 1]."""

    words: list[str]
    weights: list[float]

    def pairs(self) -> list[list[Any]]:
        return [[w, round(float(x), 4)] for w, x in zip(self.words, self.weights, strict=True)]


def _merge_pieces(tokens: list[str], values: np.ndarray) -> tuple[list[str], np.ndarray]:
    """WordPiece → words: "##" continuations join the word before, weights add up."""
    words: list[str] = []
    sums: list[float] = []
    for token, value in zip(tokens, values, strict=True):
        if token in ("[CLS]", "[SEP]", "[PAD]"):
            continue
        if token.startswith("##") and words:
            words[-1] += token[2:]
            sums[-1] += float(value)
        else:
            words.append(token)
            sums.append(float(value))
    return words, np.array(sums)


def _scaled(values: np.ndarray) -> np.ndarray:
    peak = float(np.abs(values).max()) if values.size else 0.0
    return values / peak if peak > 0 else values


@dataclass
class _Side:
    """One text's last-layer token states, seen through the head: all a cosine needs."""

    tokens: list[str]
    projected: torch.Tensor  # (real tokens, dim): each token's image under the head
    pooled: torch.Tensor  # the head's output before normalising (mean of projected + bias)

    @property
    def vector(self) -> torch.Tensor:
        return self.pooled / self.pooled.norm()

    def contributions(self, other: torch.Tensor) -> Attribution:
        """Each word's signed share of cosine(self, other); with the bias term they sum
        to the cosine exactly."""
        per_token = (self.projected / len(self.tokens)) @ other / self.pooled.norm()
        words, values = _merge_pieces(self.tokens, per_token.cpu().numpy())
        return Attribution(words, _scaled(values).tolist())


@torch.no_grad()
def _sides(model: Any, texts: list[str], max_length: int, batch_size: int = 16) -> list[_Side]:
    """One forward pass per text (batched, similar lengths together) for both the
    embedding and the per-token terms."""
    device = next(model.parameters()).device
    weight, bias = model.head.weight, model.head.bias
    tokenizer = encoder.tokenizer()
    out: list[_Side | None] = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        batch = encoder.tokenize([texts[i] for i in idx], max_length)
        mask = batch["attention_mask"].to(device)
        hidden = model.base(
            input_ids=batch["input_ids"].to(device), attention_mask=mask
        ).last_hidden_state
        for row, i in enumerate(idx):
            n = int(mask[row].sum())
            projected = hidden[row, :n] @ weight.T
            out[i] = _Side(
                tokens=tokenizer.convert_ids_to_tokens(batch["input_ids"][row, :n]),
                projected=projected,
                pooled=projected.sum(0) / n + bias,
            )
    return out  # type: ignore[return-value]


@torch.no_grad()
def _embed(model: Any, text: str, max_length: int) -> torch.Tensor:
    batch = encoder.tokenize([text], max_length)
    device = next(model.parameters()).device
    return model(batch["input_ids"].to(device), batch["attention_mask"].to(device))[0]


def contributions_many(
    fit_model: Any, job_text: str, resume_texts: list[str], *, prepared: bool = False
) -> list[dict[str, Attribution]]:
    """Exact per-word shares of the cosine, for each resume and for the job.

    The job is read once for all resumes. `prepared=True`: the texts are already blinded
    and tidied (`prepare_job` / `prepare_resume`, as the app stores them per resume).
    """
    model, length = fit_model.encoder, fit_model.max_length
    if not prepared:
        job_text = prepare_job(job_text)
        resume_texts = [prepare_resume(t) for t in resume_texts]
    (job,) = _sides(model, [job_text], length)
    return [
        {"resume": resume.contributions(job.vector), "job": job.contributions(resume.vector)}
        for resume in _sides(model, resume_texts, length)
    ]


def contributions(fit_model: Any, job_text: str, resume_text: str) -> dict[str, Attribution]:
    """Exact per-word shares of the cosine, for the resume and for the job."""
    return contributions_many(fit_model, job_text, [resume_text])[0]


def integrated_gradients(
    fit_model: Any, job_text: str, resume_text: str, n_steps: int = 24, *, prepared: bool = False
) -> dict[str, Attribution]:
    """Integrated gradients of the cosine w.r.t. each side's word embeddings
    (`prepared`: as for `contributions_many`)."""
    from captum.attr import LayerIntegratedGradients

    model, length = fit_model.encoder, fit_model.max_length
    device = next(model.parameters()).device
    if not prepared:
        job_text, resume_text = prepare_job(job_text), prepare_resume(resume_text)
    texts = {"resume": resume_text, "job": job_text}
    fixed = {
        "resume": _embed(model, texts["job"], length),
        "job": _embed(model, texts["resume"], length),
    }
    pad_id = encoder.tokenizer().pad_token_id
    result: dict[str, Attribution] = {}
    for side, text in texts.items():
        batch = encoder.tokenize([text], length)
        ids = batch["input_ids"].to(device)
        mask = batch["attention_mask"].to(device)
        other = fixed[side]

        def forward(
            input_ids: torch.Tensor, attention_mask: torch.Tensor, other=other
        ) -> torch.Tensor:
            return model(input_ids, attention_mask) @ other

        baseline = torch.full_like(ids, pad_id)
        baseline[:, 0], baseline[:, -1] = ids[:, 0], ids[:, -1]  # keep [CLS] and [SEP]
        lig = LayerIntegratedGradients(forward, model.base.embeddings.word_embeddings)
        attributions = lig.attribute(
            ids, baselines=baseline, additional_forward_args=(mask,), n_steps=n_steps
        )
        per_token = attributions.sum(-1)[0].detach().cpu().numpy()
        tokens = encoder.tokenizer().convert_ids_to_tokens(ids[0])
        words, values = _merge_pieces(tokens, per_token)
        result[side] = Attribution(words, _scaled(values).tolist())
    return result
