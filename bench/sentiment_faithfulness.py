"""Sentiment explanation faithfulness: deletion and insertion curves for integrated gradients,
SHAP and attention rollout against random orders, on held-out employee reviews of survey
length, same run; seconds per explanation of each method.

python -m bench.sentiment_faithfulness [--texts 40] [--method shap --method shap@100 ...]

The answers: `mlcore.sentiment.corpus.evaluation_reviews()` (held-out employers, never trained
or tuned on; the set `bench.sentiment_eval` reports first), those of 5 to 60 words, a fixed
seeded sample. SMARTHR_TORCH_THREADS sets the CPU threads.
"""

from __future__ import annotations

import argparse
import os
import random
import time

from mlcore.sentiment.corpus import evaluation_reviews
from mlcore.sentiment.explain import METHODS, SHAP_MAX_EVALS
from mlcore.sentiment.faithfulness import FRACTIONS, curves
from mlcore.sentiment.model import get_model


def held_out_answers(count: int, seed: int = 21) -> list[str]:
    """`count` held-out reviews of survey-answer length (5-60 words), in a fixed order."""
    texts = sorted({e.text for e in evaluation_reviews() if 5 <= len(e.text.split()) <= 60})
    return random.Random(seed).sample(texts, min(count, len(texts)))


def _valid(method: str) -> bool:
    return method in METHODS or (
        method.startswith("shap@") and method[5:].isdigit() and int(method[5:]) > 1
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=40)
    parser.add_argument(
        "--method",
        action="append",
        help=f"one of {', '.join(METHODS)}, or shap@N (SHAP with N evaluations)",
    )
    parser.add_argument("--random-draws", type=int, default=3)
    parser.add_argument("--model-version", default=None)
    args = parser.parse_args()
    for method in args.method or []:
        if not _valid(method):
            parser.error(f"unknown method {method!r}: one of {', '.join(METHODS)} or shap@N")
    model = get_model(args.model_version)
    texts = held_out_answers(args.texts)
    model.predict_probs(texts[:2])  # warm-up, not counted
    started = time.perf_counter()
    methods = args.method or list(METHODS)
    results = curves(model, texts, methods, random_draws=args.random_draws)
    words = sum(len(t.split()) for t in texts) / max(1, len(texts))
    print(
        f"sentiment model {model.version} (first {model.max_length} word pieces); {len(texts)} "
        f"held-out employee reviews of 5-60 words (mean {words:.1f}); target: the predicted "
        f"label's calibrated probability, in points (0-100); words deleted / inserted at "
        f"{', '.join(f'{f:.0%}' for f in FRACTIONS)} of the words read; random: "
        f"{args.random_draws} orders; SHAP budget {SHAP_MAX_EVALS} evaluations; torch threads "
        f"{os.environ.get('SMARTHR_TORCH_THREADS', 'default')}; load average "
        f"{os.getloadavg()[0]:.1f} at the start"
    )
    print(
        f"{'method':22s} {'deletion AOPC':>13s} {'x random':>9s} {'insertion AUC':>14s} "
        f"{'x random':>9s} {'s/explanation':>14s}"
    )
    rand = results[-1]
    for r in sorted(results, key=lambda r: -r.aopc):
        d_ratio = r.aopc / rand.aopc if rand.aopc > 1e-9 else float("nan")
        i_ratio = (
            r.insertion_auc / rand.insertion_auc if rand.insertion_auc > 1e-9 else float("nan")
        )
        seconds = "" if r.method == "random" else f"{r.seconds:14.2f}"
        print(
            f"{r.method:22s} {r.aopc:13.2f} {d_ratio:9.2f} {r.insertion_auc:14.2f} "
            f"{i_ratio:9.2f} {seconds:>14s}"
        )
    print("deletion curve (drop at each fraction):")
    for r in results:
        print(f"  {r.method:20s} " + " ".join(f"{x:6.2f}" for x in r.deletion))
    print("insertion curve (gain at each fraction):")
    for r in results:
        print(f"  {r.method:20s} " + " ".join(f"{x:6.2f}" for x in r.insertion))
    print(
        f"total {time.perf_counter() - started:.0f} s; load average at the end "
        f"{os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
