"""Build a "blend" fit version: whole texts, zero-shot MiniLM and a fine-tuned encoder in one
stored vector, with the reading and blend weight chosen on the OOD validation part only.

    python -m mlcore.matching.blend --spec bench/data/ood_occupations.json \
        --fine-tuned fit-20261124-v1 --version fit-20261130-blend

Selection (never reads the OOD test part): every combination of the grid below is scored on
the validation part's seven sets (MRR, each resume ranking its part's occupations); kept are
those whose MRR is at most 0.01 below zero-shot MiniLM's on every set, and of those the one
with the largest mean gain wins. The 0–100 calibration is refitted on the same validation
pairs the fine-tuned version was calibrated on (held-out categories and matching set).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from mlcore import encoder
from mlcore.registry import Registry

from . import datasets, ood
from .artefacts import load_fit_encoder
from .evaluation import EvalSet
from .model import BLEND, POOLING_FILE
from .text import prepare_job, prepare_resume
from .whole_text import Reading, TwoStackEncoder, pooled_pair, window_vectors

GRID: dict[str, tuple[Any, ...]] = {
    "resume_windows": (1, 2, 4, 8),
    "job_windows": (1, 2, 4),
    "pooling": ((1.0, 0.0), (4.0, 0.0), (1.0, 10.0), (4.0, 10.0)),  # (first_weight, sharpness)
    "w_plain": tuple(round(0.1 * i, 1) for i in range(11)),
}
TOLERANCE = 0.01  # how far below zero-shot a validation set may be (noise on ~50 occupations)
OVERLAP = 32
SELECTION_READ_CHARS = 20000  # selection reads everything; the version reads what it needs
CHARS_PER_TOKEN = 6  # generous: these texts average under 5 characters per word piece
SEED = 15


def _mrr(scores: np.ndarray, relevance: np.ndarray) -> float:
    """Jobs × resumes, one relevant job per resume: mean reciprocal rank of each resume's."""
    cols = np.arange(scores.shape[1])
    right = scores[relevance.argmax(0), cols]
    return float(np.mean(1.0 / (1 + (scores > right[None, :]).sum(0))))


class _Vectors:
    """Window vectors of every text once (at the grid's largest window count), pooled per
    reading on demand: a smaller cap is the first windows of a larger one (see
    `whole_text.window_starts`)."""

    def __init__(self, two: TwoStackEncoder, direction: np.ndarray) -> None:
        self.two, self.direction = two, direction
        self.windows: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self.pooled: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] = {}

    def add(self, side: str, texts: list[str], max_windows: int) -> None:
        prepare = prepare_resume if side == "resume" else prepare_job
        todo = [t for t in dict.fromkeys(texts) if (side, t) not in self.windows]
        prepared = [prepare(t, SELECTION_READ_CHARS) for t in todo]
        found = window_vectors(self.two, prepared, max_windows=max_windows, overlap=OVERLAP)
        for text, pair in zip(todo, found, strict=True):
            self.windows[(side, text)] = pair

    def get(
        self, side: str, texts: list[str], windows: int, pooling: tuple[float, float]
    ) -> tuple[np.ndarray, np.ndarray]:
        plain, tuned = [], []
        for text in texts:
            key = (side, text, windows, pooling)
            if key not in self.pooled:
                p, t = self.windows[(side, text)]
                self.pooled[key] = pooled_pair(
                    p,
                    t,
                    windows=windows,
                    direction=self.direction,
                    first_weight=pooling[0],
                    sharpness=pooling[1],
                )
            plain.append(self.pooled[key][0])
            tuned.append(self.pooled[key][1])
        return np.stack(plain), np.stack(tuned)


def job_direction(two: TwoStackEncoder) -> np.ndarray:
    """The mean MiniLM embedding (256 tokens) of the fine-tuned model's training jobs."""
    jobs = [prepare_job(j.text) for j in datasets.category_split().train_jobs]
    plain = np.stack([p[0] for p, _ in window_vectors(two, jobs, max_windows=1)])
    mean = plain.mean(0)
    return np.asarray((mean / np.linalg.norm(mean)).astype(np.float32))


def select(vectors: _Vectors, sets: list[EvalSet]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The grid's winner by the rule in the module docstring, and every row (for the card)."""

    def mrrs(rk: int, jk: int, pooling: tuple[float, float], w: float) -> np.ndarray:
        out = []
        for s in sets:
            jp, jt = vectors.get("job", s.jobs, jk, (1.0, 0.0))
            rp, rt = vectors.get("resume", s.resumes, rk, pooling)
            out.append(_mrr(w * (jp @ rp.T) + (1 - w) * (jt @ rt.T), s.relevance))
        return np.array(out)

    zero_shot = mrrs(1, 1, (1.0, 0.0), 1.0)
    rows: list[dict[str, Any]] = []
    for rk, jk, pooling, w in itertools.product(*GRID.values()):
        if rk == 1 and pooling != (1.0, 0.0):
            continue  # one window: pooling does nothing
        gain = mrrs(rk, jk, pooling, w) - zero_shot
        rows.append(
            {
                "resume_windows": rk,
                "job_windows": jk,
                "first_weight": pooling[0],
                "sharpness": pooling[1],
                "w_plain": w,
                "min_gain": round(float(gain.min()), 4),
                "mean_gain": round(float(gain.mean()), 4),
                "gains": [round(float(g), 4) for g in gain],
            }
        )
    kept = [r for r in rows if r["min_gain"] >= -TOLERANCE]
    best = max(kept, key=lambda r: (r["mean_gain"], r["min_gain"]))
    return best, rows


def calibration_pairs() -> tuple[list[str], list[str], np.ndarray]:
    """(job, resume) texts and labels of the validation pairs the fine-tuned version was
    calibrated on: held-out-category validation jobs × resumes, and the matching set's."""
    split = datasets.category_split()
    resume_text = datasets.matching_resume_text()
    matching = datasets.matching_split(resume_text)
    jobs, resumes, labels = [], [], []
    for j in split.val_jobs:
        for r in split.val_resumes:
            jobs.append(j.text)
            resumes.append(r.text)
            labels.append(int(r.category in j.categories))
    for labelled in matching.val:
        jobs.append(labelled.text)
        resumes.append(resume_text)
        labels.append(int(labelled.relevant))
    return jobs, resumes, np.array(labels)


def build(*, spec_path: Path, fine_tuned: str, version: str, registry: Registry) -> Path:
    from safetensors.numpy import save_file

    started = time.monotonic()
    encoder.set_threads()
    tuned_version = registry.get("fit", fine_tuned)
    two = TwoStackEncoder.from_tuned(load_fit_encoder(tuned_version.path))
    direction = job_direction(two)
    spec = ood.load_spec(spec_path)
    sample = ood.ood_part(spec, "validation", n=10**6, per_occupation=5, seed=SEED)
    sets = ood.ood_sets(sample, spec.preambles, SEED)
    vectors = _Vectors(two, direction)
    vectors.add("resume", [t for s in sets for t in s.resumes], max(GRID["resume_windows"]))
    vectors.add("job", [t for s in sets for t in s.jobs], max(GRID["job_windows"]))
    best, rows = select(vectors, sets)

    windows = max(best["resume_windows"], best["job_windows"])
    tokens = windows * (254 - OVERLAP) + OVERLAP
    reading = Reading(
        overlap=OVERLAP,
        resume_windows=best["resume_windows"],
        job_windows=best["job_windows"],
        first_weight=best["first_weight"],
        sharpness=best["sharpness"],
        read_chars=max(2500, math.ceil(tokens * CHARS_PER_TOKEN / 500) * 500),
    )
    out = registry.root / "fit" / version
    out.mkdir(parents=True, exist_ok=False)
    save_file({"job_direction": direction}, str(out / POOLING_FILE))
    meta: dict[str, Any] = {
        "task": "fit",
        "kind": BLEND,
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_model": encoder.BASE_MODEL_NAME,
        "max_length": 256,
        "blend": {"fine_tuned": fine_tuned, "w_plain": best["w_plain"]},
        "reading": reading.to_json_dict(),
        "calibration": {"a": 1.0, "b": 0.0},  # refitted below
        "selection": {
            "rule": f"MRR within {TOLERANCE} of zero-shot on every validation set, "
            "then the largest mean gain",
            "validation": {
                "resumes": len(sample.resumes),
                "occupations": len(sample.occupations),
                "sets": [s.name for s in sets],
            },
            "chosen": best,
            "grid_rows": len(rows),
        },
        "command": f"python -m mlcore.matching.blend --spec {spec_path} "
        f"--fine-tuned {fine_tuned} --version {version}",
    }
    return finish_version(out, meta, rows, started)


def finish_version(
    out: Path, meta: dict[str, Any], rows: list[dict[str, Any]], started: float
) -> Path:
    """Write the chosen version, refit its 0–100 calibration on the validation pairs the
    fine-tuned version was calibrated on, and keep every grid row (`selection.json`)."""
    from .model import FitModel
    from .train import _calibrate

    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    model = FitModel.from_path(out)
    jobs, resumes, labels = calibration_pairs()
    unique_jobs, unique_resumes = list(dict.fromkeys(jobs)), list(dict.fromkeys(resumes))
    job_vecs = dict(zip(unique_jobs, model.embed_jobs(unique_jobs), strict=True))
    res_vecs = dict(zip(unique_resumes, model.embed_resumes(unique_resumes), strict=True))
    cosines = np.array(
        [float(job_vecs[j] @ res_vecs[r]) for j, r in zip(jobs, resumes, strict=True)]
    )
    meta["calibration"] = _calibrate(cosines, labels)
    meta["build_seconds"] = round(time.monotonic() - started, 1)
    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    (out / "selection.json").write_text(json.dumps(rows, indent=1) + "\n")
    return out


def run_cli(build_version: Any, description: str | None) -> None:
    """`--spec --fine-tuned --version`: build, print the chosen row and the folder."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--fine-tuned", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument(
        "--adapter", action="store_true", help="occupation blends: train an O*NET resume adapter"
    )
    args = parser.parse_args()
    extra = {"adapter": True} if args.adapter else {}
    out = build_version(
        spec_path=args.spec,
        fine_tuned=args.fine_tuned,
        version=args.version,
        registry=Registry(),
        **extra,
    )
    print(json.dumps(json.loads((out / "meta.json").read_text())["selection"]["chosen"]))
    print(out)


if __name__ == "__main__":
    run_cli(build, __doc__)
