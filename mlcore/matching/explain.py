"""Why a resume got its fit score: signed word attributions on the resume and the job.

Two methods, both on the blinded texts the model actually read:

* `contributions` (instant, one forward pass per side): the fit embedding is a linear map
  of the mean of the last layer's token states, so the cosine splits exactly into one
  term per token plus a bias term. Each word's share of the score, signed.
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


def _token_states(
    model: Any, text: str, max_length: int
) -> tuple[list[str], torch.Tensor, torch.Tensor]:
    batch = encoder.tokenize([text], max_length)
    device = next(model.parameters()).device
    mask = batch["attention_mask"].to(device)
    hidden = model.base(
        input_ids=batch["input_ids"].to(device), attention_mask=mask
    ).last_hidden_state
    tokens = encoder.tokenizer().convert_ids_to_tokens(batch["input_ids"][0])
    return tokens, hidden[0], mask[0]


@torch.no_grad()
def _side_contributions(model: Any, text: str, other: torch.Tensor, max_length: int) -> Attribution:
    tokens, hidden, mask = _token_states(model, text, max_length)
    n = mask.sum()
    weight, bias = model.head.weight, model.head.bias
    projected = hidden @ weight.T  # per-token image under the head (no bias)
    pooled = projected.sum(0) / n + bias
    norm = pooled.norm()
    per_token = (projected / n) @ other / norm  # sums (with the bias term) to the cosine
    per_token = per_token * mask
    words, values = _merge_pieces(tokens, per_token.cpu().numpy())
    return Attribution(words, _scaled(values).tolist())


@torch.no_grad()
def _embed(model: Any, text: str, max_length: int) -> torch.Tensor:
    batch = encoder.tokenize([text], max_length)
    device = next(model.parameters()).device
    return model(batch["input_ids"].to(device), batch["attention_mask"].to(device))[0]


def contributions(fit_model: Any, job_text: str, resume_text: str) -> dict[str, Attribution]:
    """Exact per-word shares of the cosine, for the resume and for the job."""
    model, length = fit_model.encoder, fit_model.max_length
    job, resume = prepare_job(job_text), prepare_resume(resume_text)
    job_vec, resume_vec = _embed(model, job, length), _embed(model, resume, length)
    return {
        "resume": _side_contributions(model, resume, job_vec, length),
        "job": _side_contributions(model, job, resume_vec, length),
    }


def integrated_gradients(
    fit_model: Any, job_text: str, resume_text: str, n_steps: int = 24
) -> dict[str, Attribution]:
    """Integrated gradients of the cosine w.r.t. each side's word embeddings."""
    from captum.attr import LayerIntegratedGradients

    model, length = fit_model.encoder, fit_model.max_length
    device = next(model.parameters()).device
    texts = {"resume": prepare_resume(resume_text), "job": prepare_job(job_text)}
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
