"""Template helpers for survey results: comments with their model reasons highlighted."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

# The colour of the predicted label; words that argued against it are blue.
LABEL_RGB = {"negative": "207,34,46", "neutral": "191,135,0", "positive": "26,127,55"}
AGAINST_RGB = "9,105,218"
MIN_WEIGHT = 0.05  # below this a word is left plain


@register.filter
def highlight(attributions: list[Any] | None, label: str = "") -> SafeString:
    """Each word in a <span>: the stronger its weight, the stronger its colour (escaped)."""
    parts = []
    for word, weight in attributions or []:
        weight = float(weight)
        if abs(weight) < MIN_WEIGHT:
            parts.append((word,))
            continue
        rgb = LABEL_RGB.get(label, "110,119,129") if weight > 0 else AGAINST_RGB
        alpha = round(min(abs(weight), 1.0) * 0.75, 2)
        parts.append(
            (
                format_html(
                    '<span class="attr attr-{}" style="background: rgba({}, {})" '
                    'title="{}">{}</span>',
                    "for" if weight > 0 else "against",
                    rgb,
                    alpha,
                    f"{weight:+.2f}",
                    word,
                ),
            )
        )
    return format_html_join(" ", "{}", parts)


@register.filter
def indent(depth: int) -> str:
    return "\u2003" * int(depth or 0)
