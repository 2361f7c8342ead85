"""GIN indexes for candidate full-text search, on PostgreSQL only (a no-op on SQLite).

The index expressions are the ones recruiting.selectors.search queries with; they must stay
identical for PostgreSQL to use the indexes (tests/recruiting/test_portal_search.py checks
the query plan). Created with raw SQL from Django's own compiler and kept out of the model
state, so `makemigrations` sees no change and SQLite runs nothing.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"


def _indexes():
    candidate = (
        SearchVector("full_name", weight="A", config=CONFIG)
        + SearchVector("headline", weight="A", config=CONFIG)
        + SearchVector("skills", weight="B", config=CONFIG)
        + SearchVector("summary", weight="C", config=CONFIG)
    )
    resume = SearchVector("text", config=CONFIG)
    return [
        ("Candidate", GinIndex(candidate, name="candidate_search_gin")),
        ("Resume", GinIndex(resume, name="resume_search_gin")),
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.execute(
            index.create_sql(apps.get_model("recruiting", model_name), schema_editor)
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in _indexes():
        schema_editor.execute(
            index.remove_sql(apps.get_model("recruiting", model_name), schema_editor)
        )


class Migration(migrations.Migration):
    dependencies = [("recruiting", "0005_fit_score_override")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
