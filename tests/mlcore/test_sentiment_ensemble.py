"""The sentiment ensemble's inference path equals the network it was trained as."""

from __future__ import annotations

import warnings

import torch

from mlcore import encoder
from mlcore.sentiment.model import (
    EnsembleNet,
    SentimentNet,
    label_logits,
    lora_config,
    merged_top_layers,
)


def _trained_like_member(seed: int):
    from peft import get_peft_model

    torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        body = get_peft_model(encoder.load_base_model(), lora_config())
    net = SentimentNet(body).eval()
    with torch.no_grad():  # LoRA B starts at zero: give it weights, as training would
        for name, param in net.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.02)
    lora = {k: v.detach().clone() for k, v in net.state_dict().items() if "lora_" in k}
    return net, lora


def test_one_member_ensemble_equals_its_peft_network():
    net, lora = _trained_like_member(1)
    base = encoder.load_base_model().eval()
    ensemble = EnsembleNet(base, [merged_top_layers(base, lora)], [net.head]).eval()
    enc = encoder.tokenize(["Great team, awful hours.", "Fine."], 64)
    with torch.no_grad():
        expected = label_logits(net(enc["input_ids"], enc["attention_mask"]))
        got = label_logits(ensemble(enc["input_ids"], enc["attention_mask"]))
    assert torch.allclose(expected, got, atol=1e-4), (expected, got)


def test_ensemble_averages_member_probabilities():
    first, lora_1 = _trained_like_member(1)
    second, lora_2 = _trained_like_member(2)
    base = encoder.load_base_model().eval()
    tops = [merged_top_layers(base, lora_1), merged_top_layers(base, lora_2)]
    ensemble = EnsembleNet(base, tops, [first.head, second.head]).eval()
    enc = encoder.tokenize(["The manager listens."], 64)
    with torch.no_grad():
        mean = (
            torch.softmax(first(enc["input_ids"], enc["attention_mask"]), -1)
            + torch.softmax(second(enc["input_ids"], enc["attention_mask"]), -1)
        ) / 2
        got = ensemble(enc["input_ids"], enc["attention_mask"]).exp()
    assert torch.allclose(mean, got, atol=1e-4)
    # The lower layers are shared, not copied per member; each member has its own top.
    assert tops[0][0] is not tops[1][0]
    assert not torch.equal(
        tops[0][0].attention.self.query.weight, base.encoder.layer[4].attention.self.query.weight
    )
