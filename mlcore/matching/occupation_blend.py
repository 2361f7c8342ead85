"""Build an occupation blend: zero-shot MiniLM, a fine-tuned encoder and O*NET occupation
profiles in one stored vector, with every choice made on validation data only.

    python -m mlcore.matching.occupation_blend --spec bench/data/ood_occupations.json \
        --fine-tuned fit-20261124-v1 --version fit-20261130-onet

Score = w_plain·cos(plain) + w_tuned·cos(fine-tuned) + w_adapted·cos(W·plain resume, plain
job) + w_occ·BC(occupation profiles), where BC is the Bhattacharyya coefficient of the two
texts' profiles over O*NET's 1,016 occupations (mlcore/matching/occupations.py) and W the
resume adapter trained on O*NET (mlcore/matching/adapter.py; `--adapter` builds one, else
w_adapted is 0). Fine-tuning keeps what it learnt on the training source; the profiles and
the adapter carry what MiniLM knows, and what O*NET says, about every other kind of work.

Reading (fixed, from the blend's exploration on the same validation part): resumes are read
in 2 windows of 256 word pieces (the first counting 4×), jobs in 1.

Selection (never reads the OOD test part or the held-out test sets): every grid row is scored
on the OOD validation part's seven sets (MRR, each resume ranking its part's occupations), on
the held-out categories' validation jobs × resumes (MRR) and on the matching set's validation
part (ROC AUC). Kept are rows that beat zero-shot MiniLM by at least MIN_GAIN MRR on every OOD
validation set, are not below the fine-tuned encoder's category MRR and not below zero-shot's
matching ROC AUC. With an adapter, each row is also scored on the validation part's
leave-occupations-out folds (per SOC major group: profiles without the group's occupations,
the adapter retrained without them) and rows whose mean fold gain over zero-shot is below
FOLD_GAIN are dropped while any reaches it. Of those, the one with the highest matching ROC
AUC wins (the occupation profiles are coarse: within one occupation, as in the matching set's
IT postings for one resume, they add little, so the more weight the fine-tuned part keeps the
better it does there); ties go to the larger mean OOD gain.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from mlcore import encoder
from mlcore.registry import Registry

from . import datasets, ood
from .adapter import (
    AdapterData,
    AdapterRecipe,
    adapt,
    model_adapter_data,
    save_adapter,
    train_adapter,
)
from .artefacts import load_fit_encoder
from .blend import SEED, _mrr, finish_version, run_cli
from .metrics import ranking_metrics
from .model import BLEND, FitModel
from .occupations import ATTRIBUTION, OccupationSpace, ProfileReading, build_space, profiles
from .whole_text import Reading, TwoStackEncoder, window_vectors

READING = Reading(
    overlap=32, resume_windows=2, job_windows=1, first_weight=4.0, sharpness=0.0, read_chars=3000
)
GRID = {
    "desc_weight": (0.2, 0.3, 0.5),
    "temperature": (50.0, 100.0, 200.0),
    "w_plain": (0.0, 0.05, 0.1, 0.2),
    "w_tuned": (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9),
}
# With an adapter, the fine-tuned part may give way to it.
ADAPTED_GRID = {
    "w_plain": (0.0, 0.1),
    "w_tuned": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
    "w_adapted": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
}
MIN_GAIN = 0.02
FOLD_GAIN = 0.05
RECIPE = AdapterRecipe()


def _space(two: TwoStackEncoder) -> OccupationSpace:
    def embed(texts: list[str]) -> np.ndarray:
        found = window_vectors(two, texts, max_windows=1, batch_size=128)
        return np.stack([plain[0] for plain, _ in found])

    return build_space(datasets.shared_data_dir() / "onet", embed)


class _Parts:
    """Pooled (plain, tuned) vectors of every validation text, read as the version reads,
    and the one-window plain and tuned vectors (zero-shot and the fine-tuned encoder)."""

    def __init__(self, model: FitModel) -> None:
        self.model = model
        self.rows: dict[tuple[str, str], int] = {}
        self.read: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.single: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def add(self, side: str, texts: list[str]) -> None:
        prepare = self.model.prepare_resume if side == "resume" else self.model.prepare_job
        todo = [t for t in dict.fromkeys(texts) if (side, t) not in self.rows]
        windows = READING.resume_windows if side == "resume" else READING.job_windows
        prepared = [prepare(t) for t in todo]
        read = self.model.pooled(prepared, windows)
        single = self.model.pooled(prepared, 1)
        old = self.read.get(side)
        offset = 0 if old is None else len(old[0])
        for i, t in enumerate(todo):
            self.rows[(side, t)] = offset + i
        for store, new in ((self.read, read), (self.single, single)):
            prev = store.get(side)
            store[side] = (
                new
                if prev is None
                else tuple(  # type: ignore[assignment]
                    np.concatenate([a, b]) for a, b in zip(prev, new, strict=True)
                )
            )

    def get(self, side: str, texts: list[str], single: bool = False) -> tuple[np.ndarray, ...]:
        idx = [self.rows[(side, t)] for t in texts]
        plain, tuned = (self.single if single else self.read)[side]
        return plain[idx], tuned[idx]


def _validation_sets(spec_path: Path) -> tuple[list[Any], Any, Any, list[str]]:
    """The OOD validation part's sets, the held-out categories' validation set, the
    matching set's validation part (jobs × one resume) and each OOD resume's occupation."""
    from .evaluation import EvalSet

    spec = ood.load_spec(spec_path)
    sample = ood.ood_part(spec, "validation", n=10**6, per_occupation=5, seed=SEED)
    ood_sets = ood.ood_sets(sample, spec.preambles, SEED)
    split = datasets.category_split()
    category = EvalSet(
        "category validation",
        [j.text for j in split.val_jobs],
        [r.text for r in split.val_resumes],
        np.array(
            [[int(r.category in j.categories) for r in split.val_resumes] for j in split.val_jobs]
        ),
    )
    resume_text = datasets.matching_resume_text()
    matching = datasets.matching_split(resume_text)
    match = EvalSet(
        "matching validation",
        [j.text for j in matching.val],
        [resume_text],
        np.array([[int(j.relevant)] for j in matching.val]),
        queries="resumes",
    )
    return ood_sets, category, match, [r.code for r in sample.resumes]


class _Figures:
    """The figure each validation set is judged by: MRR for the OOD sets (each resume ranks
    the occupations) and the categories (each job ranks the resumes), ROC AUC for the
    one-resume matching set."""

    def __init__(self, ood_sets: list[Any], category: Any, match: Any) -> None:
        self.ood_sets, self.category, self.match = ood_sets, category, match
        self.sets = [*ood_sets, category, match]

    def __call__(self, eval_set: Any, scores: np.ndarray) -> float:
        if eval_set is self.category:
            return float(ranking_metrics(scores, eval_set.relevance)["mrr"])
        if eval_set is self.match:
            return float(ranking_metrics(scores.T, eval_set.relevance.T)["roc_auc"])
        return _mrr(scores, eval_set.relevance)


@dataclass
class _Fold:
    """One SOC major group of the validation part left out: its resumes (columns of the
    OOD validation base set), the space without the group's O*NET occupations and the adapter
    retrained without them."""

    resumes: list[int]
    space: OccupationSpace
    adapter: np.ndarray | None


def _validation_folds(
    owner: list[str], space: OccupationSpace, data: AdapterData | None
) -> list[_Fold]:
    """`owner`: each validation resume's O*NET occupation (the base set's columns)."""
    folds = []
    for group in sorted({c[:2] for c in owner}):
        left_out = {c for c in space.codes if c.startswith(f"{group}-")}
        adapter = train_adapter(data, RECIPE, exclude=left_out) if data is not None else None
        folds.append(
            _Fold(
                [i for i, c in enumerate(owner) if c[:2] == group],
                space.without(left_out),
                adapter,
            )
        )
    return folds


def _weights(adapted: bool) -> list[tuple[float, float, float, float]]:
    """(w_plain, w_tuned, w_adapted, w_occupations) rows; w_occupations > 0 takes the rest."""
    grid = ADAPTED_GRID if adapted else {**GRID, "w_adapted": (0.0,)}
    rows = []
    for w_plain, w_tuned, w_adapted in itertools.product(
        grid["w_plain"], grid["w_tuned"], grid["w_adapted"]
    ):
        w_occ = round(1.0 - w_plain - w_tuned - w_adapted, 4)
        if w_occ > 0:
            rows.append((w_plain, w_tuned, w_adapted, w_occ))
    return rows


class _Scores:
    """A row's score matrices: the parts' cosines per set (or fold), computed once per profile
    reading, weighted per row."""

    def __init__(self, parts: _Parts, figures: _Figures) -> None:
        self.mats = {
            s.name: (parts.get("job", s.jobs), parts.get("resume", s.resumes)) for s in figures.sets
        }

    def cosines(
        self, name: str, prototypes: np.ndarray, temperature: float, adapter: np.ndarray | None
    ) -> tuple[np.ndarray, ...]:
        (jp, jt), (rp, rt) = self.mats[name]
        adapted = jp @ adapt(rp, adapter).T if adapter is not None else np.zeros((len(jp), len(rp)))
        occupations = (
            profiles(jp, prototypes, temperature) @ profiles(rp, prototypes, temperature).T
        )
        return jp @ rp.T, jt @ rt.T, adapted, occupations


def _fold_cosines(
    scores: _Scores, base: Any, folds: list[_Fold], reading: ProfileReading
) -> list[np.ndarray]:
    """Per fold: the four cosine matrices over the fold's resumes (weights applied later)."""
    found = []
    for fold in folds:
        mats = scores.cosines(
            base.name, fold.space.prototypes(reading), reading.temperature, fold.adapter
        )
        found.append(np.stack([m[:, fold.resumes] for m in mats]))
    return found


def _grid_rows(
    parts: _Parts,
    space: OccupationSpace,
    figures: _Figures,
    zero: dict[str, float],
    folds: list[_Fold],
    adapter: np.ndarray | None,
) -> list[dict[str, Any]]:
    """Every grid row's figures on the validation sets (and folds)."""
    scores = _Scores(parts, figures)
    base = figures.ood_sets[0]
    # Zero-shot as the bench runs it: MiniLM reading one window.
    zero_plain = (
        parts.get("job", base.jobs, single=True)[0]
        @ parts.get("resume", base.resumes, single=True)[0].T
    )
    zero_folds = [_mrr(zero_plain[:, f.resumes], base.relevance[:, f.resumes]) for f in folds]
    rows = []
    for desc_weight, temperature in itertools.product(GRID["desc_weight"], GRID["temperature"]):
        reading = ProfileReading(desc_weight, temperature)
        prototypes = space.prototypes(reading)
        mats = {
            s.name: np.stack(scores.cosines(s.name, prototypes, temperature, adapter))
            for s in figures.sets
        }
        fold_mats = _fold_cosines(scores, base, folds, reading)
        for weights in _weights(adapter is not None):
            w = np.array(weights, dtype=np.float32)[:, None, None]
            found = {s.name: figures(s, (w * mats[s.name]).sum(0)) for s in figures.sets}
            gains = np.array([found[s.name] - zero[s.name] for s in figures.ood_sets])
            fold_gains = [
                _mrr((w * m).sum(0), base.relevance[:, f.resumes]) - z
                for m, f, z in zip(fold_mats, folds, zero_folds, strict=True)
            ]
            rows.append(
                {
                    **reading.to_json_dict(),
                    "w_plain": weights[0],
                    "w_tuned": weights[1],
                    "w_adapted": weights[2],
                    "w_occupations": weights[3],
                    "min_gain": round(float(gains.min()), 4),
                    "mean_gain": round(float(gains.mean()), 4),
                    "gains": [round(float(g), 4) for g in gains],
                    "fold_mean_gain": round(float(np.mean(fold_gains)), 4) if folds else None,
                    "category_mrr": round(found[figures.category.name], 4),
                    "matching_roc_auc": round(found[figures.match.name], 4),
                }
            )
    return rows


def select(
    parts: _Parts,
    space: OccupationSpace,
    sets: tuple[list[Any], Any, Any],
    folds: list[_Fold],
    adapter: np.ndarray | None,
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """The grid's winner by the rule in the module docstring, every row, and the baselines
    (zero-shot MiniLM and the fine-tuned encoder, each reading one window)."""
    ood_sets, category, match = sets
    figures = _Figures(ood_sets, category, match)

    def baseline(stack: int) -> dict[str, float]:
        out = {}
        for s in figures.sets:
            job = parts.get("job", s.jobs, single=True)[stack]
            resume = parts.get("resume", s.resumes, single=True)[stack]
            out[s.name] = figures(s, job @ resume.T)
        return out

    zero, tuned = baseline(0), baseline(1)
    rows = _grid_rows(parts, space, figures, zero, folds, adapter)
    kept = [
        r
        for r in rows
        if r["min_gain"] >= MIN_GAIN
        and r["category_mrr"] >= tuned[category.name]
        and r["matching_roc_auc"] >= zero[match.name]
    ]
    if folds and any(r["fold_mean_gain"] >= FOLD_GAIN for r in kept):
        kept = [r for r in kept if r["fold_mean_gain"] >= FOLD_GAIN]
    baselines = {
        "zero_shot": {k: round(v, 4) for k, v in zero.items()},
        "fine_tuned": {k: round(v, 4) for k, v in tuned.items()},
    }
    if not kept:
        closest = max(rows, key=lambda r: r["min_gain"])
        raise RuntimeError(
            "no grid row meets the selection rule: nothing to build. Baselines: "
            f"{json.dumps(baselines)}; the row with the largest smallest gain: {closest}"
        )
    best = max(kept, key=lambda r: (r["matching_roc_auc"], r["mean_gain"]))
    return best, rows, baselines


def _placeholder_meta(
    version: str, fine_tuned: str, space: OccupationSpace, spec_path: Path, adapter: bool
) -> dict[str, Any]:
    return {
        "task": "fit",
        "kind": BLEND,
        "version": version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "base_model": encoder.BASE_MODEL_NAME,
        "max_length": 256,
        "reading": READING.to_json_dict(),
        # Weights are placeholders until selection; the model is loaded to read the texts.
        "blend": {
            "fine_tuned": fine_tuned,
            "w_plain": 0.0,
            "w_tuned": 1.0,
            "w_occupations": 0.0,
        },
        "calibration": {"a": 1.0, "b": 0.0},
        "occupations": {"count": len(space.codes), "source": ATTRIBUTION},
        "command": f"python -m mlcore.matching.occupation_blend --spec {spec_path} "
        f"--fine-tuned {fine_tuned} --version {version}" + (" --adapter" if adapter else ""),
    }


def _rule(adapter: bool) -> str:
    folds = (
        f"; of those, the rows whose mean gain over the validation leave-out folds is at least "
        f"{FOLD_GAIN} while any is"
        if adapter
        else ""
    )
    return (
        f"MRR at least {MIN_GAIN} above zero-shot on every OOD validation set, category MRR not "
        f"below the fine-tuned encoder's, matching ROC AUC not below zero-shot's{folds}; then "
        "the highest matching ROC AUC, then the largest mean OOD gain"
    )


def build(
    *, spec_path: Path, fine_tuned: str, version: str, registry: Registry, adapter: bool = False
) -> Path:
    started = time.monotonic()
    encoder.set_threads()
    tuned_version = registry.get("fit", fine_tuned)
    out = registry.root / "fit" / version
    out.mkdir(parents=True, exist_ok=False)
    two = TwoStackEncoder.from_tuned(load_fit_encoder(tuned_version.path))
    space = _space(two)
    space.save(out)
    meta = _placeholder_meta(version, fine_tuned, space, spec_path, adapter)
    (out / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    reader = FitModel.from_path(out)
    data = model_adapter_data(reader, RECIPE, cache=None) if adapter else None
    weight = train_adapter(data, RECIPE) if data is not None else None
    *sets, owner = _validation_sets(spec_path)
    parts = _Parts(reader)
    parts.add("resume", [t for s in [*sets[0], *sets[1:]] for t in s.resumes])
    parts.add("job", [t for s in [*sets[0], *sets[1:]] for t in s.jobs])
    folds = _validation_folds(owner, space, data) if data is not None else []
    best, rows, baselines = select(parts, space, (sets[0], sets[1], sets[2]), folds, weight)

    meta["blend"] = {
        "fine_tuned": fine_tuned,
        "w_plain": best["w_plain"],
        "w_tuned": best["w_tuned"],
        "w_occupations": best["w_occupations"],
        "occupations": ProfileReading(best["desc_weight"], best["temperature"]).to_json_dict(),
    }
    if weight is not None and best["w_adapted"]:
        save_adapter(out, weight)
        meta["blend"] |= {"w_adapted": best["w_adapted"], "adapter": RECIPE.to_json_dict()}
    meta["selection"] = {
        "rule": _rule(adapter),
        "validation": {
            "sets": [s.name for s in sets[0]] + [sets[1].name, sets[2].name],
            "ood_resumes": len(sets[0][0].resumes),
            "ood_occupations": len(sets[0][0].jobs),
            "leave_out_folds": len(folds),
        },
        "baselines": baselines,
        "chosen": best,
        "grid_rows": len(rows),
    }
    return finish_version(out, meta, rows, started)


if __name__ == "__main__":
    run_cli(build, __doc__)
