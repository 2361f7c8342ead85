"""The plain-language search parser: filters read from a query or a pasted job description,
and the keyword and fusion rankings the search blends."""

from __future__ import annotations

import pytest

from mlcore.search import bm25_scores, fuse_rankings, parse_query
from mlcore.search.query import MAX_DESCRIPTION_SKILLS


def test_the_issue_example_becomes_four_filters():
    parsed = parse_query("Python developers in London with 5+ years")
    assert parsed.skills == ("Python",)
    assert parsed.titles == ("developer",)
    assert parsed.location == "London"
    assert (parsed.min_years, parsed.max_years) == (5.0, None)
    assert parsed.words == ()
    assert parsed.has_filters


@pytest.mark.parametrize(
    ("query", "low", "high"),
    [
        ("Java developer with at least 3 years of experience", 3.0, None),
        ("3-5 years Java developer", 3.0, 5.0),
        ("teacher with ten years experience", 10.0, None),
        ("accountant, up to 2 years", None, 2.0),
        ("nurse 7 yrs", 7.0, None),
        ("chef", None, None),
    ],
)
def test_years_of_experience(query, low, high):
    parsed = parse_query(query)
    assert (parsed.min_years, parsed.max_years) == (low, high)


def test_skills_go_through_the_taxonomy_aliases():
    parsed = parse_query("analysts who know ms excel and structured query language")
    assert set(parsed.skills) == {"Microsoft Excel", "SQL"}
    assert parsed.corrected == ()  # aliases are not typos


def test_a_typo_is_corrected_and_says_from_what():
    parsed = parse_query("pyhton engineer")
    assert parsed.skills == ("Python",)
    assert parsed.corrected == (("pyhton", "Python"),)
    assert parsed.titles == ("engineer",)


def test_titles_keep_their_qualifier_and_drop_seniority_and_plurals():
    assert parse_query("Registered nurses near Manchester").titles == ("registered nurse",)
    assert parse_query("senior software engineers").titles == ("software engineer",)
    assert parse_query("sous chef").titles == ("sous chef",)
    # A skill alias written as a job title is the title.
    graphic = parse_query("graphic designer Adobe Photoshop")
    assert graphic.titles == ("graphic designer",) and graphic.skills == ("Adobe Photoshop",)


@pytest.mark.parametrize(
    ("query", "place"),
    [
        ("chef in Paris", "Paris"),
        ("python developers in london", "London"),
        ("London-based data analyst with SQL", "London"),
        ("React engineers in San Francisco, CA with 2+ years", "San Francisco, CA"),
        ("nurses in healthcare", ""),  # a field of work, not a place
        ("developers experienced in Python", ""),  # a skill, not a place
        ("Accountants in ICU", ""),  # an acronym
    ],
)
def test_location(query, place):
    assert parse_query(query).location == place


def test_words_left_over_stay_free_words():
    parsed = parse_query("kitchen manager for a busy brasserie")
    assert parsed.titles == ("kitchen manager",)
    assert parsed.words == ("busy", "brasserie")
    assert parsed.keyword_terms == ("busy", "brasserie", "kitchen manager")


def test_nothing_to_read_has_no_filters():
    parsed = parse_query("   ")
    assert not parsed.has_filters and parsed.words == ()


def test_reading_what_is_left_again_finds_nothing_new():
    """The page puts the free words back in the box and the filters in their fields: a
    second submit must not read them as new filters."""
    parsed = parse_query("Python developers in London with 5+ years who like brasseries")
    again = parse_query(" ".join(parsed.words))
    assert not again.has_filters


def test_a_pasted_job_description_gives_its_title_skills_years_and_place():
    description = (
        "Senior Backend Engineer\n"
        "Location: Berlin\n"
        "We are a growing company building payment software for small shops. You will design "
        "and run services in Python and Go on PostgreSQL and Kubernetes, review code, mentor "
        "colleagues and talk to customers. You have 5+ years of experience building web "
        "services, good communication skills and curiosity. Docker and Redis are a plus.\n"
    )
    parsed = parse_query(description)
    assert parsed.description
    assert parsed.titles == ("backend engineer",)
    assert parsed.location == "Berlin"
    assert parsed.min_years == 5.0
    assert len(parsed.skills) == MAX_DESCRIPTION_SKILLS
    assert parsed.skills[0] == "Python" and "Communication" not in parsed.skills
    assert parsed.words == ()


def test_bm25_prefers_the_rarer_term_and_the_shorter_document():
    docs = ["python python django", "python", "java spring", "cooking " * 20 + "python"]
    scores = bm25_scores(["python", "django"], docs)
    assert scores[0] > scores[1] > scores[3] > 0
    assert scores[2] == 0.0
    assert bm25_scores(["nurses"], ["a nurse", "a cook"])[0] > 0  # plural folded


def test_rank_fusion_rewards_agreement():
    fused = fuse_rankings([["a", "b", "c"], ["b", "a"]])
    assert fused["a"] == fused["b"] > fused["c"]
    assert fuse_rankings([["x"], ["y"]], k=0) == {"x": 1.0, "y": 1.0}


@pytest.mark.parametrize(
    ("query", "skills"),
    [
        ("construction manager for commercial building sites", ()),  # not "Billing"
        ("interior designer for residential spaces", ()),  # not "dSPACE"
        ("car dealership service advisor", ()),  # not "Leadership"
        ("elementary school teacher", ()),  # not "Telemetry"
        (
            "graphic designer with Photoshop and Illustrator",
            ("Adobe Photoshop", "Adobe Illustrator"),
        ),
    ],
)
def test_ordinary_words_are_not_read_as_misspelt_skills(query, skills):
    assert parse_query(query).skills == skills
