"""Stored cosines to 0–100 scores: light (NumPy + the registry), for web processes."""

from __future__ import annotations

import numpy as np

from mlcore.registry import Registry


class FitCalibration:
    """Turns stored cosines into 0–100 scores without loading the network (web processes
    rank from stored embeddings and never load a model)."""

    def __init__(self, version: str, a: float, b: float) -> None:
        self.version, self._a, self._b = version, a, b

    @classmethod
    def active(cls, registry: Registry | None = None) -> FitCalibration:
        chosen = (registry or Registry()).active("fit")
        cal = chosen.meta["calibration"]
        return cls(chosen.version, float(cal["a"]), float(cal["b"]))

    def scores(self, job_vec: np.ndarray, resume_vecs: np.ndarray) -> np.ndarray:
        """One matrix product over every stored embedding: (n,) scores 0–100."""
        if len(resume_vecs) == 0:
            return np.zeros(0, dtype=np.float32)
        cosine = np.asarray(resume_vecs, dtype=np.float32) @ np.asarray(job_vec, dtype=np.float32)
        return np.asarray(100.0 / (1.0 + np.exp(-(self._a * cosine + self._b))))
