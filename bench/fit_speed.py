"""Fit model speed, memory and what the int8 runtime costs, each against a baseline measured
in the same run.

    python -m bench.fit_speed [--texts 128] [--rounds 3] [--skip-quality]
                              [--resumes 1000] [--seed 15] [--resamples 1000]

1. Resume embeddings per second of the active fit version, against plain all-MiniLM-L6-v2
   as sentence-transformers runs it (fp32 PyTorch) over the same prepared resumes (256
   tokens a window in both, batches of 32); rounds alternate between the paths (the same
   load on each), medians are printed with the load average at the start and the end:
   - the app's path in PyTorch fp32 (`SMARTHR_FIT_RUNTIME=torch`) and in ONNX Runtime int8
     (`SMARTHR_FIT_RUNTIME=onnx-int8`), both on the stored prepared text (blinded once per
     resume, `Resume.model_text`), as every re-embedding runs;
   - blinding alone (once per resume), and the first embedding of a new resume (blinding +
     encoder) in each runtime.
   The ONNX file is built into the cache folder first if it is not there (time printed).
2. What int8 costs: ROC AUC, nDCG@10 and MRR of the app's scores in both runtimes on the
   held-out sets and the out-of-distribution test sets (`bench.fit_eval`'s sets), int8 − torch
   with a paired bootstrap 95 % interval; and how far the 0–100 scores move (int8 against
   torch, and a job embedded in int8 against resumes stored by torch).
3. Peak RSS of this process with both runtimes loaded.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from collections.abc import Callable

import numpy as np
import torch

from bench.fit_eval import (
    METRICS,
    OOD_SPEC,
    PER_OCCUPATION,
    _cell,
    _difference,
    _model_scorers,
)
from mlcore import encoder
from mlcore.matching import FitModel
from mlcore.matching.datasets import load_resumes
from mlcore.matching.evaluation import EvalSet, evaluate_with_resamples, held_out_sets
from mlcore.matching.ood import load_spec, ood_part, ood_sets
from mlcore.matching.runtime import ONNX_INT8, TORCH
from mlcore.matching.text import prepare_resume
from mlcore.matching.whole_text import token_windows


def _seconds(fn: Callable[[list[str]], object], texts: list[str]) -> float:
    started = time.perf_counter()
    fn(texts)
    return time.perf_counter() - started


def _plain_minilm() -> Callable[[list[str]], object]:
    """Plain all-MiniLM-L6-v2 as sentence-transformers runs it (fp32 PyTorch, its own length
    sort, 256 tokens, batches of 32), from the installed package's folder."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(encoder.base_model_path()), device="cpu")
    model.max_seq_length = 256
    return lambda t: model.encode(t, batch_size=32, convert_to_numpy=True)


def _load() -> str:
    """The machine's load (1, 5, 15 minutes), as `uptime` prints it."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _speed(args: argparse.Namespace, fp32: FitModel, int8: FitModel) -> None:
    texts = [r.text for r in load_resumes()][: args.texts]
    plain = _plain_minilm()
    prepared = [fp32.prepare_resume(t) for t in texts]
    reading = fp32.reading
    windows = (
        sum(len(w) for w in token_windows(prepared, 256, reading.overlap, reading.resume_windows))
        if reading
        else len(texts)
    )
    print(
        f"{len(texts)} real resumes ({windows} windows of ≤256 tokens for {fp32.version}), "
        f"batches of 32, {torch.get_num_threads()} threads, {args.rounds} alternating rounds "
        f"(medians); load average {_load()} at the start"
    )

    def blinding(t: list[str]) -> None:
        prepare_resume.cache_clear()
        [fp32.prepare_resume(x) for x in t]

    paths: dict[str, tuple[Callable[[list[str]], object], list[str]]] = {
        # The same prepared texts as the app reads (a window is 256 tokens in both).
        "plain": (plain, prepared),
        TORCH: (lambda t: fp32.embed_resumes(t, prepared=True), prepared),
        ONNX_INT8: (lambda t: int8.embed_resumes(t, prepared=True), prepared),
        "blinding": (blinding, texts),
    }
    for fn, sample in paths.values():
        fn(sample[:8])  # warm-up
    times: dict[str, list[float]] = {k: [] for k in paths}
    for _ in range(args.rounds):
        for name, (fn, sample) in paths.items():
            times[name].append(_seconds(fn, sample))
    rate = {k: len(texts) / statistics.median(v) for k, v in times.items()}
    print(f"load average {_load()} at the end (the same load on every path: rounds alternate)")
    base = rate["plain"]
    print(f"{'plain MiniLM (sentence-transformers, fp32)':48s} {base:6.1f} texts/s   1.00x")
    for name, label in ((TORCH, "PyTorch fp32"), (ONNX_INT8, "ONNX Runtime int8")):
        print(f"{'app, ' + label:48s} {rate[name]:6.1f} texts/s   {rate[name] / base:.2f}x")
    print(f"{'  int8 / torch on the app path':48s} {rate[ONNX_INT8] / rate[TORCH]:13.2f}x")
    label = f"blinding alone ({fp32.read_chars} chars, once per resume)"
    print(f"{label:48s} {rate['blinding']:6.1f} texts/s")
    for name in (TORCH, ONNX_INT8):
        first = 1 / (1 / rate[name] + 1 / rate["blinding"])
        print(
            f"{'first embedding of a new resume, ' + name:48s} {first:6.1f} texts/s   "
            f"{first / base:.2f}x  (blinding + encoder)"
        )


def _quality(args: argparse.Namespace, fp32: FitModel, int8: FitModel) -> None:
    spec = load_spec(OOD_SPEC)
    sample = ood_part(spec, "test", n=args.resumes, per_occupation=PER_OCCUPATION, seed=args.seed)
    sets: list[EvalSet] = held_out_sets() + ood_sets(sample, spec.preambles, args.seed)
    scorers = {TORCH: _model_scorers(fp32, calibrated=True)}
    scorers[ONNX_INT8] = _model_scorers(int8, calibrated=True)
    print(
        f"\nWhat int8 costs ({fp32.version}, scored as the app scores; OOD: test part, "
        f"{len(sample.resumes)} resumes, {len(sample.occupations)} occupations)"
    )
    header = "".join(f" {label + ' [95% CI]':>23s}" for _, label in METRICS)
    worst = {m: 0.0 for m, _ in METRICS}
    for eval_set in sets:
        print(f"\n{eval_set.name}: {len(eval_set.jobs)} jobs, {len(eval_set.resumes)} resumes")
        print(f"{'runtime':24s}{header}")
        results = {
            name: evaluate_with_resamples(
                scorer, eval_set, n_resamples=args.resamples, seed=args.seed
            )
            for name, scorer in scorers.items()
        }
        for name, result in results.items():
            print(f"{name:24s}" + "".join(f" {_cell(result, m):>23s}" for m, _ in METRICS))
        print(
            f"{'  int8 − torch':24s}"
            + "".join(
                f" {_difference(results[ONNX_INT8], results[TORCH], m):>23s}" for m, _ in METRICS
            )
        )
        for m, _ in METRICS:
            cost = results[TORCH].metrics[m] - results[ONNX_INT8].metrics[m]
            worst[m] = max(worst[m], cost)
    print(
        "\nlargest cost of int8 over these sets (torch − int8): "
        + ", ".join(f"{label} {worst[m]:+.3f}" for m, label in METRICS)
    )

    # Scores in points: the same pairs in both runtimes, and mixed (a job embedded by int8
    # against resumes whose vectors torch stored before the switch).
    base = sets[len(held_out_sets())]
    jobs_t, jobs_q = fp32.embed_jobs(base.jobs), int8.embed_jobs(base.jobs)
    res_t = fp32.embed_resumes(base.resumes)
    res_q = int8.embed_resumes(base.resumes)
    torch_scores = fp32.calibrate(jobs_t @ res_t.T)
    for label, scores in (
        ("int8 job × int8 resumes", int8.calibrate(jobs_q @ res_q.T)),
        ("int8 job × torch resumes (stored)", int8.calibrate(jobs_q @ res_t.T)),
    ):
        moved = np.abs(scores - torch_scores)
        print(
            f"0–100 score moved against torch, {label:34s} mean {moved.mean():.2f}, "
            f"p99 {np.percentile(moved, 99):.2f}, max {moved.max():.2f} points "
            f"({moved.size} pairs of {base.name.split(' (')[0]})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-quality", action="store_true", help="speed and memory only")
    parser.add_argument("--resumes", type=int, default=1000, help="at most this many OOD resumes")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    encoder.set_threads()
    fp32 = FitModel.load(runtime=TORCH)
    int8 = FitModel.load(runtime=ONNX_INT8)
    if int8.uses_onnx:
        built = time.perf_counter()
        stacks = int8.stacks()
        path = getattr(stacks, "path", None)
        size = path.stat().st_size / 1e6 if path else 0.0
        print(
            f"int8 ONNX stacks ready in {time.perf_counter() - built:.1f} s "
            f"({size:.1f} MB, {path}; built on first use, then read from the cache)"
        )
    _speed(args, fp32, int8)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS with plain MiniLM and both runtimes loaded: {peak_mb:.0f} MB")
    if not args.skip_quality:
        _quality(args, fp32, int8)
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
