"""Domain events: services announce what happened; integrations (webhooks) subscribe.

Services call `emit` inside their transaction; handlers run only after the commit, so a
subscriber never sees a row that could still roll back. A failing handler is logged and
never undoes or breaks the business action that emitted the event.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

EVENT_TYPES = (
    "job.created",
    "job.updated",
    "job.deleted",
    "candidate.created",
    "candidate.updated",
    "candidate.deleted",
    "resume.parsed",
    "application.created",
    "application.stage_changed",
    "application.deleted",
    "score.computed",
    "offer.created",
    "offer.updated",
    "survey.response_analyzed",
)

Handler = Callable[[str, dict[str, Any]], None]
_handlers: list[Handler] = []


def subscribe(handler: Handler) -> None:
    """Register a handler (once per process, e.g. from an AppConfig.ready)."""
    if handler not in _handlers:
        _handlers.append(handler)


def unsubscribe(handler: Handler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def _dispatch(event: str, data: dict[str, Any]) -> None:
    for handler in list(_handlers):
        try:
            handler(event, data)
        except Exception:  # a subscriber's failure must not break the business action
            logger.exception("event handler %r failed for %s", handler, event)


def emit(event: str, data: dict[str, Any]) -> None:
    """Announce `event` with a small JSON-able payload (ids, not personal data)."""
    if event not in EVENT_TYPES:
        raise ValueError(f"Unknown event type {event!r}; known: {', '.join(EVENT_TYPES)}")
    transaction.on_commit(lambda: _dispatch(event, dict(data)))
