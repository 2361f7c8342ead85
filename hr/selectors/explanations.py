"""The explanation methods the survey dashboard's example comments offer, in order of
faithfulness, with what each means: plain data for the page (the methods themselves are
`mlcore.sentiment.explain`).

The order is the one `python -m bench.sentiment_faithfulness` measured (docs/sentiment.md,
"Explanation methods compared"): the method whose top words move the label's probability most
when deleted comes first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import UnknownExplanation


@dataclass(frozen=True)
class Method:
    key: str  # integrated_gradients: Answer.attributions; the others: Answer.explanations
    name: str
    meaning: str
    signed: bool  # False: a weight says where the model looked, not which way it pushed
    on_request: bool  # computed when someone first asks (a task), not ahead


# Most faithful first by area over the deletion curve (docs/sentiment.md, "Explanation
# methods compared").
COMMENT_METHODS = (
    Method(
        "integrated_gradients",
        "Integrated gradients",
        "How the label's probability changes as each word fades in from nothing (gradients "
        "along the way); worked out ahead for the comments quoted.",
        signed=True,
        on_request=False,
    ),
    Method(
        "shap",
        "SHAP",
        "How much each word changes the label's probability when it is removed, averaged over "
        "which other words are there (Partition SHAP on groups of neighbouring words; words "
        "in one group may share a value).",
        signed=True,
        on_request=True,
    ),
    Method(
        "attention",
        "Attention: where the model looked",
        "Which words the model's attention rested on while reading. It shows where the model "
        "looked, not why it chose the label.",
        signed=False,
        on_request=True,
    ),
)
DEFAULT_METHOD = "integrated_gradients"  # worked out ahead, so the page opens with reasons


def comment_method(key: str) -> Method:
    """The method called `key` ("" : the default); UnknownExplanation otherwise."""
    for method in COMMENT_METHODS:
        if method.key == (key or DEFAULT_METHOD):
            return method
    raise UnknownExplanation(key, [m.key for m in COMMENT_METHODS])


def stored_explanations(raw: dict[str, Any] | None, *, version: str, label: str) -> dict[str, Any]:
    """An answer's on-request explanations that still hold: {method: pairs}, only those made
    by its current model version for its current label."""
    return {
        key: entry["pairs"]
        for key, entry in (raw or {}).items()
        if isinstance(entry, dict) and entry.get("version") == version
        if entry.get("label") == label and entry.get("pairs") is not None
    }


def example_comments_explained(comments: list[Any], *, method: Method) -> dict[str, Any]:
    """What the example comments show for `method`: every method (most faithful first), the
    chosen one, each comment with its words for it (None: not worked out yet), and whether
    any is still to be worked out."""
    rows = []
    for comment in comments:
        if method.key == "integrated_gradients":
            pairs = comment["attributions"]
        else:
            pairs = (comment.get("explanations") or {}).get(method.key)
        rows.append({"comment": comment, "pairs": pairs})
    return {
        "methods": [
            {
                "key": m.key,
                "name": m.name,
                "meaning": m.meaning,
                "signed": m.signed,
                "current": m.key == method.key,
            }
            for m in COMMENT_METHODS
        ],
        "current": method,
        "rows": rows,
        "pending": any(row["pairs"] is None for row in rows),
    }
