"""Fit model speed, memory and what the int8 runtime costs, each against a baseline measured
in the same run.

    python -m bench.fit_speed [--texts 128] [--rounds 3] [--skip-quality]
                              [--resumes 1000] [--seed 15] [--resamples 1000]
                              [--candidate VERSION ...] [--skip-torch]

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

`--candidate VERSION` (repeatable; e.g. the distilled student `fit-20261130-student`) adds
the version's app path in ONNX Runtime int8 to the same alternating rounds, and to the
quality part: its scores against the active version's int8 scores (what the app serves now),
candidate − active with paired bootstrap intervals, and the largest ROC AUC loss.
`--skip-torch` leaves out the active version's PyTorch path (speed and quality): the int8
figures are then compared with the active version's int8 ones.
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


def _prepared_embedder(model: FitModel) -> Callable[[list[str]], object]:
    return lambda t: model.embed_resumes(t, prepared=True)


def _load() -> str:
    """The machine's load (1, 5, 15 minutes), as `uptime` prints it."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _speed(
    args: argparse.Namespace, fp32: FitModel, int8: FitModel, candidates: dict[str, FitModel]
) -> None:
    texts = [r.text for r in load_resumes()][: args.texts]
    plain = _plain_minilm()
    prepared = [fp32.prepare_resume(t) for t in texts]
    reading = fp32.reading
    found = (
        [w for ws in reading.token_windows(prepared, reading.resume_windows) for w in ws]
        if reading
        else []
    )
    windows = len(found) if reading else len(texts)
    tokens = f", {sum(len(w) for w in found)} tokens" if reading else ""
    print(
        f"{len(texts)} real resumes ({windows} windows of ≤256 tokens{tokens} for {fp32.version}), "
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
    if args.skip_torch:
        del paths[TORCH]
    for version, model in candidates.items():
        if model.read_chars != fp32.read_chars:
            raise SystemExit(f"{version} reads other prepared texts than {fp32.version}")
        paths[version] = (_prepared_embedder(model), prepared)
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
        if name in rate:
            print(f"{'app, ' + label:48s} {rate[name]:6.1f} texts/s   {rate[name] / base:.2f}x")
    if TORCH in rate:
        print(f"{'  int8 / torch on the app path':48s} {rate[ONNX_INT8] / rate[TORCH]:13.2f}x")
    for version, model in candidates.items():
        passes = _layer_passes(model)
        label = f"{version}, ONNX Runtime int8"
        print(f"{label:48s} {rate[version]:6.1f} texts/s   {rate[version] / base:.2f}x")
        print(
            f"{'  ' + version + ' / active int8':48s} {rate[version] / rate[ONNX_INT8]:13.2f}x"
            f"  ({passes} layer passes per window against {_layer_passes(int8)})"
        )
    label = f"blinding alone ({fp32.read_chars} chars, once per resume)"
    print(f"{label:48s} {rate['blinding']:6.1f} texts/s")
    for name in [n for n in (TORCH, ONNX_INT8, *candidates) if n in rate]:
        first = 1 / (1 / rate[name] + 1 / rate["blinding"])
        print(
            f"{'first embedding of a new resume, ' + name:48s} {first:6.1f} texts/s   "
            f"{first / base:.2f}x  (blinding + encoder)"
        )


def _layer_passes(model: FitModel) -> int:
    """Encoder layer passes per window of a blend's two stacks (shared, both tops)."""
    two = model.two_stack
    if two is None:
        return 6
    return len(two.tuned.base.encoder.layer) + len(two.plain_top)


def _quality(
    args: argparse.Namespace, fp32: FitModel, int8: FitModel, candidates: dict[str, FitModel]
) -> None:
    spec = load_spec(OOD_SPEC)
    sample = ood_part(spec, "test", n=args.resumes, per_occupation=PER_OCCUPATION, seed=args.seed)
    sets: list[EvalSet] = held_out_sets() + ood_sets(sample, spec.preambles, args.seed)
    # The reference each other row is compared with: the active version in PyTorch, or in
    # int8 (what the app serves) with --skip-torch.
    reference = ONNX_INT8 if args.skip_torch else TORCH
    models = {TORCH: fp32, ONNX_INT8: int8, **candidates}
    if args.skip_torch:
        del models[TORCH]
    scorers = {name: _model_scorers(m, calibrated=True) for name, m in models.items()}
    compared = [n for n in scorers if n != reference]
    print(
        f"\nWhat it costs against {fp32.version} in {reference} (scored as the app scores; OOD: "
        f"test part, {len(sample.resumes)} resumes, {len(sample.occupations)} occupations)"
    )
    header = "".join(f" {label + ' [95% CI]':>23s}" for _, label in METRICS)
    worst = {n: {m: 0.0 for m, _ in METRICS} for n in compared}
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
            print(f"{name[:24]:24s}" + "".join(f" {_cell(result, m):>23s}" for m, _ in METRICS))
        for name in compared:
            label = f"  {_short(name)} − {_short(reference)}"
            print(
                f"{label[:24]:24s}"
                + "".join(
                    f" {_difference(results[name], results[reference], m):>23s}" for m, _ in METRICS
                )
            )
            for m, _ in METRICS:
                cost = results[reference].metrics[m] - results[name].metrics[m]
                worst[name][m] = max(worst[name][m], cost)
    for name in compared:
        print(
            f"\nlargest cost of {name} over these sets ({reference} − {_short(name)}): "
            + ", ".join(f"{label} {worst[name][m]:+.3f}" for m, label in METRICS)
        )

    # Scores in points: the same pairs in both runtimes, and mixed (a job embedded by int8
    # against resumes whose vectors torch stored before the switch).
    base = sets[len(held_out_sets())]
    ref = models[reference]
    jobs_t, res_t = ref.embed_jobs(base.jobs), ref.embed_resumes(base.resumes)
    torch_scores = ref.calibrate(jobs_t @ res_t.T)
    moves = []
    for name in compared:
        model = models[name]
        jobs_q, res_q = model.embed_jobs(base.jobs), model.embed_resumes(base.resumes)
        moves.append((f"{_short(name)} job × {_short(name)} resumes", model, jobs_q @ res_q.T))
        if name == ONNX_INT8 and reference == TORCH:
            moves.append(("int8 job × torch resumes (stored)", model, jobs_q @ res_t.T))
    for label, model, cosine in moves:
        scores = model.calibrate(cosine)
        moved = np.abs(scores - torch_scores)
        print(
            f"0–100 score moved against {reference}, {label:34s} mean {moved.mean():.2f}, "
            f"p99 {np.percentile(moved, 99):.2f}, max {moved.max():.2f} points "
            f"({moved.size} pairs of {base.name.split(' (')[0]})"
        )


def _short(name: str) -> str:
    return {ONNX_INT8: "int8", TORCH: "torch"}.get(name, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-quality", action="store_true", help="speed and memory only")
    parser.add_argument("--resumes", type=int, default=1000, help="at most this many OOD resumes")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument(
        "--candidate",
        action="append",
        default=[],
        help="another fit version's int8 app path in the same rounds (repeatable)",
    )
    parser.add_argument(
        "--skip-torch", action="store_true", help="leave out the active version's PyTorch path"
    )
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
    candidates = {}
    for version in args.candidate:
        candidates[version] = FitModel.load(version, runtime=ONNX_INT8)
        built = time.perf_counter()
        found = candidates[version].stacks()
        path = getattr(found, "path", None)
        size = path.stat().st_size / 1e6 if path else 0.0
        print(
            f"{version}: int8 ONNX stacks ready in {time.perf_counter() - built:.1f} s "
            f"({size:.1f} MB, {path})"
        )
    _speed(args, fp32, int8, candidates)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS with plain MiniLM and every runtime loaded: {peak_mb:.0f} MB")
    if not args.skip_quality:
        _quality(args, fp32, int8, candidates)
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
