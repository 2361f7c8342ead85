"""Saving and loading the fit model's small artefacts (LoRA adapter + head, safetensors)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file

from mlcore import encoder

from .network import FitEncoder

HEAD_FILE = "head.safetensors"


def save_fit_model(model: FitEncoder, out_dir: Path, *, meta: dict[str, Any]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    model.base.save_pretrained(str(out_dir))  # adapter_model.safetensors + adapter_config.json
    config_path = out_dir / "adapter_config.json"
    config = json.loads(config_path.read_text())
    # The base comes from the installed package, never from a path on the training machine.
    config["base_model_name_or_path"] = encoder.BASE_MODEL_NAME
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
    head = {k: v.detach().cpu().contiguous() for k, v in model.head.state_dict().items()}
    save_file(head, str(out_dir / HEAD_FILE))
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    readme = out_dir / "README.md"
    if readme.exists():  # peft writes a generic card; ours is MODEL_CARD.md
        readme.unlink()


def load_fit_encoder(path: Path, device: Any | None = None) -> FitEncoder:
    """Base encoder + adapter, merged for speed, + head; in eval mode."""
    from peft import PeftModel

    base = encoder.load_base_model()
    merged = PeftModel.from_pretrained(base, str(path)).merge_and_unload()
    model = FitEncoder(merged)
    model.head.load_state_dict(load_file(str(path / HEAD_FILE)))
    model.eval()
    return model.to(device or encoder.device())


def zero_shot_encoder(device: Any | None = None) -> FitEncoder:
    """Plain all-MiniLM-L6-v2 (identity head): the zero-shot baseline."""
    model = FitEncoder(encoder.load_base_model())
    model.eval()
    return model.to(device or encoder.device())


@torch.no_grad()
def embed_texts(model: FitEncoder, texts: list[str], max_length: int, batch_size: int = 32) -> Any:
    """Unit-length float32 embeddings (NumPy), longest texts batched together for speed."""
    import numpy as np

    if not texts:
        return np.zeros((0, model.head.out_features), dtype=np.float32)
    device = next(model.parameters()).device
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), model.head.out_features), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        batch = encoder.tokenize([texts[i] for i in idx], max_length)
        vecs = model(batch["input_ids"].to(device), batch["attention_mask"].to(device))
        out[idx] = vecs.float().cpu().numpy()
    return out
