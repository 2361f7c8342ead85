"""FitModel: score resumes against a job (0–100), embed texts for stored ranking."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mlcore import encoder
from mlcore.registry import Registry

from .artefacts import embed_texts, load_fit_encoder
from .calibration import FitCalibration  # noqa: F401 - re-exported
from .text import prepare_job, prepare_resume

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], FitModel] = {}


@dataclass
class FitResult:
    score: float  # 0–100, calibrated: the same number means the same across jobs
    model_version: str
    matched_skills: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return asdict(self)


class FitModel:
    def __init__(self, encoder_model: Any, *, version: str, meta: dict[str, Any]) -> None:
        self.encoder = encoder_model
        self.version = version
        self.meta = meta
        self.max_length = int(meta.get("max_length", 256))
        cal = meta["calibration"]
        self._a, self._b = float(cal["a"]), float(cal["b"])

    @classmethod
    def load(cls, version: str | None = None, registry: Registry | None = None) -> FitModel:
        registry = registry or Registry()
        chosen = registry.get("fit", version) if version else registry.active("fit")
        return cls.from_path(chosen.path, version=chosen.version)

    @classmethod
    def from_path(cls, path: Path, version: str | None = None) -> FitModel:
        meta = json.loads((path / "meta.json").read_text())
        return cls(load_fit_encoder(path), version=version or meta["version"], meta=meta)

    # --- embeddings: computed once per text and stored by the app -------------------

    def embed_resumes(
        self, texts: list[str], batch_size: int = 32, *, prepared: bool = False
    ) -> np.ndarray:
        """`prepared=True`: the texts are `prepare_resume` output already (the app stores
        it once per resume, so a new model version or a re-score does not blind again)."""
        if not prepared:
            texts = [prepare_resume(t) for t in texts]
        return embed_texts(self.encoder, texts, self.max_length, batch_size)

    def embed_jobs(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return embed_texts(
            self.encoder, [prepare_job(t) for t in texts], self.max_length, batch_size
        )

    def scores_from_embeddings(self, job_vec: np.ndarray, resume_vecs: np.ndarray) -> np.ndarray:
        """One matrix product: cosine → calibrated probability → 0–100."""
        cosine = np.asarray(resume_vecs, dtype=np.float32) @ np.asarray(job_vec, dtype=np.float32)
        return self.calibrate(cosine)

    def calibrate(self, cosine: np.ndarray) -> np.ndarray:
        return 100.0 / (1.0 + np.exp(-(self._a * cosine + self._b)))

    # --- scoring texts ----------------------------------------------------------------

    def score(self, job_text: str, resume_texts: list[str]) -> list[FitResult]:
        from mlcore.parsing.skills import find_skills

        job_vec = self.embed_jobs([job_text])[0]
        scores = self.scores_from_embeddings(job_vec, self.embed_resumes(resume_texts))
        job_skills = find_skills(job_text)
        results = []
        for text, score in zip(resume_texts, scores, strict=True):
            have = {s.lower() for s in find_skills(text)}
            results.append(
                FitResult(
                    score=round(float(score), 2),
                    model_version=self.version,
                    matched_skills=[s for s in job_skills if s.lower() in have],
                    missing_skills=[s for s in job_skills if s.lower() not in have],
                )
            )
        return results

    def score_pairs(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> list[float]:
        """Scores for (job_text, resume_text) pairs; each distinct text is embedded once."""
        jobs = sorted({j for j, _ in pairs})
        resumes = sorted({r for _, r in pairs})
        job_index = {t: i for i, t in enumerate(jobs)}
        resume_index = {t: i for i, t in enumerate(resumes)}
        jv = self.embed_jobs(jobs, batch_size)
        rv = self.embed_resumes(resumes, batch_size)
        cos = np.array([float(jv[job_index[j]] @ rv[resume_index[r]]) for j, r in pairs])
        return [round(float(s), 2) for s in self.calibrate(cos)]


def get_fit_model(version: str | None = None) -> FitModel:
    """The model loaded once per process (per version); the registry's active one by default."""
    registry = Registry()
    key = (str(registry.root), version or registry.active("fit").version)
    with _LOCK:
        if key not in _CACHE:
            # A worker per core, each on one thread, scales better than threads fighting
            # over cores: SMARTHR_TORCH_THREADS sets it (unset: torch's default).
            encoder.set_threads()
            _CACHE[key] = FitModel.load(key[1], registry)
        return _CACHE[key]
