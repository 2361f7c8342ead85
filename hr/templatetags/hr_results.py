"""Template helpers for survey results: comments with their model reasons highlighted."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from core.templatetags.attributions import Sign, render_words

register = template.Library()

# The colour of the predicted label; words that argued against it are blue.
LABEL_RGB = {"negative": "207,34,46", "neutral": "191,135,0", "positive": "26,127,55"}
AGAINST_RGB = "9,105,218"


@register.filter
def highlight(attributions: list[Any] | None, label: str = "") -> SafeString:
    """Each word tinted by its weight: the label's colour towards it, blue against it
    (escaped; the shared renderer, core.templatetags.attributions)."""
    towards = Sign(LABEL_RGB.get(label, "110,119,129"), "attr attr-for", f"towards {label}")
    against = Sign(AGAINST_RGB, "attr attr-against", f"against {label}")
    return render_words(attributions, up=towards, down=against)


@register.filter
def indent(depth: int) -> str:
    return "\u2003" * int(depth or 0)
