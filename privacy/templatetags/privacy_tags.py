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
