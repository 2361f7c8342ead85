"""Word attributions for the predicted class: integrated gradients over the token embeddings.

Integrated gradients (Sundararajan et al. 2017) with captum's LayerIntegratedGradients: the
path runs from a baseline where every real token is [PAD] (the [CLS]/[SEP] frame is kept) to
the answer, on the word-embedding layer only, so position embeddings are not interpolated.
Word pieces are summed into the words the answer was written with; weights are signed
(positive: pushed towards the predicted label) and scaled so the largest |weight| is 1.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import torch

from mlcore import encoder

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
