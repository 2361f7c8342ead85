"""Candidate search: words over profile and resume text, skill filters, roles, pages.

(The plain-language reading and the blended ranking: test_talent_search.py.)"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from recruiting import services
from recruiting.selectors.search import candidate_search

from ..factories import ApplicationFactory, CandidateFactory, JobFactory
from .test_portal_home import make_resume

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ada = CandidateFactory(
        full_name="Ada Lovelace",
        headline="Analytical engine programmer",
        skills=["Python", "Mathematics"],
        location="London",
    )
    linus = CandidateFactory(
        full_name="Linus Kernel",
        summary="Maintains operating system kernels written in C.",
        skills=["C", "Git"],
    )
    grace = CandidateFactory(full_name="Grace Compiler", skills=["COBOL", "Python"])
    make_resume(candidate=grace, status="parsed", text="Built the first compiler for the navy.")
    CandidateFactory(full_name="Javi Script", skills=["JavaScript"])
    return {"ada": ada, "linus": linus, "grace": grace}


def found(response) -> set[str]:
    return {c.full_name for c in response.context.get("candidates", [])}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "lovelace"}, {"Ada Lovelace"}),  # name
        ({"q": "engine"}, {"Ada Lovelace"}),  # headline
        ({"q": "kernels"}, {"Linus Kernel"}),  # summary
        ({"q": "navy"}, {"Grace Compiler"}),  # resume text
        ({"q": "navy kernels"}, {"Grace Compiler", "Linus Kernel"}),  # free words: any of them
        ({"q": "mathematics"}, {"Ada Lovelace"}),  # skills
        ({"skills": "python"}, {"Ada Lovelace", "Grace Compiler"}),
        ({"skills": "Python, COBOL"}, {"Grace Compiler"}),  # every skill
        ({"skills": "java"}, set()),  # a whole skill name: JavaScript is not Java
        ({"q": "lovelace", "skills": "C"}, set()),
        ({"q": "nobody-has-this"}, set()),
    ],
)
def test_search(client, recruiter, people, params, expected):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"), params)
    assert response.status_code == 200
    assert found(response) == expected


def test_empty_search_asks_for_words(client, recruiter, people):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"))
    assert response.status_code == 200
    assert "page" not in response.context
    assert b"Describe who you are looking for" in response.content


def test_results_show_matched_skills_and_applications(client, recruiter, people):
    job = JobFactory(title="Compiler Engineer")
    ApplicationFactory(job=job, candidate=people["grace"])
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"), {"skills": "cobol"})
    html = response.content.decode()
    assert "Compiler Engineer" in html
    assert '<span class="tag tag-matched">COBOL</span>' in html
    assert 'value="cobol"' in html  # the search stays in the form


def test_hiring_manager_sees_only_candidates_of_their_jobs(client, hiring_manager, people):
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    ApplicationFactory(job=job, candidate=people["ada"])
    ApplicationFactory(candidate=people["grace"])  # someone else's job
    client.force_login(hiring_manager)
    response = client.get(reverse("recruiting:search"), {"skills": "Python"})
    assert found(response) == {"Ada Lovelace"}
    assert found(client.get(reverse("recruiting:search"), {"q": "navy"})) == set()


def test_search_needs_a_portal_role(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get(reverse("recruiting:search"), {"q": "x"}).status_code == 403


def test_too_long_query_is_an_error_on_the_page(client, recruiter):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"), {"q": "x " * 2501})
    assert response.status_code == 400
    assert b"The search could not run" in response.content


def test_results_are_paginated_and_pages_keep_the_search(client, recruiter):
    for i in range(25):
        CandidateFactory(full_name=f"Person {i}", skills=["Rust"])
    client.force_login(recruiter)
    first = client.get(reverse("recruiting:search"), {"skills": "rust"})
    assert len(first.context["candidates"]) == 20
    assert b"skills=rust&amp;page=2" in first.content
    second = client.get(reverse("recruiting:search"), {"skills": "rust", "page": 2})
    assert len(second.context["candidates"]) == 5


def test_search_query_count_does_not_grow(client, recruiter, django_assert_max_num_queries):
    client.force_login(recruiter)

    def add(n: int) -> None:
        for _ in range(n):
            candidate = CandidateFactory(skills=["Go"], headline="Go developer")
            ApplicationFactory(candidate=candidate)

    add(2)
    # 12: session and user, roles, the ids that pass the filters, keyword relevance (SQLite:
    # profile and resume texts; PostgreSQL: one query between setting and restoring its plan
    # settings), the embeddings' stamp, the page's candidates, their applications and those
    # jobs' stages (a job's own stage by its name).
    with django_assert_max_num_queries(12):
        client.get(reverse("recruiting:search"), {"q": "developer", "skills": "go"})
    add(15)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("recruiting:search"), {"q": "developer", "skills": "go"})
    assert len(response.context["candidates"]) == 17


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        return queryset.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")


@pytest.mark.postgres
def test_postgres_full_text_ranks_and_uses_the_gin_indexes(recruiter, people):
    assert connection.vendor == "postgresql"
    # Word forms match ("programmers" → "programmer"), best match first.
    CandidateFactory(full_name="Someone Else", summary="Once met a programmer.")
    results = list(candidate_search(user=recruiter, text="programmers"))
    assert [c.full_name for c in results] == ["Ada Lovelace", "Someone Else"]
    assert results[0].rank > results[1].rank
    assert [c.full_name for c in candidate_search(user=recruiter, text="navy")] == [
        "Grace Compiler"
    ]
    # Matched and ranked against the stored vectors (migration 0007), through their indexes:
    # no to_tsvector() of any row at query time.
    plan = _plan(candidate_search(user=recruiter, text="compiler"))
    assert "candidate_search_tsv_gin" in plan
    assert "resume_search_tsv_gin" in plan
    assert "to_tsvector" not in plan
    # Skills: the lower-cased jsonb index, case-insensitive and whole names only.
    plan = _plan(candidate_search(user=recruiter, skills=["PYTHON"]))
    assert "candidate_skills_lower_gin" in plan
    assert {c.full_name for c in candidate_search(user=recruiter, skills=["PYTHON"])} == {
        "Ada Lovelace",
        "Grace Compiler",
    }


@pytest.mark.postgres
def test_postgres_stored_vectors_follow_edits(recruiter, people):
    """The generated columns are recomputed by PostgreSQL on every write."""
    ada = people["ada"]
    ada.headline = "Difference engine designer"
    ada.save()
    assert [c.full_name for c in candidate_search(user=recruiter, text="difference")] == [
        "Ada Lovelace"
    ]
    assert list(candidate_search(user=recruiter, text="analytical")) == []
    resume = people["grace"].resumes.get()
    resume.text = "Wrote COBOL for the fleet."
    resume.save()
    assert list(candidate_search(user=recruiter, text="navy")) == []
    assert [c.full_name for c in candidate_search(user=recruiter, text="fleet")] == [
        "Grace Compiler"
    ]


def test_blind_screening_masks_identity_in_results(client, recruiter):
    candidate = CandidateFactory(
        full_name="Secret Name", headline="Secret headline", skills=["Elixir"]
    )
    ApplicationFactory(job=JobFactory(blind_screening=True), candidate=candidate)
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:search"), {"skills": "elixir"})
    html = response.content.decode()
    assert found(response) == {"Secret Name"}  # found, but shown masked
    assert "Secret Name" not in html and "Secret headline" not in html
    assert f"Candidate #{candidate.pk}" in html


def test_search_results_name_own_stages_without_a_query_each(
    client, recruiter, django_assert_max_num_queries
):
    client.force_login(recruiter)
    job = JobFactory(title="Go role")
    stage = services.job_stage_add(job=job, name="Pairing session", by=recruiter)

    def add(n: int) -> None:
        for _ in range(n):
            candidate = CandidateFactory(skills=["Go"], headline="Go developer")
            ApplicationFactory(candidate=candidate, job=job, stage=stage.key)

    add(2)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("recruiting:search"), {"skills": "go"})
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("recruiting:search"), {"skills": "go"})
    html = response.content.decode()
    assert html.count("(Pairing session)") == 12
    assert "custom_" not in html
