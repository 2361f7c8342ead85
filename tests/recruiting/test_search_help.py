"""A search that finds nobody says so, offers a spelling fix, and the searches with one word
or skill fewer that do find someone."""

from __future__ import annotations

import pytest

from recruiting.selectors.search import search_help

from ..factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    CandidateFactory(headline="Data engineer", skills=["Python", "Airflow"], location="Leeds")
    CandidateFactory(headline="Data engineer", skills=["Python"], location="London")


def test_a_typo_gets_a_did_you_mean_that_finds_someone(client, recruiter, pool):
    client.force_login(recruiter)
    html = client.get("/search/", {"q": "pyhton"}).content.decode()
    assert "No candidate matches" in html
    assert "Did you mean" in html and ">Python</a>" in html
    assert "?q=Python" in html


def test_too_many_words_offers_what_to_leave_out(client, recruiter, pool):
    client.force_login(recruiter)
    html = client.get("/search/", {"q": "data engineer Kubernetes"}).content.decode()
    assert "No candidate matches" in html
    assert "without “Kubernetes”</a>: 2 candidates" in html


def test_the_help_is_built_by_a_selector_that_respects_the_filters(recruiter, pool):
    help_ = search_help(user=recruiter, text="engineer", skills=["Python", "Kotlin"])
    assert [(r.dropped, r.count) for r in help_.relaxations] == [("Kotlin", 2)]
    assert help_.spelling is None
