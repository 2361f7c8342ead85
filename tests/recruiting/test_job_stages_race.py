"""Removing a job's own stage while someone moves a card into it (PostgreSQL: SQLite runs one
writing transaction at a time): whichever commits first wins, and a stage is never removed
with an application in it."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connections, transaction

from core.roles import Role
from recruiting import services
from recruiting.errors import InvalidTransition, StageChangeRefused
from recruiting.models import Application, JobStage
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, JobFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# How long the first transaction stays open after its write, for the second to reach the lock.
HOLD_S = 1.0


def _first_then_second(first: Callable[[], None], second: Callable[[], None]) -> list[Exception]:
    """Run `first` in a transaction held open HOLD_S after it wrote, `second` meanwhile."""
    wrote = threading.Event()
    refused: list[Exception] = []

    def run_first() -> None:
        try:
            with transaction.atomic():
                first()
                wrote.set()
                threading.Event().wait(HOLD_S)
        finally:
            wrote.set()
            connections.close_all()

    def run_second() -> None:
        wrote.wait(30)
        try:
            second()
        except (InvalidTransition, StageChangeRefused) as exc:
            refused.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return refused


@pytest.mark.parametrize("move_first", [True, False])
def test_a_stage_is_never_removed_with_an_application_just_moved_into_it(move_first):
    recruiter = UserFactory(roles=[Role.RECRUITER])
    job = JobFactory(owner=recruiter)
    stage = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)

    def move() -> None:
        services.application_move(
            application=Application.objects.get(pk=application.pk),
            to_stage=stage.key,
            by=recruiter,
        )

    def remove() -> None:
        services.job_stage_remove(stage=JobStage.objects.get(pk=stage.pk), by=recruiter)

    refused = _first_then_second(move, remove) if move_first else _first_then_second(remove, move)
    assert len(refused) == 1
    moved = Application.objects.get(pk=application.pk).stage == stage.key
    removed = JobStage.objects.get(pk=stage.pk).removed_at is not None
    assert moved != removed
    assert moved == move_first
