"""Template helpers for survey results: comments with their model reasons highlighted."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from core.templatetags.attributions import LOOKED, Sign, render_words

register = template.Library()

# The colour of the predicted label; words that argued against it are blue. The palette is
# defined once, in static/css/app.css.
LABEL_RGB = {
    "negative": "var(--hl-red)",
    "neutral": "var(--hl-amber)",
    "positive": "var(--hl-green)",
}
AGAINST_RGB = "var(--hl-blue)"


@register.filter
def highlight(attributions: list[Any] | None, label: str = "") -> SafeString:
    """Each word tinted by its weight: the label's colour towards it, blue against it
    (escaped; the shared renderer, core.templatetags.attributions)."""
    towards = Sign(LABEL_RGB.get(label, "var(--hl-grey)"), "attr attr-for", f"towards {label}")
    against = Sign(AGAINST_RGB, "attr attr-against", f"against {label}")
    return render_words(attributions, up=towards, down=against)


@register.simple_tag
def comment_words(pairs: list[Any] | None, label: str, signed: bool = True) -> SafeString:
    """One method's words of a comment: signed as `highlight`; unsigned (attention) in blue,
    stronger where the model looked more."""
    if signed:
        return highlight(pairs, label)
    return render_words(pairs, up=LOOKED, down=None)


@register.filter
def indent(depth: int) -> str:
    return "\u2003" * int(depth or 0)
