"""Retention: the dry run lists, the real run anonymises, the beat task is scheduled."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from privacy.models import CandidateErasure
from privacy.services import candidates_past_retention, retention_plan
from privacy.tasks import apply_retention
from recruiting.models import Candidate, Resume

from ..factories import ApplicationFactory, CandidateFactory
from .conftest import make_resume

pytestmark = pytest.mark.django_db

NOW = timezone.localdate()
TODAY = NOW + timedelta(days=100)  # before anyone's default date (last activity + 730 days)
PASSED = NOW + timedelta(days=50)


@pytest.fixture
def people(job):
    expired = CandidateFactory(full_name="Old Applicant", retain_until=PASSED)
    make_resume(expired, text="Old Applicant resume", name="old.txt")
    ApplicationFactory(candidate=expired, job=job, stage="rejected")
    busy = CandidateFactory(full_name="Busy Applicant", retain_until=PASSED)
    ApplicationFactory(candidate=busy, job=job, stage="interview")
    kept = CandidateFactory(full_name="Kept Applicant", retain_until=NOW + timedelta(days=500))
    fresh = CandidateFactory(full_name="Fresh Applicant")  # default: last activity + 730 days
    return expired, busy, kept, fresh


def test_default_retention_follows_last_activity(people):
    expired, busy, _kept, fresh = people
    soon = timezone.localdate() + timedelta(days=settings.CANDIDATE_RETENTION_DAYS)
    due = {c.pk for c, _ in candidates_past_retention(soon + timedelta(days=1))}
    assert fresh.pk in due
    assert fresh.pk not in {c.pk for c, _ in candidates_past_retention(soon)}
    assert {c.pk for c, _ in candidates_past_retention(TODAY)} == {expired.pk, busy.pk}


def test_dry_run_lists_and_changes_nothing(people):
    expired, busy, _, _ = people
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"would anonymise candidate #{expired.pk} (retention date {PASSED})" in text
    assert f"skip candidate #{busy.pk}" in text and "an application is open" in text
    assert "Dry run: 1 would anonymise, 1 skipped." in text
    assert Candidate.objects.get(pk=expired.pk).full_name == "Old Applicant"
    assert not CandidateErasure.objects.exists()
    assert not AuditEntry.objects.filter(action="candidate.anonymised").exists()


def test_real_run_anonymises_once_and_audits(people):
    expired, busy, kept, _ = people
    out = StringIO()
    call_command("apply_retention", "--today", TODAY.isoformat(), stdout=out)
    assert "1 anonymised, 1 skipped." in out.getvalue()
    expired.refresh_from_db()
    assert expired.full_name == "" and expired.email == ""
    assert not Resume.objects.filter(candidate=expired).exists()
    assert expired.applications.count() == 1  # kept for statistics
    assert Candidate.objects.get(pk=busy.pk).full_name == "Busy Applicant"
    assert Candidate.objects.get(pk=kept.pk).full_name == "Kept Applicant"
    entry = AuditEntry.objects.get(action="candidate.anonymised")
    assert entry.target_id == str(expired.pk) and entry.via == "command"
    assert entry.details["retention_date"] == str(PASSED)
    # Running again finds nothing new (erased candidates are out of the plan).
    assert [i.candidate_id for i in retention_plan(TODAY)] == [busy.pk]


def test_beat_task_is_scheduled_and_runs(people):
    schedule = {v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "privacy.tasks.apply_retention" in schedule
    expired = people[0]
    expired.retain_until = timezone.localdate() - timedelta(days=1)
    expired.save()
    assert apply_retention.delay().get() == 1
    assert CandidateErasure.objects.get(candidate=expired).kind == "anonymised"
    assert AuditEntry.objects.get(action="candidate.anonymised").via == "task"


def test_bad_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("apply_retention", "--today", "next week", stdout=StringIO())
