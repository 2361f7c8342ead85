"""Token attributions → the text's own words, shared by fit and sentiment explanations.

The tokenizer lower-cases and splits ("Node.js" → "node", ".", "js"); its offset mapping
points every word piece back at the characters it came from. So each token's value is added
to the whitespace-separated word its characters belong to, and the words are the text's own,
in its own casing: "Node.js," stays one word. Words the model did not read (past its limit of
word pieces) get `None` instead of a weight, so the whole text can be shown with only the read
part highlighted.

A stored explanation is `[[word, weight or None], ...]` over every word of the text: joined
with single spaces it is the (tidied) text again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

_WORD = re.compile(r"\S+")


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each whitespace-separated word."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def token_words(spans: list[tuple[int, int]], offsets: Sequence[Sequence[int]]) -> list[int]:
    """The word index of each token (-1 for [CLS], [SEP] and padding: empty offsets)."""
    starts = [s for s, _ in spans]
    out = []
    for start, end in offsets:
        if start == end:
            out.append(-1)
            continue
        i = bisect_right(starts, int(start)) - 1
        out.append(i if i >= 0 and int(start) < spans[i][1] else -1)
    return out


def read_words(spans: list[tuple[int, int]], offsets: Sequence[Sequence[int]]) -> int:
    """How many words (from the first) the model read at least one piece of."""
    found = [i for i in token_words(spans, offsets) if i >= 0]
    return max(found) + 1 if found else 0


def scaled(values: Sequence[float]) -> list[float]:
    """Divided by the largest |value| (so it is 1); all zeros stay zeros."""
    peak = max((abs(float(v)) for v in values), default=0.0)
    return [float(v) / peak if peak > 0 else 0.0 for v in values]


def to_words(
    text: str, offsets: Sequence[Sequence[int]], token_values: Sequence[float]
) -> list[list[object]]:
    """[[word, weight or None], ...] for every word of `text`: each read word's weight is the
    sum of its pieces' values, scaled so the largest |weight| is 1; unread words get None."""
    spans = word_spans(text)
    index = token_words(spans, offsets)
    sums = [0.0] * len(spans)
    read = 0
    for i, value in zip(index, token_values, strict=True):
        if i >= 0:
            sums[i] += float(value)
            read = max(read, i + 1)
    weights = scaled(sums[:read])
    return [
        [text[s:e], round(weights[i], 4) if i < read else None] for i, (s, e) in enumerate(spans)
    ]


def word_values(text: str, read: int, values: Sequence[float]) -> list[list[object]]:
    """Pairs for every word of `text` from one value per read word (the first `read`)."""
    spans = word_spans(text)
    weights = scaled(values)
    return [
        [text[s:e], round(weights[i], 4) if i < read else None] for i, (s, e) in enumerate(spans)
    ]


# Blinding placeholders (mlcore.masking): "[NAME]", "[EMAIL]"..., possibly with punctuation
# glued on ("[NAME],"). Never a reason for a score.
PLACEHOLDER = re.compile(r"\[[A-Z]+\]")


def is_placeholder(word: str) -> bool:
    return bool(PLACEHOLDER.search(word))
