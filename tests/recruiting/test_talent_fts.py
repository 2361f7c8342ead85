"""Talent search on SQLite (issue 20): keyword relevance from migration 0020's FTS5 table,
kept in sync by triggers, ranked by `bm25()`; the Python BM25 where the table is missing."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection

from recruiting.models import Candidate, Resume
from recruiting.selectors import talent
from recruiting.selectors.talent import KEYWORD, talent_query, talent_search

from ..factories import CandidateFactory
from .test_portal_home import make_resume

pytestmark = pytest.mark.django_db
MIGRATION = import_module("recruiting.migrations.0020_candidate_fts5")


@pytest.fixture(autouse=True)
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's (PostgreSQL has stored tsvectors)")


def found(user, text: str) -> list[int]:
    return talent_search(user=user, query=talent_query(text=text), mode=KEYWORD).ranked


def fts_row(pk: int) -> dict[str, str] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, headline, summary, skills, resumes"
            " FROM recruiting_candidate_fts WHERE rowid = %s",
            [pk],
        )
        row = cursor.fetchone()
    names = ("full_name", "headline", "summary", "skills", "resumes")
    return dict(zip(names, row, strict=True)) if row else None


def run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_the_migration_made_the_table_and_every_trigger_the_search_checks():
    """Fails when a later migration remakes recruiting_candidate or recruiting_resume on
    SQLite (which drops that table's triggers): run 0020's FORWARD again after it."""
    assert MIGRATION.fts5_available(connection)
    assert talent.fts5_ready()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {name for (name,) in cursor.fetchall()}
    assert set(talent.FTS_TRIGGERS) <= triggers
    assert {s.split()[4] for s in MIGRATION.BACKWARD if "TRIGGER" in s} == set(talent.FTS_TRIGGERS)


def test_the_table_follows_candidates(recruiter):
    candidate = CandidateFactory(
        full_name="Ada Quill", headline="Zymurgy lead", summary="Brews", skills=["Français"]
    )
    row = fts_row(candidate.pk)
    assert row == {
        "full_name": "Ada Quill",
        "headline": "Zymurgy lead",
        "summary": "Brews",
        "skills": "Français",  # the JSON list's value, its "\u00e7" escape decoded
        "resumes": "",
    }
    assert found(recruiter, "zymurgy") == [candidate.pk]
    assert found(recruiter, "francais") == [candidate.pk]  # diacritics removed
    candidate.headline = "Quokka keeper"
    candidate.skills = ["C++", "C#"]
    candidate.save()
    assert found(recruiter, "zymurgy") == []
    assert found(recruiter, "quokkas") == [candidate.pk]  # Porter stems
    assert fts_row(candidate.pk)["skills"] == "C++ C#"
    Candidate.objects.filter(pk=candidate.pk).update(summary="Sommelier too")
    assert found(recruiter, "sommelier") == [candidate.pk]
    candidate.delete()
    assert fts_row(candidate.pk) is None
    assert found(recruiter, "quokka") == []


def test_the_table_follows_resumes_with_or_without_a_candidate(recruiter):
    first = CandidateFactory(headline="Clerk")
    second = CandidateFactory(headline="Clerk")
    one = make_resume(candidate=first, text="Kept the zymurgy ledger")
    make_resume(candidate=first, text="Quokka sanctuary volunteer")
    assert fts_row(first.pk)["resumes"] in {
        "Kept the zymurgy ledger Quokka sanctuary volunteer",
        "Quokka sanctuary volunteer Kept the zymurgy ledger",
    }
    assert found(recruiter, "zymurgy") == [first.pk]
    # A resume with no candidate yet is in no row, until it gets one.
    orphan = make_resume(candidate=None, text="Marquetry and gilding")
    assert found(recruiter, "marquetry") == []
    orphan.candidate = second
    orphan.save()
    assert found(recruiter, "marquetry") == [second.pk]
    # A new text replaces the old; a resume moving changes both rows.
    one.text = "Kept the apiary ledger"
    one.save()
    assert found(recruiter, "zymurgy") == [] and found(recruiter, "apiary") == [first.pk]
    Resume.objects.filter(pk=one.pk).update(candidate=second)
    assert found(recruiter, "apiary") == [second.pk]
    assert "apiary" not in fts_row(first.pk)["resumes"]
    assert found(recruiter, "quokka") == [first.pk]
    one.delete()
    assert found(recruiter, "apiary") == []
    assert found(recruiter, "marquetry") == [second.pk]
    second.delete()  # its resumes go with it (cascade), then its row
    assert fts_row(second.pk) is None
    assert not Resume.objects.filter(text__contains="Marquetry").exists()


def test_the_migration_fills_the_table_from_the_rows_already_there(recruiter):
    candidate = CandidateFactory(headline="Farrier", skills=["Blacksmithing"])
    make_resume(candidate=candidate, text="Shod the zymurgy guild's horses")
    make_resume(candidate=None, text="Zymurgy without an owner")
    run(MIGRATION.BACKWARD)
    assert not talent.fts5_ready()
    run(MIGRATION.FORWARD)
    assert talent.fts5_ready()
    assert fts_row(candidate.pk)["skills"] == "Blacksmithing"
    assert found(recruiter, "zymurgy") == [candidate.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM recruiting_candidate_fts")
        assert cursor.fetchone()[0] == Candidate.objects.count()


def test_bm25_profile_over_resume_and_more_mentions_first(recruiter):
    in_resume = CandidateFactory(headline="Clerk", summary="Ledgers and stock")
    make_resume(candidate=in_resume, text="Zymurgy at a small brewery, stock and ledgers")
    in_headline = CandidateFactory(headline="Zymurgy clerk", summary="Ledgers and stock")
    make_resume(candidate=in_headline, text="A small brewery, stock and ledgers")
    twice = CandidateFactory(headline="Zymurgy clerk", summary="Zymurgy, ledgers and stock")
    make_resume(candidate=twice, text="A small brewery, stock and ledgers")
    CandidateFactory(headline="Zookeeper")
    assert found(recruiter, "zymurgy") == [twice.pk, in_headline.pk, in_resume.pk]
    # Past MAX_FTS_IDS candidates the query is not limited to theirs: the same bm25().
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(talent, "MAX_FTS_IDS", 0)
        assert found(recruiter, "zymurgy") == [twice.pk, in_headline.pk, in_resume.pk]
    # Any free word matches; of two profiles as long, the one with both ranks first.
    quokka = CandidateFactory(full_name="Bo Li", headline="Quokka handler", summary="Weekends")
    both = CandidateFactory(full_name="Bo Li", headline="Quokka handler", summary="Zymurgy")
    ranked = found(recruiter, "quokka zymurgy")
    assert ranked[0] == both.pk and set(ranked) == {
        twice.pk, in_headline.pk, in_resume.pk, quokka.pk, both.pk
    }  # fmt: skip


def test_skills_and_titles_rank_the_free_words_matches(recruiter):
    """The free words match; skills (filters) and titles also rank, as on PostgreSQL."""
    plain = CandidateFactory(headline="Developer", skills=["Python"], summary="Zymurgy")
    django = CandidateFactory(
        headline="Developer", skills=["Python"], summary="Zymurgy; Django and Django REST"
    )
    query = talent_query(text="python django developer zymurgy")
    assert query.words == ("zymurgy",) and "Django" in query.filters.skills
    query = talent_query(text="python developer zymurgy", skills=["Python"])
    results = talent_search(user=recruiter, query=query, mode=KEYWORD)
    assert set(results.ranked) == {plain.pk, django.pk}
    rows = talent._fts5_ranking([django.pk, plain.pk], ["zymurgy"], ["zymurgy", "django"])
    assert rows == [django.pk, plain.pk]


def test_without_the_table_the_python_bm25_ranks_the_same_candidates(recruiter):
    """The fallback where FTS5 is missing (or a remade table lost its triggers)."""
    in_resume = CandidateFactory(headline="Clerk")
    make_resume(candidate=in_resume, text="Zymurgy at a small brewery")
    in_headline = CandidateFactory(headline="Zymurgy clerk")
    CandidateFactory(headline="Chef")
    with_table = found(recruiter, "zymurgy")
    run(MIGRATION.BACKWARD)
    assert not talent.fts5_ready()
    assert found(recruiter, "zymurgy") == with_table == [in_headline.pk, in_resume.pk]
    # With a trigger missing, too (the table alone would go stale).
    run(MIGRATION.FORWARD)
    run(["DROP TRIGGER recruiting_resume_fts_update"])
    assert not talent.fts5_ready()
    assert found(recruiter, "brewery") == [in_resume.pk]


def test_without_fts5_the_migration_creates_nothing(monkeypatch):
    class Editor:
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            run([sql])

    run(MIGRATION.BACKWARD)
    monkeypatch.setattr(MIGRATION, "fts5_available", lambda connection: False)
    MIGRATION.forward(None, Editor())
    assert not talent.fts5_ready()
    monkeypatch.undo()
    MIGRATION.forward(None, Editor())
    assert talent.fts5_ready()


@pytest.mark.parametrize(
    "text",
    [
        '"',
        'zymurgy "brew',
        "zymurgy AND",
        "OR NOT NEAR(zymurgy)",
        "zymurgy*",
        "*",
        "^zymurgy",
        "-zymurgy",
        "zymurgy - brewing",
        "headline:zymurgy",
        "c++ c# .net",
        "Zürich naïve façade 東京 🍺",
        "'; DROP TABLE recruiting_candidate; --",
        "()",
        "",
    ],
)
def test_a_weird_query_never_errors_and_quotes_are_words(recruiter, text):
    candidate = CandidateFactory(headline="Zymurgy lead", skills=["C++"], summary="Zürich")
    ranked = found(recruiter, text)
    assert set(ranked) <= {candidate.pk}
    if "zymurgy" in text.lower():
        assert ranked == [candidate.pk]


def test_fts5_query_quotes_every_word():
    assert talent.fts5_query(['say "hi"', "AND", "c++", "x*"]) == (
        '"say" OR "hi" OR "and" OR "c++" OR "x"'
    )
    assert talent.fts5_query(['"', "*", "--"]) == ""
