"""FitModel: score resumes against a job (0–100), embed texts for stored ranking."""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mlcore import encoder
from mlcore.registry import Registry

from .adapter import adapt, load_adapter
from .artefacts import embed_texts, load_fit_encoder
from .calibration import FitCalibration  # noqa: F401 - re-exported
from .occupations import SPACE_FILE, OccupationSpace, ProfileReading, profiles, top_occupations
from .runtime import ONNX_INT8, RUNTIMES, UnknownRuntime, fit_runtime, onnx_two_stack
from .text import READ_CHARS, prepare_job, prepare_resume, text_version

if TYPE_CHECKING:
    from .whole_text import StackRunner, TwoStackEncoder

# meta.json "kind": "fine-tuned" (the default, older versions say nothing) is one encoder
# reading 256 tokens; "blend" reads whole texts with zero-shot MiniLM and a fine-tuned
# version's encoder and stores [√w_plain·plain, √w_tuned·tuned, √w_adapted·adapted,
# √w_occ·profile] (parts with weight 0 left out; mlcore/matching/whole_text.py,
# occupations.py, adapter.py: "adapted" is MiniLM's own vector through the O*NET-trained map on
# the resume side, and MiniLM's own vector as it is on the job side).
BLEND = "blend"
POOLING_FILE = "pooling.safetensors"

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str, str], FitModel] = {}


@dataclass
class FitResult:
    score: float  # 0–100, calibrated: the same number means the same across jobs
    model_version: str
    matched_skills: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        return asdict(self)


class FitModel:
    """`encoder` is always a fine-tuned encoder (explanations read it); a "blend" version
    also has `two_stack` (MiniLM's own and the fine-tuned top layers on shared lower ones)."""

    def __init__(
        self,
        encoder_model: Any,
        *,
        version: str,
        meta: dict[str, Any],
        two_stack: Any | None = None,
        job_direction: np.ndarray | None = None,
        space: OccupationSpace | None = None,
        runtime: str | None = None,
        adapter: np.ndarray | None = None,
    ) -> None:
        from .whole_text import Reading

        self.encoder = encoder_model
        self.version = version
        self.meta = meta
        self.kind = meta.get("kind", "fine-tuned")
        self.max_length = int(meta.get("max_length", 256))
        cal = meta["calibration"]
        self._a, self._b = float(cal["a"]), float(cal["b"])
        self.two_stack, self.job_direction = two_stack, job_direction
        # Only a blend's whole-text stacks have an int8 ONNX path; one encoder stays in torch.
        self.runtime = fit_runtime() if runtime is None else runtime
        if self.runtime not in RUNTIMES:
            raise UnknownRuntime(f"fit runtime {self.runtime!r}: use one of {RUNTIMES}")
        self._onnx_stacks: StackRunner | None = None
        self._onnx_lock = threading.Lock()
        self.reading: Reading | None = None
        self.w_plain = self.w_occupations = self.w_adapted = 0.0
        self.w_tuned = 1.0
        self.space: OccupationSpace | None = space
        self.adapter = adapter
        self.profile_reading: ProfileReading | None = None
        self._prototypes: np.ndarray | None = None
        if self.kind == BLEND:
            self.reading = Reading(**meta["reading"])
            weights = meta["blend"]
            self.w_plain = float(weights["w_plain"])
            # Older blends name only w_plain: the rest is the fine-tuned part.
            self.w_occupations = float(weights.get("w_occupations", 0.0))
            self.w_adapted = float(weights.get("w_adapted", 0.0))
            self.w_tuned = float(weights.get("w_tuned", 1.0 - self.w_plain))
            if self.w_adapted and adapter is None:
                raise ValueError(f"{version}: a blend with an adapted part needs its adapter")
            if self.w_occupations:
                if space is None:
                    raise ValueError(f"{version}: an occupation blend needs its occupation space")
                self.profile_reading = ProfileReading(**weights["occupations"])
                self._prototypes = space.prototypes(self.profile_reading)
        self.read_chars = self.reading.read_chars if self.reading else READ_CHARS

    @property
    def text_version(self) -> str:
        """The version a stored prepared resume text must have for this model."""
        return text_version(self.read_chars)

    def prepare_resume(self, text: str) -> str:
        """The blinded, tidied text this model reads (as much as its windows need)."""
        return prepare_resume(text, self.read_chars)

    def prepare_job(self, text: str) -> str:
        return prepare_job(text, self.read_chars)

    @property
    def dim(self) -> int:
        tuned = int(self.encoder.head.out_features)
        if self.kind != BLEND:
            return tuned
        occupations = len(self.space.codes) if self.space else 0
        dims = (encoder.HIDDEN_SIZE, tuned, encoder.HIDDEN_SIZE, occupations)
        weights = (self.w_plain, self.w_tuned, self.w_adapted, self.w_occupations)
        return sum(d for d, w in zip(dims, weights, strict=True) if w)

    @classmethod
    def load(
        cls,
        version: str | None = None,
        registry: Registry | None = None,
        runtime: str | None = None,
    ) -> FitModel:
        """`runtime`: "onnx-int8" or "torch"; None reads `SMARTHR_FIT_RUNTIME` (runtime.py)."""
        registry = registry or Registry()
        chosen = registry.get("fit", version) if version else registry.active("fit")
        return cls.from_path(chosen.path, version=chosen.version, runtime=runtime)

    @classmethod
    def from_path(
        cls, path: Path, version: str | None = None, runtime: str | None = None
    ) -> FitModel:
        meta = json.loads((path / "meta.json").read_text())
        version = version or meta["version"]
        if meta.get("kind", "fine-tuned") != BLEND:
            return cls(load_fit_encoder(path), version=version, meta=meta, runtime=runtime)
        from safetensors.numpy import load_file

        from .whole_text import TwoStackEncoder

        # The blend references a fine-tuned version beside it (its LoRA adapter and head).
        tuned = load_fit_encoder(path.parent / meta["blend"]["fine_tuned"])
        if "student" in meta:
            # A distilled student (student.py): its own smaller stacks, and its teacher's
            # pooling, occupation space and adapter.
            from .student import load_student

            two_stack, parts = load_student(path, tuned), path.parent / meta["student"]["teacher"]
        else:
            two_stack, parts = TwoStackEncoder.from_tuned(tuned), path
        pooling = parts / POOLING_FILE
        direction = load_file(str(pooling))["job_direction"] if pooling.exists() else None
        space = OccupationSpace.load(parts) if (parts / SPACE_FILE).exists() else None
        return cls(
            tuned,
            version=version,
            meta=meta,
            two_stack=two_stack,
            job_direction=direction,
            space=space,
            runtime=runtime,
            adapter=load_adapter(parts),
        )

    @property
    def uses_onnx(self) -> bool:
        return self.runtime == ONNX_INT8 and self.two_stack is not None

    def stacks(self) -> TwoStackEncoder | StackRunner:
        """What embeds a blend's windows: the int8 ONNX stacks (built into the cache folder
        on first use) or the PyTorch ones, as `runtime` says."""
        assert self.two_stack is not None
        if not self.uses_onnx:
            stacks: TwoStackEncoder = self.two_stack
            return stacks
        if self._onnx_stacks is None:
            with self._onnx_lock:
                if self._onnx_stacks is None:
                    self._onnx_stacks = onnx_two_stack(self.two_stack, self.version)
        return self._onnx_stacks

    # --- embeddings: computed once per text and stored by the app -------------------

    def embed_resumes(
        self, texts: list[str], batch_size: int = 32, *, prepared: bool = False
    ) -> np.ndarray:
        """`prepared=True`: the texts are `prepare_resume` output already (the app stores
        it once per resume, so a new model version or a re-score does not blind again)."""
        if not prepared:
            texts = [self.prepare_resume(t) for t in texts]
        if self.reading is not None:
            plain, tuned = self.pooled(texts, self.reading.resume_windows, batch_size)
            return self.compose(plain, tuned, side="resume")
        return np.asarray(embed_texts(self.encoder, texts, self.max_length, batch_size))

    def embed_jobs(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        prepared = [self.prepare_job(t) for t in texts]
        if self.reading is not None:
            plain, tuned = self.pooled(prepared, self.reading.job_windows, batch_size)
            return self.compose(plain, tuned, side="job")
        return np.asarray(embed_texts(self.encoder, prepared, self.max_length, batch_size))

    def compose(
        self,
        plain: np.ndarray,
        tuned: np.ndarray,
        space: OccupationSpace | None = None,
        *,
        side: str,
        adapter: np.ndarray | None = None,
    ) -> np.ndarray:
        """[√w_plain·plain, √w_tuned·tuned, √w_adapted·adapted, √w_occ·profile] for pooled
        unit vectors (rows) of one side ("resume" or "job"); `space` and `adapter` replace the
        version's own (leave-occupations-out folds)."""
        from .whole_text import compose

        parts = [(self.w_plain, plain), (self.w_tuned, tuned)]
        if self.w_adapted:
            weight = adapter if adapter is not None else self.adapter
            assert weight is not None
            parts.append((self.w_adapted, adapt(plain, weight) if side == "resume" else plain))
        if self.w_occupations:
            assert self.profile_reading is not None
            prototypes = (
                space.prototypes(self.profile_reading) if space is not None else self._prototypes
            )
            assert prototypes is not None
            found = profiles(plain, prototypes, self.profile_reading.temperature)
            parts.append((self.w_occupations, found))
        return compose(parts)

    def occupations_of(self, vectors: np.ndarray, k: int = 3) -> list[list[dict[str, Any]]]:
        """For stored vectors of this version: the k occupations each text reads most like."""
        if not self.w_occupations or self.space is None:
            return [[] for _ in vectors]
        n = len(self.space.codes)
        scale = np.sqrt(self.w_occupations)
        return [top_occupations(v[-n:] / scale, self.space, k) for v in vectors]

    def pooled(
        self, texts: list[str], windows: int, batch_size: int = 32
    ) -> tuple[np.ndarray, np.ndarray]:
        """Prepared texts → (plain, tuned) pooled unit vectors, one row per text."""
        from .whole_text import pooled_pair, window_vectors

        reading = self.reading
        assert reading is not None and self.two_stack is not None
        size = encoder.HIDDEN_SIZE, int(self.encoder.head.out_features)
        plain = np.zeros((len(texts), size[0]), dtype=np.float32)
        tuned = np.zeros((len(texts), size[1]), dtype=np.float32)
        if not texts:
            return plain, tuned
        vectors = window_vectors(
            self.stacks(),
            texts,
            max_windows=windows,
            max_length=reading.max_length,
            overlap=reading.overlap,
            batch_size=batch_size,
            last_window=reading.last_window,
        )
        for i, (p, t) in enumerate(vectors):
            plain[i], tuned[i] = pooled_pair(
                p,
                t,
                windows=windows,
                direction=self.job_direction,
                first_weight=reading.first_weight,
                sharpness=reading.sharpness,
            )
        return plain, tuned

    def scores_from_embeddings(self, job_vec: np.ndarray, resume_vecs: np.ndarray) -> np.ndarray:
        """One matrix product: cosine → calibrated probability → 0–100."""
        cosine = np.asarray(resume_vecs, dtype=np.float32) @ np.asarray(job_vec, dtype=np.float32)
        return self.calibrate(cosine)

    def calibrate(self, cosine: np.ndarray) -> np.ndarray:
        return 100.0 / (1.0 + np.exp(-(self._a * cosine + self._b)))

    # --- scoring texts ----------------------------------------------------------------

    def score(self, job_text: str, resume_texts: list[str]) -> list[FitResult]:
        from mlcore.parsing.skills import find_skills, matched_and_missing

        job_vec = self.embed_jobs([job_text])[0]
        scores = self.scores_from_embeddings(job_vec, self.embed_resumes(resume_texts))
        job_skills = find_skills(job_text)
        results = []
        for text, score in zip(resume_texts, scores, strict=True):
            # Through the taxonomy's aliases: "Apache Spark" is "Spark".
            matched, missing = matched_and_missing(job_skills, find_skills(text))
            results.append(
                FitResult(
                    score=round(float(score), 2),
                    model_version=self.version,
                    matched_skills=matched,
                    missing_skills=missing,
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
    key = (str(registry.root), version or registry.active("fit").version, fit_runtime())
    with _LOCK:
        if key not in _CACHE:
            # A worker per core, each on one thread, scales better than threads fighting
            # over cores: SMARTHR_TORCH_THREADS sets it (unset: torch's default).
            encoder.set_threads()
            model = FitModel.load(key[1], registry, runtime=key[2])
            if model.uses_onnx:
                model.stacks()  # built or opened now, so a warm worker's first task is fast
            _CACHE[key] = model
        return _CACHE[key]
