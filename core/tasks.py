"""Handing work to Celery: what counts as transient, and enqueueing that survives a dead broker.

Services enqueue after their transaction commits. By then the data is saved, so a broker that
cannot take the message must not turn the request into an error: the failure is logged, the
work stays pending in the database (a resume `queued`, a stage event not notified, an
invitation not sent), and a beat sweeper of its app queues it again later (docs/decisions.md,
"Tasks").
"""

from __future__ import annotations

import functools
import logging
import smtplib
import time
from typing import Any

from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

log = logging.getLogger(__name__)

# Transient: the mail server, the network or the database hiccuped (a dropped or terminated
# database connection raises OperationalError or InterfaceError). Tasks retry these with
# backoff; anything else is a bug or a bad input and fails loudly.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    OperationalError,
    InterfaceError,
)

# What publishing raises when the broker is down or unreachable.
BROKER_ERRORS: tuple[type[BaseException], ...] = (BrokerUnavailable, ConnectionError, TimeoutError)

# After a failed publish, further after-commit publishes in this process are skipped for
# this long: each try costs about a second of retries, and inviting 500 employees must not
# wait 500 of them. Sweepers always try (and stop at their first failure).
SKIP_AFTER_FAILURE_S = 5.0
_broker_down_until = 0.0


def enqueue(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Queue `task(*args, **kwargs)`; False (logged, never raised) when the broker is down.

    The caller's pending state in the database is what makes the work happen later: only
    call this for work a sweeper can find again.
    """
    return _publish(task, args, kwargs, skip_while_down=False)


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """`enqueue` once the current transaction commits (at once outside a transaction);
    skipped for a few seconds after a failure (SKIP_AFTER_FAILURE_S)."""
    transaction.on_commit(functools.partial(_publish, task, args, kwargs, skip_while_down=True))


def _publish(
    task: Any, args: tuple[Any, ...], kwargs: dict[str, Any], *, skip_while_down: bool
) -> bool:
    global _broker_down_until
    if task.app.conf.task_always_eager:  # runs in-process: no broker to lose
        task.apply_async(args=args, kwargs=kwargs)
        return True
    if skip_while_down and time.monotonic() < _broker_down_until:
        log.warning("broker unavailable: %s left pending for its sweeper", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BROKER_ERRORS as exc:
        _broker_down_until = time.monotonic() + SKIP_AFTER_FAILURE_S
        # The arguments are not logged: a survey link's token travels in them.
        log.warning("broker unavailable: %s left pending for its sweeper (%s)", task.name, exc)
        return False
    _broker_down_until = 0.0
    return True
