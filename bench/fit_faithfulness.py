"""Explanation faithfulness: score drop when deleting top-attributed vs random resume words.

python -m bench.fit_faithfulness [--pairs 20] [--method contribution|integrated_gradients]
"""

from __future__ import annotations

import argparse
import time

from mlcore.matching import FitModel
from mlcore.matching.faithfulness import deletion_test, relevant_test_pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument(
        "--method", action="append", choices=["contribution", "integrated_gradients"]
    )
    args = parser.parse_args()
    model = FitModel.load()
    pairs = relevant_test_pairs(args.pairs)
    print(
        f"fit model {model.version}; {len(pairs)} held-out relevant (job, resume) pairs; "
        "deleting 10% of the resume's words"
    )
    print(
        f"{'method':24s} {'top drop':>9s} {'random drop':>12s} {'random |change|':>16s} "
        f"{'ratio':>7s} {'seconds':>8s}"
    )
    for method in args.method or ["contribution", "integrated_gradients"]:
        started = time.perf_counter()
        r = deletion_test(model, pairs, method=method)
        print(
            f"{method:24s} {r.top_drop:9.2f} {r.random_drop:12.2f} {r.random_change:16.2f} "
            f"{r.ratio:7.2f} "
            f"{time.perf_counter() - started:8.1f}"
        )


if __name__ == "__main__":
    main()
