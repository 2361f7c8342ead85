"""Word attributions for a survey answer's label: integrated gradients, SHAP, attention rollout.

* Integrated gradients (Sundararajan et al. 2017) with captum's LayerIntegratedGradients: the
path runs from a baseline where every real token is [PAD] (the [CLS]/[SEP] frame is kept) to
the answer, on the word-embedding layer only, so position embeddings are not interpolated.
Word pieces are summed into the words the answer was written with; weights are signed
(positive: pushed towards the predicted label) and scaled so the largest |weight| is 1.
* `shap_words`: Partition SHAP (Owen values) of the label's calibrated probability over the
  answer's words, grouped by a tree of neighbouring words; a word "absent" is a word deleted
  (its pieces left out of the model's input). Signed, like integrated gradients.
* `attention_rollout`: where the model looked, not why: attention rolled out through the
  layers (Abnar & Zuidema 2020), averaged over the token states the mean pooling reads (and,
  for an ensemble, over its members). Unsigned.

SHAP and attention weigh the text's own whitespace-separated words (`mlcore.words`): words past
the model's read limit get `None`. `explain_method` runs one method by name (`METHODS`).
"""

from __future__ import annotations

import html
import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from mlcore import encoder
from mlcore.attribution import neighbour_tree
from mlcore.words import to_words, token_words, word_spans, word_values

if TYPE_CHECKING:
    from mlcore.sentiment.model import SentimentModel

# 8 interpolation steps, run as one batch (one forward + one backward per answer). Through
# the 5-member ensemble on one CPU thread: about 1 s for a 600-character review (16 steps:
# 3.1 s); survey answers are shorter. Word ranks barely move between 8 and 50 steps on
# answers of survey length (tests/mlcore/test_sentiment.py checks the top words).
N_STEPS = 8


def _words(
    text: str, offsets: list[tuple[int, int]], scores: list[float]
) -> list[tuple[str, float]]:
    """Sum word pieces (and punctuation glued to a word) into whitespace-separated words."""
    words: list[tuple[int, int, float]] = []
    for (start, end), score in zip(offsets, scores, strict=True):
        if start == end:  # [CLS], [SEP], padding
            continue
        if words and start == words[-1][1]:
            first, _, total = words[-1]
            words[-1] = (first, end, total + score)
        else:
            words.append((start, end, score))
    return [(text[s:e], w) for s, e, w in words]


def explain_text(
    model: SentimentModel, text: str, *, target: int, n_steps: int = N_STEPS
) -> list[tuple[str, float]]:
    """Signed word weights for class `target` of `model` on `text`, max |weight| = 1."""
    from captum.attr import LayerIntegratedGradients

    tok = encoder.tokenizer()
    enc = tok(
        text,
        truncation=True,
        max_length=model.max_length,
        return_offsets_mapping=True,
        return_tensors="pt",
    )
    dev = encoder.device()
    ids = enc["input_ids"].to(dev)
    mask = enc["attention_mask"].to(dev)
    special = (ids == tok.cls_token_id) | (ids == tok.sep_token_id)
    baseline = torch.where(special, ids, torch.full_like(ids, tok.pad_token_id))
    ig = LayerIntegratedGradients(model.calibrated_probs, model.net.body.embeddings.word_embeddings)
    with torch.enable_grad():
        attributions = ig.attribute(
            ids,
            baselines=baseline,
            additional_forward_args=(mask,),
            target=target,
            n_steps=n_steps,
            internal_batch_size=n_steps,
        )
    scores = attributions.sum(-1).squeeze(0).detach().cpu().tolist()
    offsets = [tuple(pair) for pair in enc["offset_mapping"][0].tolist()]
    words = _words(text, offsets, scores)
    peak = max((abs(w) for _, w in words), default=0.0)
    if peak == 0.0:
        return [(word, 0.0) for word, _ in words]
    return [(word, w / peak) for word, w in words]


# Answers explained together: integrated gradients of one answer is a batch of N_STEPS copies,
# too small to keep two CPU cores busy; several answers in one batch cost about a third as
# much per answer (docs/sentiment.md, "Explanations").
EXPLAIN_BATCH = 8


def explain_texts(
    model: SentimentModel,
    texts: list[str],
    *,
    targets: list[int],
    n_steps: int = N_STEPS,
    batch_size: int = EXPLAIN_BATCH,
) -> list[list[tuple[str, float]]]:
    """`explain_text` for several answers at once (`targets[i]` is text i's class).

    Each answer's gradient flows only through its own row (padding is masked and is its own
    baseline, so it gets no weight): the weights equal one-at-a-time runs up to float noise.
    """
    from captum.attr import LayerIntegratedGradients

    if len(texts) != len(targets):
        raise ValueError("one target per text")
    tok = encoder.tokenizer()
    dev = encoder.device()
    ig = LayerIntegratedGradients(model.calibrated_probs, model.net.body.embeddings.word_embeddings)
    out: list[list[tuple[str, float]]] = []
    for start in range(0, len(texts), batch_size):
        chunk = texts[start : start + batch_size]
        enc = tok(
            chunk,
            padding=True,
            truncation=True,
            max_length=model.max_length,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        ids = enc["input_ids"].to(dev)
        mask = enc["attention_mask"].to(dev)
        keep = (ids == tok.cls_token_id) | (ids == tok.sep_token_id) | (mask == 0)
        baseline = torch.where(keep, ids, torch.full_like(ids, tok.pad_token_id))
        with torch.enable_grad():
            attributions = ig.attribute(
                ids,
                baselines=baseline,
                additional_forward_args=(mask,),
                target=list(targets[start : start + batch_size]),
                n_steps=n_steps,
                internal_batch_size=n_steps * len(chunk),
            )
        all_scores = attributions.sum(-1).detach().cpu().tolist()
        for row, text in enumerate(chunk):
            offsets = [tuple(pair) for pair in enc["offset_mapping"][row].tolist()]
            out.append(_scaled(_words(text, offsets, all_scores[row])))
    return out


def _scaled(words: list[tuple[str, float]]) -> list[tuple[str, float]]:
    peak = max((abs(w) for _, w in words), default=0.0)
    if peak == 0.0:
        return [(word, 0.0) for word, _ in words]
    return [(word, w / peak) for word, w in words]


def highlight_html(attributions: list[tuple[str, float]], label: str = "") -> str:
    """The answer as HTML: each word in a <mark> tinted by its weight (escaped, safe to embed).

    Red or green follows the sign relative to the predicted label: a word that pushed a
    "negative" prediction is red, one that pushed "positive" green, one that held it back grey.
    """
    parts = []
    for word, weight in attributions:
        alpha = round(min(abs(weight), 1.0), 2)
        if alpha < 0.05:
            parts.append(html.escape(word))
            continue
        if weight < 0:
            colour = "128,128,128"
        elif label == "negative":
            colour = "220,38,38"
        elif label == "positive":
            colour = "22,163,74"
        else:
            colour = "202,138,4"
        parts.append(
            f'<mark style="background: rgba({colour},{alpha})" '
            f'title="{weight:+.2f}">{html.escape(word)}</mark>'
        )
    return " ".join(parts)


# --- SHAP and attention rollout --------------------------------------------------------------

# Partition SHAP's model evaluations per answer: each is the answer with some of its words
# deleted, all run through the model in batches of SHAP_BATCH. Enough to split a survey
# answer's ~30 words down to single words; docs/sentiment.md ("Explanation methods compared")
# measures the seconds per answer against the 2 s goal.
SHAP_MAX_EVALS = 64
SHAP_BATCH = 64

METHODS = ("integrated_gradients", "shap", "attention")

_ATTENTION_LOCK = threading.Lock()

Pairs = list[list[Any]]  # [[word, weight or None], ...] over every word of the text


class WordDeleter:
    """The calibrated probability of one label for the answer with some of its read words
    deleted, in batches. `read`: how many words (from the first) the model reads."""

    def __init__(self, model: SentimentModel, text: str, target: int) -> None:
        self.model, self.target = model, target
        tok = encoder.tokenizer()
        enc = tok(text, truncation=True, max_length=model.max_length, return_offsets_mapping=True)
        index = token_words(word_spans(text), enc["offset_mapping"])
        self.read = max(index) + 1 if max(index, default=-1) >= 0 else 0
        self.pieces: list[list[int]] = [[] for _ in range(self.read)]
        for token, word in zip(enc["input_ids"], index, strict=True):
            if word >= 0:
                self.pieces[word].append(int(token))
        self.cls, self.sep, self.pad = tok.cls_token_id, tok.sep_token_id, tok.pad_token_id

    @torch.inference_mode()
    def __call__(self, keep: np.ndarray) -> np.ndarray:
        """keep: (samples, read words), nonzero = the word stays. -> probabilities."""
        rows = [
            [self.cls, *(t for w in np.flatnonzero(row) for t in self.pieces[w]), self.sep]
            for row in np.asarray(keep)
        ]
        out = np.zeros(len(rows), dtype=np.float64)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        dev = encoder.device()
        for start in range(0, len(order), SHAP_BATCH):
            idx = order[start : start + SHAP_BATCH]
            width = max(len(rows[i]) for i in idx)
            ids = torch.full((len(idx), width), self.pad, dtype=torch.long)
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for r, i in enumerate(idx):
                ids[r, : len(rows[i])] = torch.tensor(rows[i])
                mask[r, : len(rows[i])] = 1
            probs = self.model.calibrated_probs(ids.to(dev), mask.to(dev))
            out[idx] = probs[:, self.target].double().cpu().numpy()
        return out


def shap_words(
    model: SentimentModel, text: str, *, target: int, max_evals: int = SHAP_MAX_EVALS
) -> Pairs:
    """Partition SHAP values of class `target`'s calibrated probability over the read words,
    scaled so the largest |value| is 1 (the unscaled values add up to the probability minus
    that of the answer with every read word deleted)."""
    import shap

    deleter = WordDeleter(model, text, target)
    n = deleter.read
    if n < 2:
        values = deleter(np.ones((1, n))) - deleter(np.zeros((1, n))) if n else np.zeros(0)
        return word_values(text, n, [float(v) for v in values])
    masker = shap.maskers.Partition(np.zeros((1, n)), clustering=neighbour_tree(n))
    explainer = shap.PartitionExplainer(deleter, masker)
    explained = explainer(np.ones((1, n)), max_evals=max_evals, silent=True, batch_size=SHAP_BATCH)
    return word_values(text, n, np.asarray(explained.values[0], dtype=np.float64).tolist())


def _attention_blocks(net: Any) -> tuple[list[Any], list[list[Any]]]:
    """The encoder layers every input runs through, then each member's own layers (one
    network: all its layers are shared and it is its own single member)."""
    body = net.body
    if hasattr(net, "tops"):
        return list(body.encoder.layer[: net.first]), [list(top) for top in net.tops]
    return list(body.encoder.layer), [[]]


@torch.inference_mode()
def attention_rollout(model: SentimentModel, text: str) -> Pairs:
    """How much each read word flows into the pooled vector through the attention layers
    (0-1, unsigned; scaled so the largest is 1): where the model looked, not why."""
    tok = encoder.tokenizer()
    enc = tok(
        text,
        truncation=True,
        max_length=model.max_length,
        return_offsets_mapping=True,
        return_tensors="pt",
    )
    dev = encoder.device()
    shared, members = _attention_blocks(model.net)
    seen: dict[int, torch.Tensor] = {}

    def keep(module: Any, _args: Any, output: Any) -> None:
        seen[id(module)] = output[1][0].mean(0)  # (tokens, tokens), averaged over heads

    attention = [b.attention.self for b in shared + [b for m in members for b in m]]
    hooks = [a.register_forward_hook(keep) for a in attention]
    configs = {id(a.config): a.config for a in attention}.values()
    # SDPA does not hand out its weights: eager attention (the same numbers) for this pass.
    with _ATTENTION_LOCK:
        before = [c._attn_implementation for c in configs]
        try:
            for c in configs:
                c._attn_implementation = "eager"
            model.net(enc["input_ids"].to(dev), enc["attention_mask"].to(dev))
        finally:
            for c, b in zip(configs, before, strict=True):
                c._attn_implementation = b
            for h in hooks:
                h.remove()
    n = enc["input_ids"].shape[1]
    eye = torch.eye(n, device=dev)

    def roll(blocks: list[Any], start: torch.Tensor) -> torch.Tensor:
        rolled = start
        for block in blocks:
            a = 0.5 * seen[id(block.attention.self)] + 0.5 * eye  # the residual path
            rolled = (a / a.sum(-1, keepdim=True)) @ rolled
        return rolled

    below = roll(shared, eye)
    per_token = torch.stack([roll(m, below).mean(0) for m in members]).mean(0)
    return to_words(text, enc["offset_mapping"][0].tolist(), per_token.cpu().tolist())


def explain_method(model: SentimentModel, method: str, text: str, *, target: int) -> Pairs:
    """One method by name (`METHODS`) for class `target`: [[word, weight or None], ...]."""
    if method == "integrated_gradients":
        return [[w, round(x, 4)] for w, x in explain_text(model, text, target=target)]
    if method == "shap":
        return shap_words(model, text, target=target)
    if method == "attention":
        return attention_rollout(model, text)
    raise ValueError(f"unknown explanation method {method!r}; one of {', '.join(METHODS)}")
