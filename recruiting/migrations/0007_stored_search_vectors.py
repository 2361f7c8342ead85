"""Stored tsvector columns for candidate search, on PostgreSQL only (a no-op on SQLite).

Migration 0006 indexed `to_tsvector(...)` expressions: the GIN look-up was fast, but ranking
recomputed `to_tsvector` of every matching row, resumes included (4.9 s for "python" over
50,000 candidates). This adds the vectors as `GENERATED ALWAYS AS (...) STORED` columns,
`recruiting_candidate.search_tsv` (weights A name/headline, B skills, C summary: the same
expression as 0006's index) and `recruiting_resume.search_tsv` (the resume text), each with
a GIN index, and drops 0006's expression indexes, which nothing queries any more. It also
GIN-indexes the lower-cased skills (`lower(skills::text)::jsonb`) for the skill filter, and
indexes resume embeddings by (model_version, id) for the talent pool's cache stamp.

PostgreSQL computes the columns on every INSERT/UPDATE, so no code writes them. They are
kept out of Django's model state (no model field: `makemigrations` sees no change, SQLite
runs nothing, model queries never select them); `recruiting.selectors.search` reads them by
column name. Adding them rewrites both tables under an exclusive lock (seconds for 50,000
rows). A later migration that changes the type of a column they are computed from must drop
and re-add them (PostgreSQL refuses to alter a column a generated column uses).
"""

from django.db import migrations

CANDIDATE_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, COALESCE(full_name, '')::text), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(headline, '')::text), 'A')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(skills::text, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'C')"
)
RESUME_VECTOR = "to_tsvector('english'::regconfig, COALESCE(text, ''))"

FORWARD = [
    f"ALTER TABLE recruiting_candidate ADD COLUMN search_tsv tsvector"
    f" GENERATED ALWAYS AS ({CANDIDATE_VECTOR}) STORED",
    "CREATE INDEX candidate_search_tsv_gin ON recruiting_candidate USING gin (search_tsv)",
    f"ALTER TABLE recruiting_resume ADD COLUMN search_tsv tsvector"
    f" GENERATED ALWAYS AS ({RESUME_VECTOR}) STORED",
    "CREATE INDEX resume_search_tsv_gin ON recruiting_resume USING gin (search_tsv)",
    # The skill filter: lower-cased skills as jsonb, for `@> '["react"]'`.
    "CREATE INDEX candidate_skills_lower_gin ON recruiting_candidate"
    " USING gin (((lower(skills::text))::jsonb) jsonb_path_ops)",
    # The talent pool's cache stamp (count and newest id per model version): index-only.
    "CREATE INDEX resumeembedding_version_id ON recruiting_resumeembedding (model_version, id)",
    "DROP INDEX IF EXISTS candidate_search_gin",
    "DROP INDEX IF EXISTS resume_search_gin",
    "ANALYZE recruiting_candidate",
    "ANALYZE recruiting_resume",
    "ANALYZE recruiting_resumeembedding",
]
BACKWARD = [
    "DROP INDEX IF EXISTS resumeembedding_version_id",
    "DROP INDEX IF EXISTS candidate_skills_lower_gin",
    "ALTER TABLE recruiting_candidate DROP COLUMN IF EXISTS search_tsv",
    "ALTER TABLE recruiting_resume DROP COLUMN IF EXISTS search_tsv",
    # 0006's expression indexes, as 0006 created them.
    f"CREATE INDEX IF NOT EXISTS candidate_search_gin ON recruiting_candidate"
    f" USING gin (({CANDIDATE_VECTOR}))",
    f"CREATE INDEX IF NOT EXISTS resume_search_gin ON recruiting_resume"
    f" USING gin (({RESUME_VECTOR}))",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("recruiting", "0006_candidate_search")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
