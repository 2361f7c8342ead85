"""The batched analysis (`SentimentModel.analyse`) gives what one answer at a time gives:
the same labels, probabilities and topics, and the comment-insights embedding of
`mlcore.sentiment.insights.embed`, whether or not it comes from the sentiment pass."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from mlcore import encoder
from mlcore.sentiment import get_model
from mlcore.sentiment.insights import embed, vector_bytes, vectors_from_bytes
from mlcore.sentiment.model import EnsembleNet, merged_top_layers
from mlcore.sentiment.topics import EMBED_MAX_LENGTH, get_tagger

# Lengths from two words to well over EMBED_MAX_LENGTH tokens (truncated the same way), so a
# batch pads, and is reordered longest first, as a survey's batches are.
TEXTS = [
    "Fine.",
    "The pay is terrible, my manager ignores me and I am exhausted every week.",
    "Great colleagues and a manager who really supports my growth.",
    "Too many meetings; however the tools are good and the office is nice.",
    "I love my team. " * 5 + "But the commute is long and parking costs a fortune.",
    "Management changes priorities every week, nobody explains why, and the deadlines "
    "are impossible. " * 10,
    "ok",
    "Benefits are generous, but promotions go to the manager's friends.",
]


@pytest.fixture(scope="module")
def model():
    return get_model()


def _one_by_one(model, texts):
    results = [model.predict([t])[0] for t in texts]
    vectors = np.concatenate([embed([t]) for t in texts])
    return results, vectors


def test_batched_analysis_equals_one_answer_at_a_time(model):
    assert len(encoder.tokenize([TEXTS[5]], 512)["input_ids"][0]) > EMBED_MAX_LENGTH
    results, vectors = model.analyse(TEXTS)
    alone, alone_vectors = _one_by_one(model, TEXTS)
    assert [r.label for r in results] == [r.label for r in alone]
    assert [r.topics for r in results] == [r.topics for r in alone]
    assert any(r.topics for r in results)  # the texts do name topics
    for got, want in zip(results, alone, strict=True):
        assert got.model_version == want.model_version == model.version
        assert got.probs == pytest.approx(want.probs, abs=1e-5)
    assert vectors.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(vectors, alone_vectors, atol=1e-5)
    # Stored as float16: the same to within one float16 step of a unit vector's entries.
    stored = vectors_from_bytes([vector_bytes(v) for v in vectors])
    np.testing.assert_allclose(stored, alone_vectors, atol=2e-3)


def test_the_separate_embedding_pass_gives_the_same_as_the_shared_one(model, monkeypatch):
    shared_results, shared_vectors = model.analyse(TEXTS)
    monkeypatch.setattr(type(model), "shares_embeddings", lambda self: False)
    results, vectors = model.analyse(TEXTS)
    assert [r.label for r in results] == [r.label for r in shared_results]
    np.testing.assert_allclose(vectors, shared_vectors, atol=1e-5)


def test_analyse_refuses_a_blank_text_like_predict(model):
    with pytest.raises(ValueError, match="text 1 is empty"):
        model.analyse(["Good.", "   "])
    results, vectors = model.analyse([])
    assert results == [] and vectors.shape == (0, 384)


def test_an_ensembles_own_pass_embeds_like_the_base_encoder():
    """Independent of which version is active: an ensemble's body is the plain base
    encoder, so its top layers on the shared states give the tagger's embedding."""
    torch.manual_seed(3)
    base = encoder.load_base_model().eval()
    lora = {}  # no update: the member's top layers are copies; heads are random
    heads = [torch.nn.Linear(encoder.HIDDEN_SIZE, 5) for _ in range(2)]
    net = EnsembleNet(base, [merged_top_layers(base, lora) for _ in heads], heads).eval()
    enc = encoder.tokenize(TEXTS, EMBED_MAX_LENGTH)
    with torch.inference_mode():
        log_probs, vectors = net.forward_and_embed(enc["input_ids"], enc["attention_mask"])
        plain = net(enc["input_ids"], enc["attention_mask"])
    torch.testing.assert_close(log_probs, plain)
    np.testing.assert_allclose(vectors.numpy(), get_tagger().embed(TEXTS), atol=1e-5)


def test_topics_of_a_batch_are_those_of_each_text_alone():
    tagger = get_tagger()
    batched = tagger.tag(TEXTS, batch_size=3)
    assert batched == [tagger.tag([t])[0] for t in TEXTS]
    assert batched[1] and "pay_benefits" in batched[1]


def test_the_active_model_loaded_at_start_serves_requests_by_its_name(model):
    assert get_model(model.version) is model


def test_the_active_model_is_one_copy_whichever_way_it_was_asked_for_first(monkeypatch):
    from mlcore.sentiment import model as module

    # Empty caches of our own, in both orders: by name first, then as the active model.
    monkeypatch.setattr(module, "_MODELS", {})
    by_name = get_model(module.Registry().active(module.TASK).version)
    assert get_model() is by_name
    monkeypatch.setattr(module, "_MODELS", {})
    active = get_model()
    assert get_model(active.version) is active
