"""core.tasks: transient errors, and enqueueing that logs a dead broker instead of raising."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from core.tasks import TRANSIENT_ERRORS, enqueue, enqueue_on_commit

from ..broker_faults import broker_down  # noqa: F401 - fixture


@pytest.mark.django_db(transaction=True)
def test_a_dead_broker_is_logged_and_skipped_for_a_while(broker_down, caplog):  # noqa: F811
    from recruiting.tasks import notify_stage_change

    with caplog.at_level(logging.WARNING, logger="core.tasks"):
        enqueue_on_commit(notify_stage_change, 1)  # no transaction: at once
        enqueue_on_commit(notify_stage_change, 2)
    # One try, then the second publish is skipped at once (no second second of retries).
    assert broker_down.refused == ["recruiting.tasks.notify_stage_change"]
    assert "broker unavailable: recruiting.tasks.notify_stage_change" in caplog.text
    # A sweeper tries again whatever happened a moment ago.
    assert enqueue(notify_stage_change, 1) is False
    assert len(broker_down.refused) == 2


def test_database_errors_are_transient_for_every_task():
    from django.db import InterfaceError, OperationalError

    from hr import tasks as hr_tasks
    from privacy import tasks as privacy_tasks
    from recruiting import tasks as recruiting_tasks

    assert {OperationalError, InterfaceError} <= set(TRANSIENT_ERRORS)
    for task in (
        recruiting_tasks.notify_stage_change,
        recruiting_tasks.parse_resume,
        recruiting_tasks.score_application,
        recruiting_tasks.rescore_candidate,
        hr_tasks.send_survey_link,
        hr_tasks.analyze_answers,
        privacy_tasks.send_self_id_invitation,
    ):
        assert set(task.autoretry_for) >= {OperationalError, InterfaceError}, task.name


def test_visibility_timeout_is_above_every_task_time_limit():
    """Redis hands a dead worker's task to another after the visibility timeout; a task still
    running must not be handed out twice, and kombu's default (an hour) is far too long."""
    from config.celery import app

    app.loader.import_default_modules()
    limits = [t.time_limit for t in app.tasks.values() if getattr(t, "time_limit", None)]
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert limits and max(limits) < timeout < 3600
    assert app.conf.broker_transport_options["visibility_timeout"] == timeout


@pytest.mark.parametrize(
    "task",
    [
        "recruiting.tasks.sweep_pending_resumes",
        "recruiting.tasks.sweep_stage_notifications",
        "hr.tasks.sweep_unsent_survey_links",
    ],
)
def test_every_kind_of_pending_work_has_a_scheduled_sweeper(task):
    from config.celery import app

    app.loader.import_default_modules()
    assert task in app.tasks
    schedules = [e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == task]
    assert schedules and schedules[0] <= settings.PENDING_WORK_DEADLINE_S
