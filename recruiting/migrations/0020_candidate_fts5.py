"""An FTS5 table for the talent search's keyword relevance, on SQLite only (a no-op on
PostgreSQL, which has migration 0007's stored vectors).

`recruiting_candidate_fts` holds one row per candidate (rowid = the candidate's id): the
profile's full name, headline, summary and skills (the JSON list's values, decoded) and the
text of all its resumes in one column. `recruiting.selectors.talent` ranks it with
`bm25()`, the profile's columns weighted twice the resumes'. Tokens: unicode61 without
diacritics, "+" and "#" kept in words ("c++", "c#"), Porter stems ("accountants" finds
"accountant", as PostgreSQL's english configuration does).

Triggers keep it in sync: a candidate's insert, update of a profile field and delete; a
resume's insert, change of text or owner (both owners' rows) and delete. A resume with no
candidate yet is in no row until it gets one. Each trigger reads only its own table and the
FTS5 table, so a table Django remakes on SQLite (a later `AlterField`, `RemoveField`...)
leaves the others' triggers valid; the remade table's own triggers are gone, though, and the
search then falls back to its Python BM25 (it checks all six exist) until this migration's
FORWARD runs again (`tests/recruiting/test_talent_fts.py` fails when that happens).

Where Python's SQLite has no FTS5 the migration creates nothing (the search uses its Python
BM25). Kept out of the model state (as 0006, 0007 and 0017). Existing rows are copied in.
"""

from django.db import OperationalError, migrations, transaction

# A candidate's skills as words are the values of its JSON list (json_each decodes the
# "\u00fc" escapes SQLite's JSON holds); its resumes, all their texts.
FORWARD = [
    "CREATE VIRTUAL TABLE recruiting_candidate_fts USING fts5("
    "full_name, headline, summary, skills, resumes,"
    " tokenize = \"porter unicode61 remove_diacritics 2 tokenchars '+#'\")",
    # A new candidate has no resume yet (a resume points to an existing candidate).
    "CREATE TRIGGER recruiting_candidate_fts_insert AFTER INSERT ON recruiting_candidate"
    " BEGIN"
    " INSERT INTO recruiting_candidate_fts (rowid, full_name, headline, summary, skills, resumes)"
    " VALUES (NEW.id, NEW.full_name, NEW.headline, NEW.summary,"
    " (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each("
    "CASE WHEN json_valid(NEW.skills) THEN NEW.skills ELSE '[]' END)), '');"
    " END",
    "CREATE TRIGGER recruiting_candidate_fts_update AFTER UPDATE ON recruiting_candidate"
    " WHEN OLD.id IS NOT NEW.id OR OLD.full_name IS NOT NEW.full_name"
    " OR OLD.headline IS NOT NEW.headline OR OLD.summary IS NOT NEW.summary"
    " OR OLD.skills IS NOT NEW.skills"
    " BEGIN"
    " UPDATE recruiting_candidate_fts SET rowid = NEW.id, full_name = NEW.full_name,"
    " headline = NEW.headline, summary = NEW.summary,"
    " skills = (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each("
    "CASE WHEN json_valid(NEW.skills) THEN NEW.skills ELSE '[]' END))"
    " WHERE rowid = OLD.id;"
    " END",
    "CREATE TRIGGER recruiting_candidate_fts_delete AFTER DELETE ON recruiting_candidate"
    " BEGIN DELETE FROM recruiting_candidate_fts WHERE rowid = OLD.id; END",
    "CREATE TRIGGER recruiting_resume_fts_insert AFTER INSERT ON recruiting_resume"
    " WHEN NEW.candidate_id IS NOT NULL"
    " BEGIN"
    " UPDATE recruiting_candidate_fts SET resumes = (SELECT COALESCE(group_concat(text, ' '), '')"
    " FROM recruiting_resume WHERE candidate_id = NEW.candidate_id)"
    " WHERE rowid = NEW.candidate_id;"
    " END",
    # Both owners' rows when a resume moves (or gets its first owner: OLD's is NULL).
    "CREATE TRIGGER recruiting_resume_fts_update AFTER UPDATE ON recruiting_resume"
    " WHEN OLD.text IS NOT NEW.text OR OLD.candidate_id IS NOT NEW.candidate_id"
    " BEGIN"
    " UPDATE recruiting_candidate_fts SET resumes = (SELECT COALESCE(group_concat(text, ' '), '')"
    " FROM recruiting_resume WHERE candidate_id = OLD.candidate_id)"
    " WHERE rowid = OLD.candidate_id;"
    " UPDATE recruiting_candidate_fts SET resumes = (SELECT COALESCE(group_concat(text, ' '), '')"
    " FROM recruiting_resume WHERE candidate_id = NEW.candidate_id)"
    " WHERE rowid = NEW.candidate_id;"
    " END",
    "CREATE TRIGGER recruiting_resume_fts_delete AFTER DELETE ON recruiting_resume"
    " WHEN OLD.candidate_id IS NOT NULL"
    " BEGIN"
    " UPDATE recruiting_candidate_fts SET resumes = (SELECT COALESCE(group_concat(text, ' '), '')"
    " FROM recruiting_resume WHERE candidate_id = OLD.candidate_id)"
    " WHERE rowid = OLD.candidate_id;"
    " END",
    # The rows there already.
    "INSERT INTO recruiting_candidate_fts (rowid, full_name, headline, summary, skills, resumes)"
    " SELECT c.id, c.full_name, c.headline, c.summary,"
    " (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each("
    "CASE WHEN json_valid(c.skills) THEN c.skills ELSE '[]' END)),"
    " (SELECT COALESCE(group_concat(r.text, ' '), '') FROM recruiting_resume AS r"
    " WHERE r.candidate_id = c.id)"
    " FROM recruiting_candidate AS c",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS recruiting_candidate_fts_insert",
    "DROP TRIGGER IF EXISTS recruiting_candidate_fts_update",
    "DROP TRIGGER IF EXISTS recruiting_candidate_fts_delete",
    "DROP TRIGGER IF EXISTS recruiting_resume_fts_insert",
    "DROP TRIGGER IF EXISTS recruiting_resume_fts_update",
    "DROP TRIGGER IF EXISTS recruiting_resume_fts_delete",
    "DROP TABLE IF EXISTS recruiting_candidate_fts",
]


def fts5_available(connection) -> bool:
    """Whether this SQLite has FTS5: a throw-away table in a savepoint."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x)")
            cursor.execute("DROP TABLE temp.fts5_probe")
    except OperationalError:
        return False
    return True


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite" or not fts5_available(connection):
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("recruiting", "0019_offers")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
