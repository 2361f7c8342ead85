"""Limits on the free text people type (notes, comments, reasons), so one paste cannot bloat a
page or the database; the service says the limit and the length in words."""

from __future__ import annotations

from .errors import DomainError

NOTE_MAX_CHARS = 10_000  # a note, a scorecard comment, a stage-change note or reason
SUMMARY_MAX_CHARS = 20_000  # a candidate's summary
HEADLINE_MAX_CHARS = 300


def ensure_length(
    text: str, *, limit: int, what: str, field: str, error: type[DomainError] = DomainError
) -> str:
    """`text` stripped, or `error` when it is longer than `limit` characters."""
    text = (text or "").strip()
    if len(text) > limit:
        raise error(
            f"{what} can be at most {limit:,} characters; this one has {len(text):,}. "
            "Shorten it, or attach the rest as a file.",
            field=field,
        )
    return text
