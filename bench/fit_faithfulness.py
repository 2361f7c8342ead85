"""Explanation faithfulness: deletion and insertion curves for every fit explanation method
against random orders, on held-out relevant pairs, same run; seconds per explanation.

python -m bench.fit_faithfulness [--pairs 20] [--method contribution --method shap ...]
python -m bench.fit_faithfulness --method shap@100 --method shap@40   # two SHAP budgets
python -m bench.fit_faithfulness --quick   # the older top-10 % deletion check only
"""

from __future__ import annotations

import argparse
import time

from mlcore.matching import FitModel
from mlcore.matching.explain import METHODS
from mlcore.matching.faithfulness import FRACTIONS, curves, deletion_test, relevant_test_pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument(
        "--method",
        action="append",
        help=f"one of {', '.join(METHODS)}, or shap@N (SHAP with N evaluations; repeat to "
        "compare budgets in one run)",
    )
    parser.add_argument("--random-draws", type=int, default=3)
    parser.add_argument(
        "--quick", action="store_true", help="top-10%% deletion only (contribution, IG)"
    )
    args = parser.parse_args()
    for method in args.method or []:
        if method not in METHODS and not (
            method.startswith("shap@") and method[5:].isdigit() and int(method[5:]) > 1
        ):
            parser.error(f"unknown method {method!r}: one of {', '.join(METHODS)} or shap@N")
    model = FitModel.load()
    pairs = relevant_test_pairs(args.pairs)
    started = time.perf_counter()
    if args.quick:
        print(f"fit model {model.version}; {len(pairs)} pairs; deleting 10% of resume words")
        for method in args.method or ["contribution", "integrated_gradients"]:
            r = deletion_test(model, pairs, method=method)
            print(
                f"{method:24s} top drop {r.top_drop:6.2f}  random |change| "
                f"{r.random_change:6.2f}  ratio {r.ratio:5.2f}"
            )
        return
    methods = args.method or list(METHODS)
    results = curves(model, pairs, methods, random_draws=args.random_draws)
    fractions = ", ".join(f"{f:.0%}" for f in FRACTIONS)
    print(
        f"fit model {model.version} (fine-tuned encoder, first {model.max_length} word pieces); "
        f"{len(pairs)} held-out relevant (job, resume) pairs; resume words deleted / inserted "
        f"at {fractions} of the words read; scores 0-100; random: {args.random_draws} orders"
    )
    header = (
        f"{'method':22s} {'deletion AOPC':>13s} {'x random':>9s} {'insertion AUC':>14s} "
        f"{'x random':>9s} {'s/explanation':>14s}"
    )
    print(header)
    rand = results[-1]
    for r in sorted(results, key=lambda r: -r.aopc):
        # Ratios to random orders' areas ("nan" where random's area is not positive).
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
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
