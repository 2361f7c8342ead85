"""An erased or anonymised candidate's words leave the talent search's FTS5 index too
(SQLite): FTS5 drops the row from results at once but keeps old tokens in its segments
until they are merged, so the privacy service merges the index after each erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from privacy.services import candidate_erase
from privacy.services.retention import retention_apply
from recruiting.selectors.talent import fts5_ready

from ..factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fts5_only():
    if not fts5_ready():
        pytest.skip("the FTS5 index is SQLite's (PostgreSQL keeps stored tsvectors)")


def index_holds(word: bytes) -> bool:
    """Whether any FTS5 segment still holds `word` (the index's raw blocks)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT block FROM recruiting_candidate_fts_data")
        return any(word in bytes(block or b"") for (block,) in cursor.fetchall())


def test_erasure_leaves_no_trace_of_the_name_in_the_search_index(
    candidate, hr_admin, django_capture_on_commit_callbacks
):
    assert index_holds(b"zabrisk")  # the name and the resume are indexed
    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=candidate, by=hr_admin, reason="request #41")
    assert not index_holds(b"zabrisk")


def test_retention_merges_the_index_once_for_the_batch(job):
    today = timezone.localdate()
    for name in ("Ottoline Quarrington", "Bartholomew Quarrington"):
        CandidateFactory(full_name=name, retain_until=today - timedelta(days=1))
    assert index_holds(b"quarrington")
    plan = retention_apply(today=today)
    assert sum(item.action == "anonymise" for item in plan) == 2
    assert not index_holds(b"quarrington")
