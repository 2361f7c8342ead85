"""A broker that refuses every message, for tests of what a committed action does then."""

from __future__ import annotations

import pytest


class DeadBroker:
    """Every publish fails as it does with Redis down; `back()` brings the broker back
    (tasks run in-process again). `refused` holds the names of the tasks not queued."""

    def __init__(self) -> None:
        self.refused: list[str] = []
        self._patch = None

    def down(self) -> None:
        from unittest import mock

        from celery.app.task import Task
        from kombu.exceptions import OperationalError

        import core.tasks
        from config.celery import app

        def refuse(task, *args, **kwargs):
            self.refused.append(task.name)
            raise OperationalError("Error 111 connecting to 127.0.0.1:6391. Connection refused.")

        app.conf.task_always_eager = False
        core.tasks._broker_down_until = 0.0
        self._patch = mock.patch.object(Task, "apply_async", refuse)
        self._patch.start()

    def back(self) -> None:
        import core.tasks
        from config.celery import app

        if self._patch is not None:
            self._patch.stop()
            self._patch = None
        app.conf.task_always_eager = True
        core.tasks._broker_down_until = 0.0


@pytest.fixture
def broker_down():
    broker = DeadBroker()
    broker.down()
    yield broker
    broker.back()
