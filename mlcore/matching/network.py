"""The fit network: MiniLM + LoRA adapters + a projection head, as a bi-encoder.

Jobs and resumes are embedded separately (so embeddings can be stored and ranking is one
matrix product); fit is the cosine of the two projected embeddings.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from mlcore import encoder

LORA_TARGETS = ["query", "key", "value"]


class FitEncoder(nn.Module):
    """Text → unit-length fit embedding."""

    def __init__(self, base: Any, dim: int = encoder.HIDDEN_SIZE) -> None:
        super().__init__()
        self.base = base
        self.head = nn.Linear(encoder.HIDDEN_SIZE, dim)
        with torch.no_grad():  # start as the identity: fine-tuning starts from MiniLM's space
            self.head.weight.copy_(torch.eye(dim, encoder.HIDDEN_SIZE))
            self.head.bias.zero_()

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.base(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        pooled = encoder.mean_pool(hidden, attention_mask)
        return nn.functional.normalize(self.head(pooled), dim=-1)


# Adapters go on the top two of MiniLM's six layers: the lower four stay frozen, so training
# can compute their output once per text and reuse it every epoch (about 3x faster on a CPU).
ADAPTED_LAYERS = [4, 5]


def with_lora(base: Any, r: int = 8, alpha: int = 16, dropout: float = 0.1) -> Any:
    from peft import LoraConfig, get_peft_model

    config = LoraConfig(
        r=r,
        lora_alpha=alpha,
        lora_dropout=dropout,
        target_modules=LORA_TARGETS,
        layers_to_transform=ADAPTED_LAYERS,
        layers_pattern="layer",
    )
    return get_peft_model(base, config)


class CachedLowerLayers:
    """Outputs of the frozen lower layers, computed once per text (training only)."""

    def __init__(self, model: FitEncoder, max_length: int) -> None:
        self.model = model
        self.bert = model.base.base_model.model  # PeftModel → LoraModel → BertModel
        self.max_length = max_length
        self.first = ADAPTED_LAYERS[0]
        self._cache: dict[str, torch.Tensor] = {}

    @torch.no_grad()
    def warm(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> None:
        from tqdm import tqdm

        todo = sorted({t for t in texts if t not in self._cache}, key=len)
        bar = tqdm(
            total=len(todo), desc="encode (frozen layers)", unit="text", disable=not progress
        )
        device = next(self.model.parameters()).device
        was_training = self.bert.training
        self.bert.eval()
        for start in range(0, len(todo), batch_size):
            chunk = todo[start : start + batch_size]
            batch = encoder.tokenize(chunk, self.max_length)
            mask = batch["attention_mask"].to(device)
            hidden = encoder.hidden_before_layer(
                self.bert, batch["input_ids"].to(device), mask, self.first
            )
            for i, text in enumerate(chunk):
                self._cache[text] = hidden[i, : int(mask[i].sum())].detach()
            bar.update(len(chunk))
        bar.close()
        self.bert.train(was_training)

    def __call__(self, texts: list[str]) -> torch.Tensor:
        """Embeddings through the adapted top layers and the head (with gradients)."""
        self.warm(texts)
        pooled = encoder.pooled_from_layer(self.bert, [self._cache[t] for t in texts], self.first)
        return nn.functional.normalize(self.model.head(pooled), dim=-1)
