"""A search that finds nobody says so and offers each filter whose removal finds someone, as
a link; a misspelt skill is read as the skill it means, and the chip says from what."""

from __future__ import annotations

import pytest

from recruiting.selectors.talent import talent_query, talent_relaxations

from ..factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    CandidateFactory(headline="Data engineer", skills=["Python", "Airflow"], location="Leeds")
    CandidateFactory(headline="Data engineer", skills=["Python"], location="London")


def test_a_typo_is_read_as_the_skill_and_the_chip_says_so(client, recruiter, pool):
    client.force_login(recruiter)
    response = client.get("/search/", {"q": "pyhton"})
    html = response.content.decode()
    assert response.context["results"].count == 2
    assert "Skill: Python" in html and "(read from “pyhton”)" in html


def test_no_results_offers_each_filter_to_remove_as_a_link(client, recruiter, pool):
    client.force_login(recruiter)
    response = client.get("/search/", {"q": "data engineers with Kubernetes in Leeds"})
    html = response.content.decode()
    assert "No candidate matches" in html
    links = {r.chip.label: r.count for r, _ in response.context["relaxations"]}
    assert links == {"Kubernetes": 1}
    url = response.context["relaxations"][0][1]
    assert "skills=" not in url and "location=Leeds" in url and "read=" in url
    assert f'href="{url.replace("&", "&amp;")}">without Kubernetes</a>: 1 candidate' in html
    # The link finds what it promised: the text is not read again, Kubernetes stays out.
    again = client.get("/search/" + url)
    assert again.context["results"].count == 1


def test_the_relaxations_are_a_selector_that_respects_the_filters(recruiter, pool):
    query = talent_query(text="", skills=["Python", "Kotlin"], titles=["engineer"])
    relaxed = talent_relaxations(user=recruiter, query=query)
    assert [(r.chip.value, r.count) for r in relaxed] == [("Kotlin", 2)]
