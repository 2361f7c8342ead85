"""The fit activation gate: a version is activated only if it is not worse than zero-shot
MiniLM on any set of the evaluation suite.

`python -m bench.fit_eval --candidate VERSION --record` writes the version's
`evaluation.json` (per set: its figures and zero-shot's, and which figure decides: MRR where
many queries rank, ROC AUC for the one-resume matching set). `python -m mlcore models
activate fit VERSION` refuses a version without one, or one that loses on any set, and says
which; `--force --reason "..."` activates it anyway and records the reason in its meta.json
and MODEL_CARD.md.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

EVALUATION_FILE = "evaluation.json"


def failures(path: Path) -> list[str]:
    """Why the version in `path` may not be activated (an empty list: it may)."""
    record = path / EVALUATION_FILE
    if not record.exists():
        return [
            f"no evaluation on record ({record.name} is missing): run "
            f"python -m bench.fit_eval --candidate {path.name} --record"
        ]
    sets = json.loads(record.read_text())["sets"]
    out = []
    for name, row in sets.items():
        metric = row["primary"]
        mine, zero = float(row["version"][metric]), float(row["zero_shot"][metric])
        if mine < zero:
            out.append(f"{name}: {metric} {mine:.3f} < zero-shot {zero:.3f}")
    return out


def record_forced(path: Path, reason: str, refused: list[str]) -> None:
    """Keep the override and its reason with the version: meta.json and the model card."""
    at = datetime.now(UTC).isoformat(timespec="seconds")
    meta_path = path / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.setdefault("forced_activations", []).append(
        {"at": at, "reason": reason, "gate_refused": refused}
    )
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    card = path / "MODEL_CARD.md"
    lines = [f"\n## Activated against the gate ({at})\n", f"Reason: {reason}\n", "Gate said:\n"]
    lines += [f"- {r}\n" for r in refused]
    with card.open("a", encoding="utf-8") as fh:
        fh.writelines(lines)
