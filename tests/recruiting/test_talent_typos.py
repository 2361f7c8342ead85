"""Talent search typo tolerance (issue 20): on PostgreSQL a free word that full text finds
nowhere matches candidates whose headline or jobs hold a similar word (pg_trgm, migration
0017's trigram indexes), ranked below the exact matches. The rule is
`mlcore.search.typos`; weird queries on either database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from mlcore.search import WORD_SIMILARITY_THRESHOLD, typo_eligible, typo_words
from recruiting.selectors import talent
from recruiting.selectors.talent import KEYWORD, talent_query, talent_search

from ..factories import ApplicationFactory, CandidateFactory, JobFactory
from .test_portal_home import make_resume
from .test_talent_fts import found

WEIRD = [
    '"',
    'acountant "brew',
    "recepcionist AND",
    "OR NOT NEAR(acountant)",
    "acountant*",
    "*",
    "-acountant",
    "headline:acountant",
    "c++ c# .net",
    "Zürich naïve façade 東京 🍺",
    "'; DROP TABLE recruiting_candidate; --",
    "a%b _ \\ %% ' \" ;",
    "()",
    "x" * 300,
]


def test_which_words_are_looked_up_by_similarity():
    assert typo_eligible(["acountant", "c++", "java", "rust2", "Londn", "Zürich"]) == (
        "acountant",
        "Londn",
        "Zürich",
    )
    # Only the words full text found nowhere; not one that would match a JSON key.
    assert typo_words(["acountant", "ledger", "emplyer", "presnt"], ["ledger"],
                      avoid=talent.EXPERIENCE_KEYS) == ("acountant",)  # fmt: skip
    assert typo_words(["employr"], [], avoid=talent.EXPERIENCE_KEYS) == ()
    assert typo_words(["Acountant"], ["acountant"]) == ()
    assert WORD_SIMILARITY_THRESHOLD == 0.6


@pytest.mark.django_db
@pytest.mark.parametrize("text", WEIRD)
def test_a_weird_query_never_errors(recruiter, text):
    CandidateFactory(headline="Accountant", skills=["C++"], summary="Zürich")
    results = talent_search(user=recruiter, query=talent_query(text=text), mode=KEYWORD)
    assert results.count <= 1


@pytest.mark.django_db
def test_a_weird_query_never_errors_on_the_page(client, recruiter):
    CandidateFactory(headline="Accountant")
    client.force_login(recruiter)
    for text in WEIRD:
        assert client.get(reverse("recruiting:search"), {"q": text}).status_code == 200


@pytest.fixture
def desk():
    """An exact match of one free word, and typos' targets in a headline and in the jobs."""
    exact = CandidateFactory(headline="Clerk")
    make_resume(candidate=exact, text="Zymurgy ledgers for a brewery")
    receptionist = CandidateFactory(headline="Receptionist at a dental practice")
    jobs = CandidateFactory(
        headline="Front desk", experience=[{"title": "Senior Accountant", "employer": "Bo"}]
    )
    CandidateFactory(headline="Chef", experience=[{"title": "Line cook", "employer": "Bo"}])
    return {"exact": exact, "receptionist": receptionist, "jobs": jobs}


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_a_misspelt_word_finds_below_the_exact_matches(recruiter, desk):
    query = talent_query(text="zymurgy recepcionist")
    assert query.words == ("zymurgy", "recepcionist")
    results = talent_search(user=recruiter, query=query, mode=KEYWORD)
    assert results.ranked == [desk["exact"].pk, desk["receptionist"].pk]
    assert found(recruiter, "acountant") == [desk["jobs"].pk]  # in a job held
    assert found(recruiter, "recepcionist") == [desk["receptionist"].pk]
    assert found(recruiter, "zymurgy acountant") == [desk["exact"].pk, desk["jobs"].pk]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_among_exact_matches_the_similar_word_counts(recruiter):
    """Both mention "zymurgy" alike; the older one (last on a tie) also holds a word similar
    to "recepcionist": it ranks first."""
    both = CandidateFactory(headline="Receptionist")
    make_resume(candidate=both, text="Zymurgy ledgers for a brewery")
    exact = CandidateFactory(headline="Clerk")
    make_resume(candidate=exact, text="Zymurgy ledgers for a brewery")
    assert found(recruiter, "zymurgy ledgers") == [exact.pk, both.pk]  # the tie
    assert found(recruiter, "zymurgy recepcionist") == [both.pk, exact.pk]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_the_threshold_is_the_rules_and_the_setting_comes_back(recruiter, desk):
    """ "Reception desk" is 0.38 similar to "recepcionist": found at the session's 0.3, not at
    the search's 0.6; the session's setting is put back."""
    CandidateFactory(headline="Reception desk")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', false)")
    try:
        assert found(recruiter, "recepcionist") == [desk["receptionist"].pk]
        assert _plan_settings() == ("on", "on", "0.3")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET pg_trgm.word_similarity_threshold")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_a_word_found_exactly_brings_no_similar_words(recruiter, desk):
    """ "zymurgy" is in a resume: exact matches only, so "Zymurgic brewer" (0.75 similar) is
    not brought in; "zymurgik" is in none: found by similarity, best first."""
    brewer = CandidateFactory(headline="Zymurgic brewer")
    assert found(recruiter, "zymurgy") == [desk["exact"].pk]
    # Only headlines and jobs are looked up (0.78 similar here; the resume's "Zymurgy" too,
    # 0.67, but resumes have no trigram index).
    assert found(recruiter, "zymurgik") == [brewer.pk]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_blind_candidates_are_not_found_by_a_similar_word(recruiter, hr_admin, desk):
    hidden = CandidateFactory(full_name="Zqelina Vexkyle", headline="Sommelier")
    ApplicationFactory(job=JobFactory(blind_screening=True), candidate=hidden)
    assert found(recruiter, "somelier") == []
    assert found(recruiter, "Zqelena") == []
    assert found(hr_admin, "somelier") == [hidden.pk]  # HR admins are not blinded


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_similar_words_come_from_the_trigram_indexes(desk):
    """With the search's settings, the look-up is a bitmap scan of migration 0017's indexes
    (EXPLAIN), not a scan of every profile's headline and jobs."""
    sql, params = _captured_trigram_sql(["RECEPCIONIST"])
    with talent._bitmap_scans_only(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on candidate_headline_trgm" in plan, plan
    assert "Bitmap Index Scan on candidate_experience_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan


def _captured_trigram_sql(words):
    statements = []

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql, params):
            statements.append((sql, params))

        def fetchall(self):
            return []

    original = connection.cursor
    connection.cursor = Cursor  # type: ignore[method-assign]
    try:
        talent._trigram_rows(words, None)
    finally:
        connection.cursor = original  # type: ignore[method-assign]
    return statements[0]


def _plan_settings() -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
            " current_setting('pg_trgm.word_similarity_threshold', true)"
        )
        return cursor.fetchone()
