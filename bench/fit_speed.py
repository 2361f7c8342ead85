"""Fit model speed and memory, each against a baseline measured in the same run.

    python -m bench.fit_speed [--texts 128] [--skip-quantized]

1. Resume embeddings per second: our full path (blinding + fine-tuned encoder, merged LoRA)
   next to the plain MiniLM forward pass over the same texts (256 tokens, batches of 32).
2. The same with PyTorch dynamic int8 quantisation of the Linear layers, and the held-out
   ROC AUC (category test set) it costs.
3. Peak RSS of this process with the model loaded.
"""

from __future__ import annotations

import argparse
import copy
import resource
import time

import torch

from mlcore import encoder
from mlcore.matching import FitModel
from mlcore.matching.artefacts import embed_texts, zero_shot_encoder
from mlcore.matching.datasets import load_resumes
from mlcore.matching.evaluation import embedding_scorer, evaluate, held_out_sets
from mlcore.matching.text import prepare_resume


def _rate(fn, texts: list[str]) -> float:
    fn(texts[:8])  # warm-up
    started = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=128)
    parser.add_argument("--skip-quantized", action="store_true")
    args = parser.parse_args()
    encoder.set_threads()
    texts = [r.text for r in load_resumes()][: args.texts]
    model = FitModel.load()
    plain = zero_shot_encoder()
    print(
        f"{len(texts)} real resumes, 256 tokens, batches of 32, {torch.get_num_threads()} threads"
    )

    plain_rate = _rate(lambda t: embed_texts(plain, t, 256), texts)
    prepare_resume.cache_clear()
    full_rate = _rate(model.embed_resumes, texts)
    prepared = [prepare_resume(t) for t in texts]
    model_only = _rate(lambda t: embed_texts(model.encoder, t, model.max_length), prepared)
    print(f"plain MiniLM forward            {plain_rate:7.1f} texts/s   1.00x")
    print(
        f"fine-tuned encoder only         {model_only:7.1f} texts/s   "
        f"{model_only / plain_rate:.2f}x"
    )
    print(
        f"fine-tuned + blinding (full)    {full_rate:7.1f} texts/s   {full_rate / plain_rate:.2f}x"
    )

    if not args.skip_quantized:
        category = next(s for s in held_out_sets() if s.name.startswith("category"))
        fp32_auc = evaluate(embedding_scorer(model.embed_jobs, model.embed_resumes), category)
        quantized = copy.deepcopy(model)
        quantized.encoder = torch.ao.quantization.quantize_dynamic(
            quantized.encoder, {torch.nn.Linear}, dtype=torch.qint8
        )
        q_rate = _rate(lambda t: embed_texts(quantized.encoder, t, model.max_length), prepared)
        q_auc = evaluate(embedding_scorer(quantized.embed_jobs, quantized.embed_resumes), category)
        print(f"fine-tuned encoder, int8        {q_rate:7.1f} texts/s   {q_rate / plain_rate:.2f}x")
        print(
            f"held-out ROC AUC: fp32 {fp32_auc['roc_auc']:.3f}, int8 {q_auc['roc_auc']:.3f} "
            f"(cost {fp32_auc['roc_auc'] - q_auc['roc_auc']:+.3f})"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS with both encoders loaded: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
