"""Template helpers for fit scores: highlighted attributions."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def highlight(pairs: list | None) -> SafeString:
    """[[word, weight], ...] → spans: green pushes the score up, red pulls it down; the
    stronger the weight, the stronger the colour. The weight is in the title for screen
    readers and for anyone who wants the number."""
    if not pairs:
        return format_html("<em>{}</em>", "No explanation stored.")

    def span(word: str, weight: float) -> tuple:
        strength = min(1.0, abs(float(weight)))
        rgb = "26,127,55" if weight >= 0 else "195,38,45"
        alpha = round(0.08 + 0.62 * strength, 2) if strength >= 0.05 else 0
        return (rgb, alpha, f"{weight:+.2f}", word)

    return format_html_join(
        " ",
        '<span class="attr" style="background: rgba({}, {})" title="{}">{}</span>',
        (span(word, weight) for word, weight in pairs),
    )


@register.filter
def score_band(score: float | None) -> str:
    if score is None:
        return "none"
    return "high" if score >= 70 else "mid" if score >= 40 else "low"


_STOPWORDS = frozenset([
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "of", "on", "or", "our", "that", "the", "their", "they", "this", "to", "was",
    "we", "were", "will", "with", "you", "your",
])  # fmt: skip


@register.filter
def top_words(pairs: list | None, n: int = 5) -> dict[str, list[str]]:
    """The `n` words that pushed the score up most and the `n` that pulled it down most
    (summed over their occurrences; short words, stop words and masks left out)."""
    words: dict[str, float] = {}
    in_mask = False  # "[ name ]": a blinding placeholder (mlcore.masking), never a reason
    for word, weight in pairs or []:
        if word.startswith("["):
            in_mask = not word.endswith("]")
            continue
        if in_mask:
            in_mask = not word.endswith("]")
            continue
        if len(word) > 2 and word.isalnum() and word.lower() not in _STOPWORDS:
            words[word] = words.get(word, 0.0) + float(weight)
    ranked = sorted(words.items(), key=lambda kv: kv[1])
    return {
        "up": [w for w, x in reversed(ranked[-n:]) if x > 0],
        "down": [w for w, x in ranked[:n] if x < 0],
    }
