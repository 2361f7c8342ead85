"""The explanation methods a score's page offers, in order of faithfulness, with what each
means: plain data for the candidate page (the methods themselves are `mlcore.matching.explain`).

The order is the one `python -m bench.fit_faithfulness` measured (docs/fit.md, "Explanation
methods compared"): the method whose top words move the score most comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Method:
    key: str  # where it is stored in FitScore.explanation
    name: str
    meaning: str
    signed: bool  # False: a weight says where the model looked, not which way it pushed
    instant: bool  # stored with every score; otherwise computed on request
    sides: tuple[str, ...]  # "resume", "job": which texts it explains


# Most faithful first by area over the deletion curve (docs/fit.md, "Explanation methods
# compared", 20 held-out pairs): integrated gradients 23.5, word contributions 23.2 (a tie
# in all but name), SHAP 17.4, attention 2.9, random deletion 1.2.
FIT_METHODS = (
    Method(
        "integrated_gradients",
        "Integrated gradients",
        "How the score changes as each word fades in from nothing (gradients along the way).",
        signed=True,
        instant=False,
        sides=("resume",),
    ),
    Method(
        "attributions",
        "Word contributions",
        "The score split exactly into one share per word: the model's own arithmetic, "
        "computed with every score.",
        signed=True,
        instant=True,
        sides=("resume", "job"),
    ),
    Method(
        "shap",
        "SHAP",
        "How much each word changes the score when it is removed from the resume, "
        "averaged over which other words are there (Partition SHAP on groups of neighbouring "
        "words; words in one group may share a value).",
        signed=True,
        instant=False,
        sides=("resume",),
    ),
    Method(
        "attention",
        "Attention: where the model looked",
        "Which words the model's attention rested on while reading. It shows where the model "
        "looked, not why it gave this score, and it knows nothing about the job.",
        signed=False,
        instant=False,
        sides=("resume",),
    ),
)


def fit_explanation_methods(explanation: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Each method, most faithful first: its name, meaning, and stored words (or None: it
    has to be asked for)."""
    explanation = explanation or {}
    out = []
    for method in FIT_METHODS:
        stored = explanation.get(method.key)
        out.append(
            {
                "key": method.key,
                "name": method.name,
                "meaning": method.meaning,
                "signed": method.signed,
                "on_request": not method.instant,
                "sides": [
                    {"side": side, "pairs": stored.get(side)}
                    for side in method.sides
                    if stored and stored.get(side)
                ],
                "ready": bool(stored),
            }
        )
    return out
