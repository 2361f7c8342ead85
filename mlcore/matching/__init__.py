"""Candidate–job fit: a fine-tuned MiniLM bi-encoder with calibrated 0–100 scores.

The model classes are imported on first use, so a web process that only needs
`mlcore.matching.calibration` never imports torch.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FitModel", "FitResult", "get_fit_model"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
