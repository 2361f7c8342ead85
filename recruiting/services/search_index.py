"""Upkeep of the talent search's own index (migration 0020's FTS5 table, SQLite only).

FTS5 removes a deleted or rewritten row from its results at once, but keeps the old tokens in
its index segments until they are merged, much as PostgreSQL keeps dead index entries until
VACUUM. After an erasure the erased person's words must not stay in the database file, so the
candidate-rights service merges the index (`optimize`) once the erasure has committed.
"""

from __future__ import annotations

from django.db import connection

from ..selectors.talent import FTS_TABLE, fts5_ready


def search_index_compact() -> bool:
    """Merge the FTS5 index so that no deleted token is left in it; False where there is no
    such index (PostgreSQL, or SQLite without FTS5). Rewrites the whole index: call it once
    per erasure or batch, not per row."""
    if not fts5_ready():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608
    return True
