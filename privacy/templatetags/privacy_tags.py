"""Template helpers for the bias audit tables."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


@register.filter
def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@register.filter
def outcome_label(outcome: str) -> str:
    if outcome == "scored_above_threshold":
        return "scored ≥ threshold"
    return outcome.replace("reached_", "reached ").replace("_", " ")


def _labels() -> dict[str, dict[str, str]]:
    from ..models import CATEGORIES

    return {name: dict(choices.choices) for name, choices in CATEGORIES.items()}


@register.filter
def category_label(name: str) -> str:
    """ "race_ethnicity" → "Race / ethnicity"; intersections keep their " × "."""
    from ..bias import INTERSECTION_SEP
    from ..forms import SelfIdForm

    fields = SelfIdForm.base_fields
    return INTERSECTION_SEP.join(
        str(fields[part].label) if part in fields else part.replace("_", " ").capitalize()
        for part in name.split(INTERSECTION_SEP)
    )


@register.filter
def group_label(value: str, dimension: str) -> str:
    """A group's answer as the form showed it ("35_44" → "35–44", "unknown" → "No answer")."""
    from ..bias import INTERSECTION_SEP, UNKNOWN

    labels = _labels()
    parts = []
    for name, part in zip(
        dimension.split(INTERSECTION_SEP), value.split(INTERSECTION_SEP), strict=False
    ):
        if part == UNKNOWN:
            parts.append("No answer")
        else:
            parts.append(str(labels.get(name, {}).get(part, part.replace("_", " "))))
    return INTERSECTION_SEP.join(parts)
