"""Sentiment, topics and explanations for free-text survey answers (no Django).

    from mlcore.sentiment import get_model
    get_model().predict(["Great team, but the pay is low."], explain=True)

Names are imported lazily, so `python -m mlcore parse` does not pay for torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlcore.sentiment.model import SentimentError, SentimentModel, SentimentResult, get_model

__all__ = ["LABELS", "SentimentError", "SentimentModel", "SentimentResult", "get_model"]


def __getattr__(name: str) -> Any:
    if name == "LABELS":
        from mlcore.sentiment.data import LABELS

        return LABELS
    if name in __all__:
        from mlcore.sentiment import model

        return getattr(model, name)
    raise AttributeError(f"module 'mlcore.sentiment' has no attribute {name!r}")
