"""GET /api/v1/candidates/search/: the filters read from a plain-language query, the ranked
candidates, relaxations when nobody is found, blind screening, and clear errors."""

from __future__ import annotations

import pytest

from tests.factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/candidates/search/"


@pytest.fixture
def pool():
    CandidateFactory(
        full_name="Ann Py", headline="Python developer", skills=["Python", "Django"],
        location="London", years_experience=6,
    )  # fmt: skip
    CandidateFactory(
        full_name="Bo Py", headline="Python developer", skills=["Python"], location="London",
        years_experience=2,
    )  # fmt: skip
    CandidateFactory(
        full_name="Cy Java", headline="Java developer", skills=["Java"], location="Leeds",
        years_experience=9,
    )  # fmt: skip


def test_the_answer_has_the_filters_read_and_the_ranked_candidates(recruiter_api, pool):
    response = recruiter_api.get(URL, {"q": "Python developers in London with 5+ years"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["filters"] == {
        "skills": ["Python"],
        "titles": ["developer"],
        "location": "London",
        "min_years": 5.0,
        "max_years": None,
    }
    assert body["count"] == 1 and body["mode"] == "blended"
    assert body["semantic"] is False  # no stored embeddings here: keywords only, and it says so
    hit = body["results"][0]
    assert hit["rank"] == 1 and hit["candidate"]["full_name"] == "Ann Py"
    assert hit["keyword_match"] is True
    assert body["relaxations"] == []


def test_filters_sent_back_with_parse_false_are_the_only_filters(recruiter_api, pool):
    response = recruiter_api.get(
        URL,
        {"q": "Python developers in London with 5+ years", "parse": "false", "skills": "Python"},
    )
    body = response.json()
    assert body["filters"]["skills"] == ["Python"] and body["filters"]["location"] == ""
    assert {h["candidate"]["full_name"] for h in body["results"]} == {"Ann Py", "Bo Py"}


def test_nobody_found_answers_the_filters_to_remove(recruiter_api, pool):
    body = recruiter_api.get(URL, {"q": "Java developers in London"}).json()
    assert body["count"] == 0 and body["results"] == []
    relaxed = {
        (r["without"]["filter"], r["without"]["value"]): r["count"] for r in body["relaxations"]
    }
    assert relaxed == {("location", "London"): 1, ("skill", "Java"): 2}
    assert body["relaxations"][0]["filters"]["location"] in ("", "London")


def test_paging_with_limit_and_offset(recruiter_api, pool):
    body = recruiter_api.get(URL, {"q": "developers", "limit": 2, "offset": 1}).json()
    assert body["count"] == 3
    assert [h["rank"] for h in body["results"]] == [2, 3]


def test_a_typo_is_answered_as_corrected(recruiter_api, pool):
    body = recruiter_api.get(URL, {"q": "pyhton"}).json()
    assert body["corrected"] == [{"typed": "pyhton", "skill": "Python"}]
    assert body["count"] == 2


def test_blind_screening_holds_on_the_api(recruiter_api):
    hidden = CandidateFactory(
        full_name="Zqelina Vexkyle", email="zqelina@example.test", skills=["Elixir"],
        headline="Elixir developer", location="Qorvath",
    )  # fmt: skip
    ApplicationFactory(job=JobFactory(blind_screening=True), candidate=hidden)
    for q in ("Zqelina", "zqelina@example.test", "Elixir developer in Qorvath"):
        body = recruiter_api.get(URL, {"q": q}).json()
        assert body["count"] == 0, q
    response = recruiter_api.get(URL, {"q": "Elixir developer"})
    assert response.json()["count"] == 1
    assert "Zqelina" not in response.content.decode()
    assert "Qorvath" not in response.content.decode()
    assert response.json()["results"][0]["candidate"]["identity_hidden"] is True


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "q", "Send a query or at least one filter."),
        ({"q": "x", "min_years": "8", "max_years": "2"}, "max_years", "Must not be less"),
        ({"q": "x", "limit": "500"}, "limit", "less than or equal to 100"),
        ({"q": "x", "mode": "magic"}, "mode", "not a valid choice"),
        ({"q": "x " * 2501}, "q", "no more than 5000"),
        ({"skills": ",".join(f"s{i}" for i in range(11))}, "skills", "At most 10 skills."),
    ],
)
def test_bad_parameters_are_400_with_the_field(recruiter_api, params, field, message):
    response = recruiter_api.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode() and field in response.content.decode()


def test_needs_the_read_scope(make_client, recruiter):
    client = make_client(recruiter, scopes=["hr:read"])
    assert client.get(URL, {"q": "python"}).status_code == 403
