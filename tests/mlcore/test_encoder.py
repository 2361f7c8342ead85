"""The cached-lower-layers path used by both trainers equals the full encoder."""

from __future__ import annotations

import torch

from mlcore import encoder


def test_pooled_from_cached_layers_matches_the_full_forward_pass():
    bert = encoder.load_base_model().eval()
    texts = ["Python developer with Django and PostgreSQL.", "Nurse, ICU, eight years."]
    batch = encoder.tokenize(texts, 64)
    ids, mask = batch["input_ids"], batch["attention_mask"]
    with torch.no_grad():
        full = encoder.mean_pool(bert(input_ids=ids, attention_mask=mask).last_hidden_state, mask)
        hidden = encoder.hidden_before_layer(bert, ids, mask, 4)
        rows = [hidden[i, : int(mask[i].sum())] for i in range(len(texts))]
        cached = encoder.pooled_from_layer(bert, rows, 4)
    torch.testing.assert_close(cached, full, atol=1e-5, rtol=1e-5)
