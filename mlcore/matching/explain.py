"""Why a resume got its fit score: word attributions on the resume (and the job).

Every method reads the blinded, tidied texts the model reads (`prepare_job` /
`prepare_resume`), through the fine-tuned encoder's first `max_length` word pieces
(`FitModel.encoder`), and gives one weight per word of the text's own (`mlcore.words`):
"Node.js," stays one word in its own casing, and words past the read limit get no weight.

* `contributions` (instant, one forward pass per text, the job's shared by a batch): the
  fit embedding is a linear map of the mean of the last layer's token states, so the
  cosine splits exactly into one term per token plus a bias term. Each word's share of the
  score, signed.
* `integrated_gradients` (on request, in a task): Captum's layer integrated gradients of
  the cosine over the word embeddings, from an all-[PAD] baseline to the text.
* `shap_words` (on request, in a task): Partition SHAP (Owen values) of the calibrated score
  over the resume's words, grouped by a tree of neighbouring words; a word "absent" is a word
  deleted. The evaluation budget keeps one explanation under 10 s on a 2-core CPU.
* `attention_rollout` (instant): where the model looked, not why: attention rolled out
  through the six layers (Abnar & Zuidema 2020), averaged over the token states the mean
  pooling reads. Unsigned, and it does not know the job.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from mlcore import encoder
from mlcore.attribution import neighbour_tree
from mlcore.words import to_words, token_words, word_spans, word_values

from .text import prepare_job, prepare_resume

# Partition SHAP's model evaluations per resume. Each is one forward pass of the encoder on
# the resume with some of its words deleted (about half, on average). 100 evaluations took
# 17.3 s on the shared 2-core CPU (load 5-7), over the 10 s goal; 50 take 0.57x the time of
# 100 in the same run, for a coarser split (docs/fit.md, "SHAP's budget").
SHAP_MAX_EVALS = 50
SHAP_BATCH = 50

_ATTENTION_LOCK = threading.Lock()


@dataclass
class Attribution:
    """Every word of the text in reading order; a signed weight in [-1, 1] for the words
    the model read, None for the rest."""

    words: list[str]
    weights: list[float | None]

    def pairs(self) -> list[list[Any]]:
        return [
            [w, None if x is None else round(float(x), 4)]
            for w, x in zip(self.words, self.weights, strict=True)
        ]

    @classmethod
    def from_pairs(cls, pairs: list[list[Any]]) -> Attribution:
        return cls([str(p[0]) for p in pairs], [p[1] for p in pairs])

    @property
    def read(self) -> int:
        """How many words (from the first) carry a weight."""
        return sum(1 for x in self.weights if x is not None)


def _encode(texts: list[str], max_length: int) -> Any:
    return encoder.tokenizer()(
        texts,
        padding=True,
        truncation=True,
        max_length=max_length,
        return_offsets_mapping=True,
        return_tensors="pt",
    )


def _attribution(text: str, offsets: Any, values: Any) -> Attribution:
    pairs = to_words(text, offsets.tolist(), np.asarray(values, dtype=np.float64).tolist())
    return Attribution.from_pairs(pairs)


@dataclass
class _Side:
    """One text's last-layer token states, seen through the head: all a cosine needs."""

    text: str
    offsets: torch.Tensor  # (real tokens, 2): characters of `text` each token came from
    projected: torch.Tensor  # (real tokens, dim): each token's image under the head
    pooled: torch.Tensor  # the head's output before normalising (mean of projected + bias)

    @property
    def vector(self) -> torch.Tensor:
        vector: torch.Tensor = self.pooled / self.pooled.norm()
        return vector

    def contributions(self, other: torch.Tensor) -> Attribution:
        """Each word's signed share of cosine(self, other); with the bias term they sum
        to the cosine exactly."""
        n = len(self.offsets)
        per_token = (self.projected / n) @ other / self.pooled.norm()
        return _attribution(self.text, self.offsets, per_token.cpu().numpy())


@torch.no_grad()
def _sides(model: Any, texts: list[str], max_length: int, batch_size: int = 16) -> list[_Side]:
    """One forward pass per text (batched, similar lengths together) for both the
    embedding and the per-token terms."""
    device = next(model.parameters()).device
    weight, bias = model.head.weight, model.head.bias
    out: list[_Side | None] = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        batch = _encode([texts[i] for i in idx], max_length)
        mask = batch["attention_mask"].to(device)
        hidden = model.base(
            input_ids=batch["input_ids"].to(device), attention_mask=mask
        ).last_hidden_state
        for row, i in enumerate(idx):
            n = int(mask[row].sum())
            projected = hidden[row, :n] @ weight.T
            out[i] = _Side(
                text=texts[i],
                offsets=batch["offset_mapping"][row, :n],
                projected=projected,
                pooled=projected.sum(0) / n + bias,
            )
    return out  # type: ignore[return-value]


@torch.no_grad()
def _embed(model: Any, text: str, max_length: int) -> torch.Tensor:
    batch = encoder.tokenize([text], max_length)
    device = next(model.parameters()).device
    ids, mask = batch["input_ids"].to(device), batch["attention_mask"].to(device)
    vector: torch.Tensor = model(ids, mask)[0]
    return vector


def contributions_many(
    fit_model: Any, job_text: str, resume_texts: list[str], *, prepared: bool = False
) -> list[dict[str, Attribution]]:
    """Exact per-word shares of the cosine, for each resume and for the job.

    The job is read once for all resumes. `prepared=True`: the texts are already blinded
    and tidied (`prepare_job` / `prepare_resume`, as the app stores them per resume).
    """
    model, length = fit_model.encoder, fit_model.max_length
    if not prepared:
        job_text = fit_model.prepare_job(job_text)
        resume_texts = [fit_model.prepare_resume(t) for t in resume_texts]
    (job,) = _sides(model, [job_text], length)
    return [
        {"resume": resume.contributions(job.vector), "job": job.contributions(resume.vector)}
        for resume in _sides(model, resume_texts, length)
    ]


def contributions(fit_model: Any, job_text: str, resume_text: str) -> dict[str, Attribution]:
    """Exact per-word shares of the cosine, for the resume and for the job."""
    return contributions_many(fit_model, job_text, [resume_text])[0]


def _prepared(fit_model: Any, job_text: str, resume_text: str, prepared: bool) -> tuple[str, str]:
    if prepared:
        return job_text, resume_text
    prep_job = getattr(fit_model, "prepare_job", prepare_job)
    prep_resume = getattr(fit_model, "prepare_resume", prepare_resume)
    return prep_job(job_text), prep_resume(resume_text)


def integrated_gradients(
    fit_model: Any, job_text: str, resume_text: str, n_steps: int = 24, *, prepared: bool = False
) -> dict[str, Attribution]:
    """Integrated gradients of the cosine w.r.t. each side's word embeddings
    (`prepared`: as for `contributions_many`)."""
    from captum.attr import LayerIntegratedGradients

    model, length = fit_model.encoder, fit_model.max_length
    device = next(model.parameters()).device
    job_text, resume_text = _prepared(fit_model, job_text, resume_text, prepared)
    texts = {"resume": resume_text, "job": job_text}
    fixed = {
        "resume": _embed(model, texts["job"], length),
        "job": _embed(model, texts["resume"], length),
    }
    pad_id = encoder.tokenizer().pad_token_id
    result: dict[str, Attribution] = {}
    for side, text in texts.items():
        batch = _encode([text], length)
        ids = batch["input_ids"].to(device)
        mask = batch["attention_mask"].to(device)
        other = fixed[side]

        def forward(
            input_ids: torch.Tensor, attention_mask: torch.Tensor, other: torch.Tensor = other
        ) -> torch.Tensor:
            scores: torch.Tensor = model(input_ids, attention_mask) @ other
            return scores

        baseline = torch.full_like(ids, pad_id)
        baseline[:, 0], baseline[:, -1] = ids[:, 0], ids[:, -1]  # keep [CLS] and [SEP]
        lig = LayerIntegratedGradients(forward, model.base.embeddings.word_embeddings)
        attributions = lig.attribute(
            ids, baselines=baseline, additional_forward_args=(mask,), n_steps=n_steps
        )
        per_token = attributions.sum(-1)[0].detach().cpu().numpy()
        result[side] = _attribution(text, batch["offset_mapping"][0], per_token)
    return result


# --- SHAP -----------------------------------------------------------------------------


class _WordDeleter:
    """Calibrated score of the resume with some of its read words deleted, in batches."""

    def __init__(self, fit_model: Any, job_vector: torch.Tensor, text: str) -> None:
        self.fit_model, self.job_vector = fit_model, job_vector
        batch = _encode([text], fit_model.max_length)
        ids = batch["input_ids"][0].tolist()
        index = token_words(word_spans(text), batch["offset_mapping"][0].tolist())
        self.read = max(index) + 1 if max(index, default=-1) >= 0 else 0
        self.pieces: list[list[int]] = [[] for _ in range(self.read)]
        for token, word in zip(ids, index, strict=True):
            if word >= 0:
                self.pieces[word].append(token)
        tok = encoder.tokenizer()
        self.cls, self.sep, self.pad = tok.cls_token_id, tok.sep_token_id, tok.pad_token_id
        self.calls = 0

    @torch.no_grad()
    def __call__(self, keep: np.ndarray) -> np.ndarray:
        """keep: (samples, read words), nonzero = the word stays. → scores 0–100."""
        model = self.fit_model.encoder
        device = next(model.parameters()).device
        rows = [
            [self.cls, *(t for w in np.flatnonzero(row) for t in self.pieces[w]), self.sep]
            for row in np.asarray(keep)
        ]
        self.calls += len(rows)
        cosines = np.zeros(len(rows), dtype=np.float64)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        for start in range(0, len(order), SHAP_BATCH):
            idx = order[start : start + SHAP_BATCH]
            width = max(len(rows[i]) for i in idx)
            ids = torch.full((len(idx), width), self.pad, dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for r, i in enumerate(idx):
                ids[r, : len(rows[i])] = torch.tensor(rows[i])
                mask[r, : len(rows[i])] = 1
            vectors = model(ids.to(device), mask.to(device))
            cosines[idx] = (vectors @ self.job_vector).double().cpu().numpy()
        return np.asarray(self.fit_model.calibrate(cosines), dtype=np.float64)


def shap_words(
    fit_model: Any,
    job_text: str,
    resume_text: str,
    *,
    max_evals: int = SHAP_MAX_EVALS,
    prepared: bool = False,
) -> dict[str, Attribution]:
    """Partition SHAP values of the calibrated score (0–100) over the resume's read words.

    Deleting every read word gives the base value; the values of all words add up to the
    score minus that base (Owen values on a tree of neighbouring words, so words inside a
    group the budget did not split share its value). Resume only: the job is held fixed.
    """
    import shap

    job_text, resume_text = _prepared(fit_model, job_text, resume_text, prepared)
    job_vector = _embed(fit_model.encoder, job_text, fit_model.max_length)
    deleter = _WordDeleter(fit_model, job_vector, resume_text)
    n = deleter.read
    if n < 2:
        values = deleter(np.ones((1, n))) - deleter(np.zeros((1, n))) if n else np.zeros(0)
        return {"resume": Attribution.from_pairs(word_values(resume_text, n, list(values)))}
    masker = shap.maskers.Partition(np.zeros((1, n)), clustering=neighbour_tree(n))
    explainer = shap.PartitionExplainer(deleter, masker)
    explained = explainer(np.ones((1, n)), max_evals=max_evals, silent=True, batch_size=SHAP_BATCH)
    values = np.asarray(explained.values[0], dtype=np.float64)
    return {"resume": Attribution.from_pairs(word_values(resume_text, n, values.tolist()))}


# --- attention ------------------------------------------------------------------------


@torch.no_grad()
def _rollout(model: Any, text: str, max_length: int) -> Attribution:
    bert = model.base
    device = next(model.parameters()).device
    batch = _encode([text], max_length)
    ids, mask = batch["input_ids"].to(device), batch["attention_mask"].to(device)
    # SDPA attention does not hand its weights out: eager attention (the same numbers) for
    # this one pass, then back.
    with _ATTENTION_LOCK:
        before = bert.config._attn_implementation
        bert.set_attn_implementation("eager")
        try:
            out = bert(input_ids=ids, attention_mask=mask, output_attentions=True)
        finally:
            bert.set_attn_implementation(before)
    n = ids.shape[1]
    eye = torch.eye(n, device=device)
    rolled = eye
    for layer in out.attentions:
        a = 0.5 * layer[0].mean(0) + 0.5 * eye  # the residual path, as in the paper
        a = a / a.sum(-1, keepdim=True)
        rolled = a @ rolled
    # Mean pooling reads every token state equally: how much each input token flows into
    # the pooled vector.
    per_token = rolled.mean(0).cpu().numpy()
    return _attribution(text, batch["offset_mapping"][0], per_token)


def attention_rollout(
    fit_model: Any, job_text: str, resume_text: str, *, prepared: bool = False
) -> dict[str, Attribution]:
    """Attention rollout on each text: where the model looked (0–1, unsigned), not why."""
    job_text, resume_text = _prepared(fit_model, job_text, resume_text, prepared)
    model, length = fit_model.encoder, fit_model.max_length
    return {
        "resume": _rollout(model, resume_text, length),
        "job": _rollout(model, job_text, length),
    }


METHODS = ("contribution", "integrated_gradients", "shap", "attention")


def explain(
    fit_model: Any, method: str, job_text: str, resume_text: str, *, prepared: bool = False
) -> dict[str, Attribution]:
    """One method by name (`METHODS`)."""
    if method == "contribution":
        if not prepared:
            job_text, resume_text = _prepared(fit_model, job_text, resume_text, False)
        return contributions_many(fit_model, job_text, [resume_text], prepared=True)[0]
    if method == "integrated_gradients":
        return integrated_gradients(fit_model, job_text, resume_text, prepared=prepared)
    if method == "shap":
        return shap_words(fit_model, job_text, resume_text, prepared=prepared)
    if method == "attention":
        return attention_rollout(fit_model, job_text, resume_text, prepared=prepared)
    raise ValueError(f"unknown explanation method {method!r}; one of {', '.join(METHODS)}")


__all__ = [
    "METHODS",
    "Attribution",
    "attention_rollout",
    "contributions",
    "contributions_many",
    "explain",
    "integrated_gradients",
    "shap_words",
]
