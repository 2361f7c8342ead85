"""Fit evaluation on held-out and out-of-distribution sets, with bootstrap intervals.

BM25, zero-shot MiniLM, the fine-tuned encoder and the shipped scorer, one run:

    python -m bench.fit_eval [--version VERSION] [--blend fit-20261130-blend]
                             [--resumes 1000] [--seed 15] [--resamples 1000] [--json]

Prints ROC AUC, nDCG@10 and MRR per set and method, each with a bootstrap 95% interval
(queries resampled, fixed seed, the same draws for every method), and the fine-tuned model
and the blend minus zero-shot on the same draws. Sets: mlcore/matching/evaluation.py
(held-out) and mlcore/matching/ood.py (out of distribution; occupations and front matter in
bench/data/ood_occupations.json). The OOD sets are their *test* part: occupations split by a
fixed hash (`ood.occupation_part`); the blend's reading and weight were chosen on the
validation part (`python -m mlcore.matching.blend`), which shares no occupation or resume.
Every text is blinded (`mask_text`) as the app does.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

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
from mlcore.matching.ood import load_spec, ood_part, ood_sets
from mlcore.matching.text import prepare_job, prepare_resume
from mlcore.registry import Registry

OOD_SPEC = Path(__file__).resolve().parent / "data" / "ood_occupations.json"
METRICS = (("roc_auc", "ROC AUC"), ("ndcg@10", "nDCG@10"), ("mrr", "MRR"))
PER_OCCUPATION = 5
BLEND_VERSION = "fit-20261130-blend"


def _model_scorers(model: FitModel, *, calibrated: bool) -> Scorer:
    jobs = CachedEmbedder(model.embed_jobs)
    resumes = CachedEmbedder(model.embed_resumes)
    if not calibrated:
        return embedding_scorer(jobs, resumes)

    def shipped(job_texts: list[str], resume_texts: list[str]) -> np.ndarray:
        # What the app stores and ranks by: 0–100 after the version's calibration.
        return model.calibrate(jobs(job_texts) @ resumes(resume_texts).T)

    return shipped


def _methods(version: str | None, blend: str | None) -> dict[str, Callable[[EvalSet], Scorer]]:
    shipped = FitModel.load()
    tuned = shipped if version in (None, shipped.version) else FitModel.load(version)
    zero, length = zero_shot_encoder(), shipped.max_length  # zero-shot reads as much
    zero_shot = embedding_scorer(
        CachedEmbedder(lambda t: embed_texts(zero, [prepare_job(x) for x in t], length)),
        CachedEmbedder(lambda t: embed_texts(zero, [prepare_resume(x) for x in t], length)),
    )
    methods: dict[str, Callable[[EvalSet], Scorer]] = {
        "BM25": bm25_for,
        "zero-shot MiniLM": lambda _: zero_shot,
    }
    if tuned is shipped:
        # The active registry version is the fine-tuned encoder with a monotone calibration
        # on top: one row, scored as the app scores.
        both = _model_scorers(shipped, calibrated=True)
        methods[f"fine-tuned = shipped ({shipped.version})"] = lambda _: both
    else:
        raw = _model_scorers(tuned, calibrated=False)
        app = _model_scorers(shipped, calibrated=True)
        methods[f"fine-tuned ({tuned.version})"] = lambda _: raw
        methods[f"shipped ({shipped.version})"] = lambda _: app
    if blend and blend != shipped.version:
        # Whole texts, zero-shot + fine-tuned in one stored vector, scored as the app would.
        blended = _model_scorers(FitModel.load(blend), calibrated=True)
        methods[f"blend ({blend})"] = lambda _: blended
    return methods


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", help="fine-tuned version to compare (default: the active)")
    parser.add_argument(
        "--blend", default=BLEND_VERSION, help="blend version to compare ('' for none)"
    )
    parser.add_argument(
        "--resumes", type=int, default=1000, help="at most this many OOD test resumes"
    )
    parser.add_argument("--seed", type=int, default=15, help="sampling and bootstrap seed")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    args = parser.parse_args()

    started = time.perf_counter()
    print(f"shipped scorer: active fit version {Registry().active('fit').version}")
    methods = _methods(args.version, args.blend or None)
    spec = load_spec(OOD_SPEC)
    sample = ood_part(spec, "test", n=args.resumes, per_occupation=PER_OCCUPATION, seed=args.seed)
    print(
        f"OOD sets: test part ({len(sample.resumes)} resumes, {len(sample.occupations)} "
        "occupations); the validation part (other occupations) chose the blend"
    )
    sets = held_out_sets() + ood_sets(sample, spec.preambles, args.seed)
    tuned_name, zero_name = list(methods)[2], "zero-shot MiniLM"
    compared = [tuned_name] + [n for n in methods if n.startswith("blend (")]

    report: dict[str, dict[str, dict[str, object]]] = {}
    for eval_set in sets:
        print(_header(eval_set))
        results: dict[str, Evaluation] = {}
        for name, scorer_for in methods.items():
            result = evaluate_with_resamples(
                scorer_for(eval_set), eval_set, n_resamples=args.resamples, seed=args.seed
            )
            results[name] = result
            print(f"{name:40s}" + "".join(f" {_cell(result, m):>23s}" for m, _ in METRICS))
        for name in compared:
            label = "  blend" if name.startswith("blend") else "  fine-tuned"
            print(
                f"{label + ' − zero-shot':40s}"
                + "".join(
                    f" {_difference(results[name], results[zero_name], m):>23s}" for m, _ in METRICS
                )
            )
        report[eval_set.name] = {
            name: {
                **{m: r.metrics[m] for m, _ in METRICS},
                **{f"{m}_ci95": list(interval(r.resamples[m])) for m, _ in METRICS},
            }
            for name, r in results.items()
        }
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
