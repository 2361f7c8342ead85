"""Fit model speed and memory, each against a baseline measured in the same run.

    python -m bench.fit_speed [--texts 128] [--rounds 3] [--skip-quantized]

1. Resume embeddings per second, against the plain MiniLM forward pass over the same texts
   (256 tokens, batches of 32); rounds alternate between the paths, medians are printed:
   - the app's path: the fine-tuned encoder (merged LoRA + head) on the stored prepared
     text (blinded once per resume, `Resume.model_text`), as every re-embedding runs;
   - blinding alone (once per resume), and the first embedding of a new resume (blinding +
     encoder), for the full picture.
   - the blend version (`--blend`, default fit-20261130-blend): whole-text windows, MiniLM's
     own and the fine-tuned top layers on shared lower layers, on its stored prepared text
     (blinded to its own read length), and its blinding alone.
2. The same with PyTorch dynamic int8 quantisation of the Linear layers, and the held-out
   ROC AUC (category test set) it costs.
3. Peak RSS of this process with the model loaded.
"""

from __future__ import annotations

import argparse
import copy
import resource
import statistics
import time

import torch

from mlcore import encoder
from mlcore.matching import FitModel
from mlcore.matching.artefacts import embed_texts, zero_shot_encoder
from mlcore.matching.datasets import load_resumes
from mlcore.matching.evaluation import embedding_scorer, evaluate, held_out_sets
from mlcore.matching.text import prepare_resume


def _seconds(fn, texts: list[str]) -> float:
    started = time.perf_counter()
    fn(texts)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--texts", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-quantized", action="store_true")
    parser.add_argument("--blend", default="fit-20261130-blend", help="'' for none")
    args = parser.parse_args()
    encoder.set_threads()
    texts = [r.text for r in load_resumes()][: args.texts]
    model = FitModel.load()
    plain = zero_shot_encoder()
    print(
        f"{len(texts)} real resumes, 256 tokens, batches of 32, {torch.get_num_threads()} "
        f"threads, {args.rounds} alternating rounds (medians)"
    )

    def plain_path(t: list[str]) -> None:
        embed_texts(plain, t, 256)

    def blinding(t: list[str]) -> None:
        prepare_resume.cache_clear()
        [prepare_resume(x) for x in t]

    prepared = [prepare_resume(t) for t in texts]

    def app_path(t: list[str]) -> None:
        model.embed_resumes(t, prepared=True)

    blend = FitModel.load(args.blend) if args.blend else None
    blend_prepared = [blend.prepare_resume(t) for t in texts] if blend else []

    def blend_path(t: list[str]) -> None:
        assert blend is not None
        blend.embed_resumes(t, prepared=True)

    def blend_blinding(t: list[str]) -> None:
        assert blend is not None
        prepare_resume.cache_clear()
        [blend.prepare_resume(x) for x in t]

    paths = [(plain_path, texts), (app_path, prepared)]
    if blend:
        paths.append((blend_path, blend_prepared))
    for fn, sample in paths:
        fn(sample[:8])  # warm-up
    times: dict[str, list[float]] = {"plain": [], "app": [], "blinding": []}
    if blend:
        times.update({"blend": [], "blend_blinding": []})
    for _ in range(args.rounds):
        times["plain"].append(_seconds(plain_path, texts))
        times["app"].append(_seconds(app_path, prepared))
        times["blinding"].append(_seconds(blinding, texts))
        if blend:
            times["blend"].append(_seconds(blend_path, blend_prepared))
            times["blend_blinding"].append(_seconds(blend_blinding, texts))
    plain_rate, app_rate, blind_rate = (
        len(texts) / statistics.median(times[k]) for k in ("plain", "app", "blinding")
    )
    first_rate = 1 / (1 / app_rate + 1 / blind_rate)
    print(f"plain MiniLM forward                  {plain_rate:7.1f} texts/s   1.00x")
    print(
        f"app: fine-tuned on stored blinded text {app_rate:6.1f} texts/s   "
        f"{app_rate / plain_rate:.2f}x"
    )
    print(f"blinding alone (once per resume)      {blind_rate:7.1f} texts/s")
    print(
        f"first embedding of a new resume       {first_rate:7.1f} texts/s   "
        f"{first_rate / plain_rate:.2f}x  (blinding + encoder)"
    )

    if blend is not None:
        b_rate, bb_rate = (
            len(texts) / statistics.median(times[k]) for k in ("blend", "blend_blinding")
        )
        assert blend.reading is not None
        print(
            f"blend ({blend.version}, {blend.reading.resume_windows} windows, two tops) "
            f"{b_rate:6.1f} texts/s   {b_rate / plain_rate:.2f}x"
        )
        print(f"blend's blinding ({blend.read_chars} chars)  {bb_rate:7.1f} texts/s")
        first = 1 / (1 / b_rate + 1 / bb_rate)
        print(
            f"blend, first embedding of a new resume {first:6.1f} texts/s   "
            f"{first / plain_rate:.2f}x  (blinding + encoder)"
        )

    if not args.skip_quantized:
        category = next(s for s in held_out_sets() if s.name.startswith("category"))
        fp32_auc = evaluate(embedding_scorer(model.embed_jobs, model.embed_resumes), category)
        quantized = copy.deepcopy(model)
        quantized.encoder = torch.ao.quantization.quantize_dynamic(
            quantized.encoder, {torch.nn.Linear}, dtype=torch.qint8
        )
        embed_texts(quantized.encoder, prepared[:8], model.max_length)  # warm-up
        q_rate = len(prepared) / _seconds(
            lambda t: embed_texts(quantized.encoder, t, model.max_length), prepared
        )
        q_auc = evaluate(embedding_scorer(quantized.embed_jobs, quantized.embed_resumes), category)
        print(
            f"app path, int8 (one round)            {q_rate:7.1f} texts/s   "
            f"{q_rate / plain_rate:.2f}x"
        )
        print(
            f"held-out ROC AUC: fp32 {fp32_auc['roc_auc']:.3f}, int8 {q_auc['roc_auc']:.3f} "
            f"(cost {fp32_auc['roc_auc'] - q_auc['roc_auc']:+.3f})"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS with both encoders loaded: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
