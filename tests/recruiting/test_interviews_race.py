"""Two people reschedule the same interview at once (PostgreSQL: SQLite runs one writing
transaction at a time): both changes land one after the other and the iCalendar SEQUENCE
goes 1, 2, never 1 twice (a calendar ignores an update whose SEQUENCE it has seen)."""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime, timedelta

import pytest
from django.db import connections
from django.db.models.signals import pre_save
from django.utils import timezone

from audit.models import AuditEntry
from core.roles import Role
from recruiting import services
from recruiting.models import Interview
from recruiting.pipeline import Stage
from recruiting.services import Slot

from ..factories import ApplicationFactory, JobFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GATE_TIMEOUT_S = 1.5


def _slot(person, hour: int) -> Slot:
    day = (timezone.now() + timedelta(days=9)).date()
    return Slot(
        starts_at=datetime(day.year, day.month, day.day, hour, 0),
        time_zone="Europe/Berlin",
        duration_minutes=30,
        interviewers=[person],
        location="Room 1",
    )


def test_concurrent_reschedules_get_sequences_one_and_two():
    recruiter = UserFactory(roles=[Role.RECRUITER])
    application = ApplicationFactory(job=JobFactory(owner=recruiter), stage=Stage.INTERVIEW)
    interview = services.interview_schedule(
        application=application, by=recruiter, slot=_slot(recruiter, 9)
    )
    # Hold the first save until the second request has read the row too (or 1.5 s: the
    # row lock under test makes the second wait, so the first goes on alone).
    barrier = threading.Barrier(2)

    def hold(sender, instance, **kwargs) -> None:
        if not instance._state.adding:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(GATE_TIMEOUT_S)

    pre_save.connect(hold, sender=Interview, weak=False, dispatch_uid="reschedule-race")
    errors: list[BaseException] = []

    def reschedule(hour: int) -> None:
        try:
            services.interview_reschedule(
                interview=Interview.objects.get(pk=interview.pk),
                by=recruiter,
                slot=_slot(recruiter, hour),
            )
        except BaseException as exc:  # shown by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=reschedule, args=(h,)) for h in (11, 15)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        pre_save.disconnect(sender=Interview, dispatch_uid="reschedule-race")
    assert not errors, errors
    interview.refresh_from_db()
    assert interview.sequence == 2
    sequences = sorted(
        AuditEntry.objects.filter(action="interview.rescheduled").values_list(
            "details__sequence", flat=True
        )
    )
    assert sequences == [1, 2]
