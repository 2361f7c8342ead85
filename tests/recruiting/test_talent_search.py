"""Talent search in plain language (issue 20): the query read into chips, keyword relevance
blended with the fit model's meaning, blind screening on every door.

The meaning tests use the real fit model and real resumes (LiveCareer, ../shared/data)."""

from __future__ import annotations

import csv

import pytest
from django.urls import reverse

from recruiting.selectors import fit
from recruiting.selectors.talent import (
    BLENDED,
    KEYWORD,
    talent_query,
    talent_relaxations,
    talent_search,
)
from recruiting.services import scoring

from ..factories import ApplicationFactory, CandidateFactory, JobFactory
from .test_portal_home import make_resume

pytestmark = pytest.mark.django_db

LIVECAREER = "resumes_more/livecareer_resume_dataset/livecareer_resumes_pdftotext.csv"
# The first resume (by id) of each category longer than 2,000 characters.
PICKED = {"10001727": "CHEF", "10554236": "ACCOUNTANT", "10089434": "INFORMATION-TECHNOLOGY"}


@pytest.fixture
def embedded_pool(shared_data):
    """Three candidates with real resumes and their stored fit embeddings."""
    fit._POOL_CACHE.clear()  # a process-wide cache: start from an empty one of our own
    csv.field_size_limit(10**9)
    with (shared_data / LIVECAREER).open(encoding="utf-8") as handle:
        rows = {r["ID"]: r for r in csv.DictReader(handle) if r["ID"] in PICKED}
    pool = {}
    for resume_id, category in PICKED.items():
        text = rows[resume_id]["Resume_text"]
        candidate = CandidateFactory(headline=text.strip().splitlines()[0].title(), skills=[])
        resume = make_resume(candidate=candidate, status="parsed", text=text)
        scoring.resume_embed(resume=resume)
        pool[category] = candidate
    yield pool
    fit._POOL_CACHE.clear()


def test_meaning_finds_the_chef_that_no_keyword_matches(recruiter, embedded_pool):
    query = talent_query(text="menu and restaurant kitchen")
    assert query.words == ("menu", "restaurant", "kitchen") and not query.chips()
    assert talent_search(user=recruiter, query=query, mode=KEYWORD).count == 0
    blended = talent_search(user=recruiter, query=query, mode=BLENDED)
    assert blended.semantic and blended.model_version
    assert blended.ranked[0] == embedded_pool["CHEF"].pk


def test_meaning_orders_the_candidates_the_filters_keep(recruiter, embedded_pool):
    """One filter every candidate passes, words that rank: the best is the accountant."""
    for candidate in embedded_pool.values():
        candidate.skills = ["Microsoft Excel"]
        candidate.save()
    query = talent_query(text="Excel for keeping the books straight and closing each month")
    assert query.filters.skills == ("Microsoft Excel",)
    ranked = talent_search(user=recruiter, query=query).ranked
    assert len(ranked) == 3 and ranked[0] == embedded_pool["ACCOUNTANT"].pk


def test_without_embeddings_the_search_ranks_by_keywords_and_says_so(client, recruiter):
    fit._POOL_CACHE.clear()
    CandidateFactory(headline="Data engineer", skills=["Python"])
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"), {"q": "python engineers"})
    assert response.context["results"].count == 1
    assert not response.context["results"].semantic
    assert "1 candidate found, ranked by keywords." in response.content.decode()


@pytest.fixture
def londoners():
    CandidateFactory(
        headline="Python developer", skills=["Python", "Django"], location="London",
        years_experience=6,
    )  # fmt: skip
    CandidateFactory(
        headline="Senior Python Developer", skills=["Python"], location="London, UK",
        years_experience=8,
    )  # fmt: skip
    CandidateFactory(
        headline="Python developer", skills=["Python"], location="London", years_experience=2
    )
    CandidateFactory(
        headline="Java developer", skills=["Java"], location="London", years_experience=9
    )
    CandidateFactory(
        headline="Python developer", skills=["Python"], location="Leeds", years_experience=7
    )


def test_the_issue_example_shows_four_chips_and_finds_who_they_describe(
    client, recruiter, londoners
):
    client.force_login(recruiter)
    response = client.get(
        reverse("recruiting:search"), {"q": "Python developers in London with 5+ years"}
    )
    html = response.content.decode()
    labels = [chip.label for chip, _ in response.context["chips"]]
    assert labels == ["Python", "Developer", "in London", "5+ years"]
    assert response.context["results"].count == 2
    assert "2 candidates found" in html
    # The fields hold the filters, so the form can be edited and sent again.
    assert 'name="location" value="London"' in html and 'name="min_years" value="5"' in html


def test_removing_a_chip_keeps_the_others_and_is_not_read_again(client, recruiter, londoners):
    client.force_login(recruiter)
    first = client.get(
        reverse("recruiting:search"), {"q": "Python developers in London with 5+ years"}
    )
    without_years = dict(first.context["chips"])
    url = next(u for chip, u in without_years.items() if chip.kind == "min_years")
    second = client.get(reverse("recruiting:search") + url)
    assert [c.label for c, _ in second.context["chips"]] == ["Python", "Developer", "in London"]
    assert second.context["results"].count == 3
    url = next(u for chip, u in second.context["chips"] if chip.kind == "skill")
    third = client.get(reverse("recruiting:search") + url)
    assert third.context["results"].count == 4  # the Java developer too


def test_a_new_text_replaces_what_the_old_one_gave_and_keeps_what_was_added(
    client, recruiter, londoners
):
    client.force_login(recruiter)
    response = client.get(
        reverse("recruiting:search"),
        {
            "q": "Java developers in Leeds",
            "read": "Python developers in London",
            "skills": "Python, Kotlin",  # Kotlin was typed into the field by hand
            "location": "London",
        },
    )
    chips = {(c.kind, c.value) for c, _ in response.context["chips"]}
    assert chips == {
        ("skill", "Java"),
        ("skill", "Kotlin"),
        ("title", "developer"),
        ("location", "Leeds"),
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_years": "-1"}, "greater than or equal to 0"),
        ({"min_years": "8", "max_years": "3"}, "At most must not be less than at least."),
        ({"skills": ", ".join(f"s{i}" for i in range(11))}, "At most 10 skills"),
    ],
)
def test_bad_filters_are_errors_on_the_page(client, recruiter, params, message):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.fixture
def blind_candidate():
    candidate = CandidateFactory(
        full_name="Zqelina Vexkyle",
        email="zqelina@example.test",
        headline="Elixir developer",
        skills=["Elixir"],
        location="Qorvath",
    )
    ApplicationFactory(job=JobFactory(blind_screening=True), candidate=candidate)
    return candidate


@pytest.mark.parametrize(
    "q", ["Zqelina", "zqelina@example.test", "Elixir developers in Qorvath", "Vexkyle Elixir"]
)
def test_a_blinded_recruiter_cannot_search_by_name_email_or_address(
    client, recruiter, blind_candidate, q
):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"), {"q": q})
    assert response.context["results"].count == 0
    assert "Zqelina" not in response.content.decode().replace(q, "")


def test_a_blinded_recruiter_finds_by_skill_and_title_masked(client, recruiter, blind_candidate):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"), {"q": "Elixir developer"})
    html = response.content.decode()
    assert response.context["results"].count == 1
    assert f"Candidate #{blind_candidate.pk}" in html
    assert "Zqelina" not in html and "Qorvath" not in html


def test_a_relaxation_counts_as_its_link_searches_meaning_included(recruiter, embedded_pool):
    query = talent_query(text="menu and restaurant kitchen in Qorvath")
    assert talent_search(user=recruiter, query=query).count == 0
    (relaxed,) = talent_relaxations(user=recruiter, query=query)
    assert relaxed.chip.kind == "location"
    # No word matches any resume: the three are found by meaning, as the link will find them.
    assert relaxed.count == 3
    assert talent_relaxations(user=recruiter, query=query, mode=KEYWORD) == []


def _plan_settings() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"
        )
        seqscan, indexscan = cursor.fetchone()
    return seqscan, indexscan


@pytest.mark.postgres
def test_postgres_keyword_ranking_from_the_indexes_then_plan_settings_back(recruiter):
    """A resume holding more of the words ranks higher; a profile match counts; a title
    filters (trigram index); the planner settings come back."""
    profile = CandidateFactory(headline="Ledger reconciliation lead")
    both = CandidateFactory(headline="Clerk")
    make_resume(candidate=both, text="General ledger and bank reconciliation for a group")
    one = CandidateFactory(headline="Clerk")
    make_resume(candidate=one, text="Kept the ledger of a small shop")
    CandidateFactory(headline="Chef")
    query = talent_query(text="ledger reconciliation")
    assert query.words == ("ledger", "reconciliation")
    results = talent_search(user=recruiter, query=query, mode=KEYWORD)
    assert set(results.ranked) == {profile.pk, both.pk, one.pk}
    assert results.ranked.index(both.pk) < results.ranked.index(one.pk)
    assert _plan_settings() == ("on", "on")
    clerks = talent_search(user=recruiter, query=talent_query(text="clerk ledger"), mode=KEYWORD)
    assert set(clerks.ranked) == {both.pk, one.pk}  # "clerk" is a title: a filter


@pytest.mark.postgres
def test_postgres_plan_settings_come_back_after_a_failed_search(recruiter, monkeypatch):
    from django.db import DatabaseError, connection

    from recruiting.selectors import talent

    def broken(*args, **kwargs):
        raise DatabaseError("broken on purpose")

    monkeypatch.setattr(talent, "_full_text_rows", broken)
    CandidateFactory(headline="Ledger keeper")
    with connection.cursor() as cursor:  # and the typo threshold the session had
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', '0.3', false)")
    with pytest.raises(DatabaseError):
        talent_search(user=recruiter, query=talent_query(text="ledger"), mode=KEYWORD)
    assert _plan_settings() == ("on", "on")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pg_trgm.word_similarity_threshold')")
        assert cursor.fetchone() == ("0.3",)
        cursor.execute("RESET pg_trgm.word_similarity_threshold")
