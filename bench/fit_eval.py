"""Held-out fit evaluation: BM25, zero-shot MiniLM cosine and the fine-tuned model, one run.

    python -m bench.fit_eval [--version VERSION]

Prints ROC AUC, nDCG@10 and MRR per test set and method (see mlcore/matching/evaluation.py).
"""

from __future__ import annotations

import argparse
import json
import time

from mlcore.matching.artefacts import embed_texts, zero_shot_encoder
from mlcore.matching.evaluation import bm25_scorer, embedding_scorer, evaluate, held_out_sets
from mlcore.matching.model import FitModel
from mlcore.matching.text import prepare_job, prepare_resume


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--version", help="fit model version (default: the active one)")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    args = parser.parse_args()

    model = FitModel.load(args.version)
    zero = zero_shot_encoder()
    scorers = {
        "BM25": bm25_scorer,
        "zero-shot MiniLM": embedding_scorer(
            lambda t: embed_texts(zero, [prepare_job(x) for x in t], model.max_length),
            lambda t: embed_texts(zero, [prepare_resume(x) for x in t], model.max_length),
        ),
        f"fine-tuned ({model.version})": embedding_scorer(model.embed_jobs, model.embed_resumes),
    }
    report: dict[str, dict[str, dict[str, float]]] = {}
    for eval_set in held_out_sets():
        n_pos = int(eval_set.relevance.sum())
        print(
            f"\n{eval_set.name}: {len(eval_set.jobs)} jobs, {len(eval_set.resumes)} resumes, "
            f"{n_pos} relevant pairs of {eval_set.relevance.size}"
        )
        print(f"{'method':32s} {'ROC AUC':>8s} {'nDCG@10':>8s} {'MRR':>8s} {'seconds':>8s}")
        report[eval_set.name] = {}
        for name, scorer in scorers.items():
            started = time.perf_counter()
            m = evaluate(scorer, eval_set)
            elapsed = time.perf_counter() - started
            report[eval_set.name][name] = m
            print(
                f"{name:32s} {m['roc_auc']:8.3f} {m['ndcg@10']:8.3f} {m['mrr']:8.3f} {elapsed:8.1f}"
            )
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
