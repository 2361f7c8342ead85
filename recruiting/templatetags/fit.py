"""Template helpers for fit scores: highlighted attributions."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from core.templatetags.attributions import word_highlights
from mlcore.words import is_placeholder

from ..selectors import fit as fit_rules
from ..selectors.explanations import fit_explanation_methods

register = template.Library()


@register.filter
def highlight(pairs: list | None) -> SafeString:
    """[[word, weight], ...] → the text with its words tinted: green pushed the score up, red
    pulled it down, stronger colour for a larger share (core.templatetags.attributions)."""
    return word_highlights(pairs)


@register.filter
def explanation_methods(explanation: dict | None) -> list[dict]:
    """The score's explanation methods, most faithful first (recruiting.selectors)."""
    return fit_explanation_methods(explanation)


@register.filter
def score_band(score: float | None) -> str:
    """The score's band for its colour (the rule: recruiting.selectors.fit.score_band)."""
    return fit_rules.score_band(score)


_STOPWORDS = frozenset([
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "of", "on", "or", "our", "that", "the", "their", "they", "this", "to", "was",
    "we", "were", "will", "with", "you", "your",
])  # fmt: skip


_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'“”‘’*•-–—/|"


@register.filter
def top_words(pairs: list | None, n: int = 5) -> dict[str, list[str]]:
    """The `n` words that pushed the score up most and the `n` that pulled it down most
    (summed over their occurrences, whatever their casing; punctuation around a word,
    short words, stop words, numbers, unread words and blinding placeholders left out)."""
    words: dict[str, float] = {}
    shown: dict[str, str] = {}
    in_mask = False  # older explanations: "[ name ]" as three pieces (mlcore.masking)
    for word, weight in pairs or []:
        if weight is None:
            continue
        if word == "[":
            in_mask = True
            continue
        if in_mask:
            in_mask = not word.endswith("]")
            continue
        if is_placeholder(word):  # "[NAME]", "[EMAIL],": never a reason
            continue
        core = word.strip(_EDGE_PUNCTUATION)
        key = core.lower()
        if len(core) <= 2 or key in _STOPWORDS or not any(c.isalpha() for c in core):
            continue
        words[key] = words.get(key, 0.0) + float(weight)
        shown.setdefault(key, core)
    ranked = sorted(words.items(), key=lambda kv: kv[1])
    return {
        "up": [shown[w] for w, x in reversed(ranked[-n:]) if x > 0],
        "down": [shown[w] for w, x in ranked[:n] if x < 0],
    }
