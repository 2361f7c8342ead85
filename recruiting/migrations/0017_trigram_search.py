"""Trigram indexes for the talent search (issue 20), on PostgreSQL only (a no-op on SQLite).

Adds the `pg_trgm` extension and GIN trigram indexes (`gin_trgm_ops`) on the upper-cased
text of a candidate's headline, jobs held (`experience` as text) and location. The
expressions are the ones Django writes for `__icontains` on PostgreSQL
(`UPPER("headline"::text) LIKE UPPER('%...%')`), so the talent search's title and location
filters become index look-ups instead of an `ILIKE` over every profile; the headline's index
also serves trigram typo tolerance (`word_similarity`, the `<%` operator) on the same
expression. They must stay identical to what `recruiting.selectors.talent` queries.

Kept out of the model state (as 0006 and 0007): `makemigrations` sees no change and SQLite
runs nothing. `CREATE EXTENSION pg_trgm` needs a role that may create a trusted extension
(PostgreSQL 13+: the database's owner).
"""

from django.db import migrations

TRIGRAM_INDEXES = {
    "candidate_headline_trgm": "UPPER(headline::text)",
    "candidate_experience_trgm": "UPPER(experience::text)",
    "candidate_location_trgm": "UPPER(location::text)",
}
FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX IF NOT EXISTS {name} ON recruiting_candidate"
        f" USING gin (({expression}) gin_trgm_ops)"
        for name, expression in TRIGRAM_INDEXES.items()
    ),
    "ANALYZE recruiting_candidate",
]
BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name in TRIGRAM_INDEXES]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recruiting", "0016_job_stages")]

    # Not django.contrib.postgres' TrigramExtension: its reverse queries pg_extension on any
    # database (SQLite included). Going back keeps the extension (harmless, maybe shared).
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
