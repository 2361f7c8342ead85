"""Word highlights shared by every explanation the app shows (fit scores, survey comments).

An explanation is stored as `[[word, weight], ...]`: the text's own words in reading order
(`mlcore.words`), a weight in [-1, 1] for each word the model read and `None` for words past
its read limit. Older fit explanations stored the tokenizer's lower-cased pieces ("node",
".", "js"); they render the same way, as they were stored.

Each highlighted word is a <mark> tinted by its weight, with the weight and its meaning in the
title. Strong words (|weight| ≥ 0.3) are in the tab order, so keyboard users reach the same
reasons a mouse user hovers over; the text box itself is focusable so it scrolls by keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

MIN_WEIGHT = 0.05  # below this a word is left plain
FOCUS_WEIGHT = 0.3  # at or above this a word can be reached with Tab


@dataclass(frozen=True)
class Sign:
    rgb: str  # a colour of the highlight palette (static/css/app.css), e.g. "var(--hl-green)"
    css: str  # class attribute of the <mark>
    note: str  # what the weight means, for the title


def render_words(pairs: list[Any] | None, *, up: Sign, down: Sign | None) -> SafeString:
    """The text as HTML (escaped): read words tinted by weight, unread ones after a marker.

    `down=None`: weights are unsigned (attention), all drawn with `up`.
    """
    parts: list[SafeString | str] = []
    unread: list[str] = []
    for pair in pairs or []:
        word, weight = str(pair[0]), pair[1]
        if weight is None:
            unread.append(word)
            continue
        weight = float(weight)
        strength = min(abs(weight), 1.0)
        if strength < MIN_WEIGHT:
            parts.append(word)
            continue
        sign = up if weight > 0 or down is None else down
        parts.append(
            format_html(
                '<mark class="{}" data-sign="{}" style="background: rgba({}, {})"{} '
                'title="{}">{}</mark>',
                sign.css,
                "up" if sign is up else "down",
                sign.rgb,
                round(0.1 + 0.65 * strength, 2),
                mark_safe(' tabindex="0"') if strength >= FOCUS_WEIGHT else "",
                f"{weight:+.2f} {sign.note}" if down is not None else f"{weight:.2f} {sign.note}",
                word,
            )
        )
    body = format_html_join(" ", "{}", ((p,) for p in parts))
    if unread:
        body = format_html(
            '{} <span class="attr-unread" title="The model did not read this far">{}</span>',
            body,
            " ".join(unread),
        )
    return body


FIT_UP = Sign("var(--hl-green)", "attr", "raised the score")
FIT_DOWN = Sign("var(--hl-red)", "attr", "lowered the score")
LOOKED = Sign("var(--hl-blue)", "attr attr-looked", "of the model's attention (not a reason)")


@register.filter
def word_highlights(pairs: list[Any] | None, signed: bool = True) -> SafeString:
    """Fit explanations: green raised the score, red lowered it; `signed=False`: attention."""
    if not pairs:
        return format_html("<em>{}</em>", "No explanation stored.")
    if signed:
        return render_words(pairs, up=FIT_UP, down=FIT_DOWN)
    return render_words(pairs, up=LOOKED, down=None)


@register.filter
def words_read(pairs: list[Any] | None) -> dict[str, int]:
    """How many words the model read and how many there are (the note under a long text)."""
    pairs = pairs or []
    return {"read": sum(1 for p in pairs if p[1] is not None), "total": len(pairs)}
