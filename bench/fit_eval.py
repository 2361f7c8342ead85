"""Fit evaluation on held-out and out-of-distribution sets, with bootstrap intervals.

BM25, zero-shot MiniLM, the fine-tuned encoder, the shipped scorer and candidate versions,
one run:

    python -m bench.fit_eval [--version VERSION] [--candidate fit-20261130-onet ...]
                             [--resumes 1000] [--seed 15] [--resamples 1000] [--json]
                             [--record]

Prints ROC AUC, nDCG@10 and MRR per set and method, each with a bootstrap 95% interval
(queries resampled, fixed seed, the same draws for every method), and each compared model
minus zero-shot on the same draws. Sets: mlcore/matching/evaluation.py (held-out) and
mlcore/matching/ood.py (out of distribution; occupations and front matter in
bench/data/ood_occupations.json). The OOD sets are their *test* part: occupations split by a
fixed hash (`ood.occupation_part`); blends were chosen on the validation part, which shares
no occupation or resume. Every text is blinded (`mask_text`) as the app does.

Leave-occupations-out folds (candidates with an occupation space): for each SOC major group
of the test part, the candidate's occupation profiles are computed without any of that
group's O*NET occupations, its O*NET-trained resume adapter (if it has one) is retrained
without them (mlcore/matching/adapter.py), and the group's resumes rank all the test part's
occupations. The fine-tuned encoder is not retrained per fold (half an hour each): the fold's
header says how many of the group's occupations it trained on.

`--record` writes each candidate's figures and zero-shot's, per set, to the version's
`evaluation.json`: the registry's activation gate reads it (mlcore/matching/gate.py).
"""

from __future__ import annotations

import argparse
import functools
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mlcore.matching.adapter import AdapterRecipe, model_adapter_data, train_adapter
from mlcore.matching.artefacts import embed_texts, zero_shot_encoder
from mlcore.matching.evaluation import (
    CachedEmbedder,
    EvalSet,
    Evaluation,
    Scorer,
    bm25_for,
    embedding_scorer,
    evaluate_with_resamples,
    held_out_sets,
)
from mlcore.matching.metrics import interval
from mlcore.matching.model import FitModel
from mlcore.matching.ood import (
    OodSample,
    load_spec,
    ood_part,
    ood_sets,
    resume_subset,
    training_occupation_codes,
)
from mlcore.matching.runtime import cache_dir
from mlcore.matching.text import prepare_job, prepare_resume
from mlcore.registry import Registry

OOD_SPEC = Path(__file__).resolve().parent / "data" / "ood_occupations.json"
METRICS = (("roc_auc", "ROC AUC"), ("ndcg@10", "nDCG@10"), ("mrr", "MRR"))
PER_OCCUPATION = 5
CANDIDATES = ("fit-20261130-onet",)
ZERO = "zero-shot MiniLM"
FOLD_PREFIX = "leave-out fold: major group "


def _model_scorers(model: FitModel, *, calibrated: bool) -> Scorer:
    jobs = CachedEmbedder(model.embed_jobs)
    resumes = CachedEmbedder(model.embed_resumes)
    if not calibrated:
        return embedding_scorer(jobs, resumes)

    def shipped(job_texts: list[str], resume_texts: list[str]) -> np.ndarray:
        # What the app stores and ranks by: 0–100 after the version's calibration.
        return model.calibrate(jobs(job_texts) @ resumes(resume_texts).T)

    return shipped


def _methods(
    version: str | None, candidates: list[str]
) -> tuple[dict[str, Callable[[EvalSet], Scorer]], dict[str, FitModel]]:
    shipped = FitModel.load()
    tuned = shipped if version in (None, shipped.version) else FitModel.load(version)
    zero, length = zero_shot_encoder(), shipped.max_length  # zero-shot reads as much
    zero_shot = embedding_scorer(
        CachedEmbedder(lambda t: embed_texts(zero, [prepare_job(x) for x in t], length)),
        CachedEmbedder(lambda t: embed_texts(zero, [prepare_resume(x) for x in t], length)),
    )
    methods: dict[str, Callable[[EvalSet], Scorer]] = {
        "BM25": bm25_for,
        ZERO: lambda _: zero_shot,
    }
    if tuned is shipped:
        # The active registry version with a monotone calibration on top: one row, scored as
        # the app scores.
        both = _model_scorers(shipped, calibrated=True)
        methods[f"shipped ({shipped.version})"] = lambda _: both
    else:
        raw = _model_scorers(tuned, calibrated=False)
        app = _model_scorers(shipped, calibrated=True)
        methods[f"fine-tuned ({tuned.version})"] = lambda _: raw
        methods[f"shipped ({shipped.version})"] = lambda _: app
    models = {}
    for name in candidates:
        if name == shipped.version:
            continue
        models[name] = FitModel.load(name)
        scorer = _model_scorers(models[name], calibrated=True)
        methods[f"candidate ({name})"] = lambda _, scorer=scorer: scorer
    return methods, models


class _FoldScorer:
    """A candidate scored with its occupation space minus some occupations: the pooled
    encoder vectors are computed once per text, the profiles per fold."""

    def __init__(self, model: FitModel) -> None:
        self.model = model
        self.cache: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    def _pooled(self, side: str, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        reading = self.model.reading
        assert reading is not None
        todo = [t for t in dict.fromkeys(texts) if (side, t) not in self.cache]
        if todo:
            if side == "job":
                prepared = [self.model.prepare_job(t) for t in todo]
                plain, tuned = self.model.pooled(prepared, reading.job_windows)
            else:
                prepared = [self.model.prepare_resume(t) for t in todo]
                plain, tuned = self.model.pooled(prepared, reading.resume_windows)
            for i, t in enumerate(todo):
                self.cache[(side, t)] = (plain[i], tuned[i])
        rows = [self.cache[(side, t)] for t in texts]
        return np.stack([p for p, _ in rows]), np.stack([t for _, t in rows])

    def without(self, codes: set[str]) -> Scorer:
        assert self.model.space is not None
        space = self.model.space.without(codes)
        adapter = self._adapter_without(codes)

        def score(job_texts: list[str], resume_texts: list[str]) -> np.ndarray:
            job, resume = self._pooled("job", job_texts), self._pooled("resume", resume_texts)
            jobs = self.model.compose(*job, space=space, side="job", adapter=adapter)
            resumes = self.model.compose(*resume, space=space, side="resume", adapter=adapter)
            return self.model.calibrate(jobs @ resumes.T)

        return score

    def _adapter_without(self, codes: set[str]) -> np.ndarray | None:
        """The version's adapter recipe retrained without these occupations (seconds)."""
        if not self.model.w_adapted:
            return None
        recipe = AdapterRecipe(**self.model.meta["blend"]["adapter"])
        cache = cache_dir() / self.model.version / "adapter-data.npz"
        data = model_adapter_data(self.model, recipe, cache=cache)
        return train_adapter(data, recipe, exclude=codes)


def _fold_sets(sample: OodSample, base: EvalSet) -> list[tuple[str, EvalSet]]:
    """One set per SOC major group of the test part: the group's resumes ranking every
    occupation of the part (training-format text)."""
    trained = training_occupation_codes()
    out = []
    for group in sorted({r.code[:2] for r in sample.resumes}):
        keep = [r.code[:2] == group for r in sample.resumes]
        codes = {c for c in sample.occupations if c[:2] == group}
        seen = len(codes & trained)
        about = (
            f"profiles without the {len(codes)} test-part occupations of major group {group} "
            f"(nor any other of its {_group_size(group)} O*NET occupations); the fine-tuned "
            f"part trained on {seen} of these {len(codes)}"
        )
        out.append((group, resume_subset(base, keep, f"{FOLD_PREFIX}{group}", about)))
    return out


def _group_size(group: str) -> int:
    return sum(1 for code in _onet_codes() if code.startswith(f"{group}-"))


@functools.cache
def _onet_codes() -> tuple[str, ...]:
    import csv

    from mlcore.matching.datasets import shared_data_dir

    with (shared_data_dir() / "onet" / "occupation_data.csv").open(encoding="utf-8") as fh:
        return tuple(row["O*NET-SOC Code"] for row in csv.DictReader(fh))


def _cell(result: Evaluation, metric: str) -> str:
    low, high = interval(result.resamples[metric])
    return f"{result.metrics[metric]:.3f} [{low:.3f}, {high:.3f}]"


def _difference(a: Evaluation, b: Evaluation, metric: str) -> str:
    low, high = interval(a.resamples[metric] - b.resamples[metric])
    return f"{a.metrics[metric] - b.metrics[metric]:+.3f} [{low:+.3f}, {high:+.3f}]"


def _header(eval_set: EvalSet) -> str:
    n_pos = int(eval_set.relevance.sum())
    if eval_set.resume_queries and len(eval_set.resumes) > 1:
        unit = f"each resume ranks the jobs; {len(eval_set.resumes)} resumes resampled"
    elif eval_set.resume_queries:
        unit = f"one resume ranks the jobs; {len(eval_set.jobs)} jobs resampled"
    else:
        unit = f"each job ranks the resumes; {len(eval_set.jobs)} jobs resampled"
    lines = [
        f"\n{eval_set.name}: {len(eval_set.jobs)} jobs, {len(eval_set.resumes)} resumes, "
        f"{n_pos} relevant pairs of {eval_set.relevance.size} ({unit})"
    ]
    if eval_set.about:
        lines.append(eval_set.about)
    lines.append(
        f"{'method':40s}" + "".join(f" {label + ' [95% CI]':>23s}" for _, label in METRICS)
    )
    return "\n".join(lines)


def _primary(eval_set: EvalSet) -> str:
    """The figure the activation gate compares: MRR where many queries rank, ROC AUC where one
    resume ranks jobs (its MRR is 1 for every method)."""
    return "roc_auc" if eval_set.relevance.shape[1] == 1 else "mrr"


def _print_set(
    eval_set: EvalSet,
    methods: dict[str, Scorer],
    args: argparse.Namespace,
    report: dict[str, dict[str, dict[str, object]]],
) -> dict[str, Evaluation]:
    print(_header(eval_set))
    results: dict[str, Evaluation] = {}
    for name, scorer in methods.items():
        result = evaluate_with_resamples(
            scorer, eval_set, n_resamples=args.resamples, seed=args.seed
        )
        results[name] = result
        print(f"{name:40s}" + "".join(f" {_cell(result, m):>23s}" for m, _ in METRICS))
    for name in results:
        if name in ("BM25", ZERO):
            continue
        label = "  " + name.split(" (")[0]
        print(
            f"{label + ' − zero-shot':40s}"
            + "".join(f" {_difference(results[name], results[ZERO], m):>23s}" for m, _ in METRICS)
        )
    report[eval_set.name] = {
        name: {
            **{m: r.metrics[m] for m, _ in METRICS},
            **{f"{m}_ci95": list(interval(r.resamples[m])) for m, _ in METRICS},
        }
        for name, r in results.items()
    }
    return results


def _record(
    models: dict[str, FitModel],
    primaries: dict[str, str],
    report: dict[str, dict[str, dict[str, object]]],
    args: argparse.Namespace,
) -> None:
    from datetime import UTC, datetime

    for version in models:
        row = f"candidate ({version})"
        found = {
            name: {
                "primary": primaries[name],
                "zero_shot": {m: rows[ZERO][m] for m, _ in METRICS},
                "version": {m: rows[row][m] for m, _ in METRICS},
                "version_ci95": {m: rows[row][f"{m}_ci95"] for m, _ in METRICS},
            }
            for name, rows in report.items()
            if row in rows
        }
        record = {
            "version": version,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": f"python -m bench.fit_eval --candidate {version} --resumes "
            f"{args.resumes} --seed {args.seed} --resamples {args.resamples} --record",
            # The gate reads `sets`: the version as it ships. A leave-out fold scores another
            # model (the version without some occupations): kept for the record only.
            "sets": {k: v for k, v in found.items() if not k.startswith(FOLD_PREFIX)},
            "folds": {k: v for k, v in found.items() if k.startswith(FOLD_PREFIX)},
        }
        path = Registry().get("fit", version).path / "evaluation.json"
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        print(f"recorded {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", help="fine-tuned version to compare (default: the active)")
    parser.add_argument(
        "--candidate",
        "--blend",
        action="append",
        help="a version to compare with the shipped one (repeatable; '' for none); "
        f"default: {', '.join(CANDIDATES)}",
    )
    parser.add_argument(
        "--resumes", type=int, default=1000, help="at most this many OOD test resumes"
    )
    parser.add_argument("--seed", type=int, default=15, help="sampling and bootstrap seed")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument(
        "--record", action="store_true", help="write each candidate's evaluation.json"
    )
    args = parser.parse_args()
    candidates = [c for c in (args.candidate or CANDIDATES) if c]

    started = time.perf_counter()
    print(f"shipped scorer: active fit version {Registry().active('fit').version}")
    methods, models = _methods(args.version, candidates)
    spec = load_spec(OOD_SPEC)
    sample = ood_part(spec, "test", n=args.resumes, per_occupation=PER_OCCUPATION, seed=args.seed)
    print(
        f"OOD sets: test part ({len(sample.resumes)} resumes, {len(sample.occupations)} "
        "occupations); the validation part (other occupations) chose the blends"
    )
    sets = held_out_sets() + ood_sets(sample, spec.preambles, args.seed)
    report: dict[str, dict[str, dict[str, object]]] = {}
    primaries = {s.name: _primary(s) for s in sets}
    for eval_set in sets:
        _print_set(eval_set, {n: f(eval_set) for n, f in methods.items()}, args, report)

    spaced = {v: m for v, m in models.items() if m.space is not None}
    if spaced:
        print("\nLeave-occupations-out folds (each SOC major group of the OOD test part)")
        folds = _fold_sets(sample, sets[len(held_out_sets())])
        scorers = {v: _FoldScorer(m) for v, m in spaced.items()}
        gains: dict[str, list[float]] = {v: [] for v in spaced}
        for group, eval_set in folds:
            codes = {c for c in _onet_codes() if c.startswith(f"{group}-")}
            fold_methods = {"BM25": bm25_for(eval_set), ZERO: methods[ZERO](eval_set)}
            for v, scorer in scorers.items():
                fold_methods[f"candidate ({v})"] = scorer.without(codes)
            results = _print_set(eval_set, fold_methods, args, report)
            primaries[eval_set.name] = "mrr"
            for v in spaced:
                gain = results[f"candidate ({v})"].metrics["mrr"] - results[ZERO].metrics["mrr"]
                gains[v].append(gain)
        for v, found in gains.items():
            print(
                f"\n{v}: mean MRR gain over zero-shot across {len(found)} leave-out folds "
                f"{np.mean(found):+.3f} (min {min(found):+.3f}, max {max(found):+.3f})"
            )
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    if args.record:
        _record(models, primaries, report, args)
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
