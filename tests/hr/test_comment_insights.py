"""Comment insights (issue 19) under the anonymity rule: summaries, themes, drivers and flags.

A group below the minimum is never quoted, summarised, counted or flagged with its text, in
any view; and no two views can be subtracted to get at one: each new output is checked the
way tests/hr/test_anonymity.py checks the figures (company minus a department, a department
minus its sub-departments, the whole survey minus a month)."""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import date

import numpy as np
import pytest
from django.core.cache import cache

from hr.analytics import Filters, survey_dashboard
from hr.models import Answer, Question
from mlcore.sentiment.insights import enps_driver, vector_bytes

from ..factories import DepartmentFactory
from .factories import AnswerFactory, QuestionFactory, SurveyFactory, close, respond

pytestmark = pytest.mark.django_db

K = 5
MAY, JUNE = date(2026, 5, 4), date(2026, 6, 8)
DIM = 384
PARKING = np.eye(DIM)[0]


def _vector(rng, near=None):
    base = rng.standard_normal(DIM) if near is None else near * 8 + rng.standard_normal(DIM) * 0.3
    return base / np.linalg.norm(base)


def _comment(survey, dept, *, day, text, label, topics=(), near=None, flags=(), rng, likert):
    """One response: eNPS, two agreement answers that move with it, and an analysed comment
    with an embedding and flags (as hr.services.analysis stores them)."""
    enps = min(10, 2 * likert)
    # respond() answers the last agreement question ("Tools OK?"), against eNPS.
    response = respond(
        survey, dept, day=day, enps=enps, likert=6 - likert, text=text, label=label,
        topics=list(topics),
    )  # fmt: skip
    manager = survey.questions.get(text="Manager supports me?")
    AnswerFactory(response=response, question=manager, number=likert)
    Answer.objects.filter(response=response, question__kind=Question.Kind.FREE_TEXT).update(
        embedding=vector_bytes(_vector(rng, near)), attention=list(flags)
    )
    return response


@pytest.fixture
def insight_org(hr_admin):
    """k=5. Engineering: Backend 6, Frontend 2, one person directly in Engineering; Sales 10
    (5 in May, 5 in June); Support 5. Frontend and Engineering's direct member are too small
    (and Backend is hidden with them); Backend, Frontend and Support write about parking."""
    rng = np.random.default_rng(7)
    survey = SurveyFactory(min_group_size=K)
    QuestionFactory(survey=survey, kind="enps", text="Recommend us?")
    QuestionFactory(survey=survey, kind="likert", text="Manager supports me?")
    QuestionFactory(survey=survey, kind="likert", text="Tools OK?")
    QuestionFactory(survey=survey, kind="free_text", text="Anything else?", required=False)
    eng = DepartmentFactory(name="Engineering")
    depts = {
        "eng": eng,
        "backend": DepartmentFactory(name="Backend", parent=eng),
        "frontend": DepartmentFactory(name="Frontend", parent=eng),
        "sales": DepartmentFactory(name="Sales"),
        "support": DepartmentFactory(name="Support"),
    }
    for i in range(6):
        text = f"backend: the parking lot is full by eight {i}"
        _comment(survey, depts["backend"], day=MAY, text=text, label="negative", near=PARKING,
                 rng=rng, likert=1 + i % 5)  # fmt: skip
    for i in range(2):
        text = f"frontend secret {i}: the parking lot is full and I was harassed there"
        _comment(survey, depts["frontend"], day=MAY, text=text, label="negative", near=PARKING,
                 flags=["harassment"] if i == 0 else [], rng=rng, likert=5)  # fmt: skip
    _comment(survey, eng, day=MAY, text="eng secret: my pay is low", label="negative",
             topics=["pay_benefits"], flags=["safety"], rng=rng, likert=1)  # fmt: skip
    for i in range(10):
        text = f"sales: pay is low and the raise was small {i}"
        flags = ["harassment"] if i == 0 else []
        _comment(survey, depts["sales"], day=MAY if i < 5 else JUNE, text=text,
                 label="negative", topics=["pay_benefits"], flags=flags, rng=rng,
                 likert=1 + i % 5)  # fmt: skip
    for i in range(5):
        text = f"support: the parking lot is full again {i}"
        _comment(survey, depts["support"], day=MAY, text=text, label="positive", near=PARKING,
                 topics=["workplace"], rng=rng, likert=1 + (i + 2) % 5)  # fmt: skip
    close(survey)
    return survey, depts


SECRET = ("frontend secret", "eng secret")


def _views(hr_admin, survey, depts, period=None):
    views = {}
    for key in [None, *depts]:
        filters = Filters(department=None if key is None else depts[key].pk, period=period)
        views[key] = survey_dashboard(user=hr_admin, survey=survey, filters=filters)
    return views


def _texts(node) -> list[str]:
    return [node] if isinstance(node, str) else [
        t for v in (node.values() if isinstance(node, dict) else node if isinstance(node, list)
                    else []) for t in _texts(v)
    ]  # fmt: skip


def test_summaries_quote_only_groups_visible_on_their_own(hr_admin, insight_org):
    survey, depts = insight_org
    views = _views(hr_admin, survey, depts) | {
        f"may-{k}": v for k, v in _views(hr_admin, survey, depts, MAY.replace(day=1)).items()
    }
    company = views[None]["insights"]
    assert company["available"] and company["min_comments"] == K
    question = next(s for s in company["summaries"] if s["kind"] == "question")
    assert question["name"] == "Anything else?" and len(question["quotes"]) == 3
    assert len({q["text"] for q in question["quotes"]}) == 3
    workplace = next(s for s in company["summaries"] if s["key"] == "workplace")
    assert workplace["name"] == "Workplace and safety"
    assert all(q["text"].startswith("support") for q in workplace["quotes"])
    # Pay: Sales (7) and Engineering's one member mention it; Engineering's is too small, so
    # Sales is hidden with it for this topic, and nothing is left to quote.
    assert "pay_benefits" not in {s["key"] for s in company["summaries"]}
    assert "pay_benefits" in {t["topic"] for t in views[None]["topics"]}  # still counted
    for key, view in views.items():
        quoted = _texts(view["insights"]["summaries"])
        assert not [t for t in quoted if t.startswith(SECRET)], key
        assert not [t for t in quoted if t.startswith("backend")], key  # hidden as complement
    # A group shown but with fewer than five quotable comments is not summarised.
    assert views["support"]["insights"]["summaries"][0]["kind"] == "question"  # 5: enough
    assert views["eng"]["insights"]["available"]  # Engineering (9) is visible...
    assert views["eng"]["insights"]["summaries"] == []  # ...but none of its parts is quotable
    assert views["frontend"]["insights"] == {**views["frontend"]["insights"], "available": False}


def test_no_insight_depends_on_a_hidden_group(hr_admin, insight_org):
    """Change everything the too-small groups wrote and answered: every quote, summary,
    driver and flag quoted in every view stays the same (counts of themes may move; they go
    through the suppression rule, checked below)."""
    survey, depts = insight_org

    def quoted(views):
        out = {}
        for key, view in views.items():
            insights = copy.deepcopy(view["insights"])
            for theme in insights["themes"]:
                for name in ("people", "mentions", "net_sentiment", "distribution"):
                    theme.pop(name)
            out[key] = insights
        return out

    before = quoted(_views(hr_admin, survey, depts))
    rng = np.random.default_rng(99)
    small = [depts["frontend"], depts["eng"]]
    for answer in Answer.objects.filter(response__department__in=small):
        if answer.question.kind == Question.Kind.FREE_TEXT:
            answer.text = "something else entirely, with pay and parking"
            answer.embedding = vector_bytes(_vector(rng, PARKING))
            answer.attention = ["self_harm"] if answer.attention else []
        else:
            answer.number = 0 if answer.question.kind == Question.Kind.ENPS else 3
        answer.save()
    cache.clear()  # computed again, not read back (no re-analysis changed their versions)
    after = quoted(_views(hr_admin, survey, depts))
    for key in before:
        for part in ("summaries", "drivers"):
            assert before[key][part] == after[key][part], (key, part)
        assert before[key]["attention"]["comments"] == after[key]["attention"]["comments"]


def test_theme_counts_cannot_be_subtracted_across_filters(hr_admin, insight_org):
    survey, depts = insight_org
    views = _views(hr_admin, survey, depts)
    company = views[None]["insights"]["themes"]
    assert [t["people"] for t in company] == [13]  # parking: Backend 6 + Frontend 2 + Support 5
    theme = company[0]
    assert "parking" in theme["name"] and theme["nearest_topic"] == "Workplace and safety"
    assert not [p for p in theme["phrases"] if "secret" in p or "harass" in p]
    assert theme["distribution"] == {"negative": 8, "neutral": 0, "positive": 5}
    shown = {
        key: {t["name"]: t["people"] for t in view["insights"]["themes"]}
        for key, view in views.items()
    }
    assert shown["frontend"] == {} and shown["backend"] == {}  # hidden: no theme, no count
    # The attacker: a view's theme count minus the visible parts' counts of the same theme.
    children = {None: ["eng", "sales", "support"], "eng": ["backend", "frontend"]}
    for whole, parts in children.items():
        for name, people in shown[whole].items():
            left = people - sum(shown[p].get(name, 0) for p in parts)
            assert left == 0 or left >= K, (whole, name, left)
    # Whole survey minus May: the parking theme is all May, Sales's June answers no theme.
    may = _views(hr_admin, survey, depts, MAY.replace(day=1))
    for key in views:
        for name, people in shown[key].items():
            in_may = {t["name"]: t["people"] for t in may[key]["insights"]["themes"]}
            left = people - in_may.get(name, 0)
            assert left == 0 or left >= K, (key, name, left)


def test_drivers_come_from_groups_visible_on_their_own_and_not_from_small_ones(
    hr_admin, insight_org
):
    survey, depts = insight_org
    views = _views(hr_admin, survey, depts)
    drivers = views[None]["insights"]["drivers"]
    assert drivers["shown"]
    by_text = {d["text"]: d for d in drivers["items"]}
    # The expected figure: the pairs of Sales and Support only (Backend is hidden with
    # Frontend and Engineering's direct member inside Engineering).
    pairs = [
        (a.number, a.response.answers.get(question__kind="enps").number)
        for a in Answer.objects.filter(
            question__text="Manager supports me?",
            response__department__in=[depts["sales"], depts["support"]],
        ).select_related("response")
    ]
    expected = enps_driver([p[0] for p in pairs], [p[1] for p in pairs])
    manager = by_text["Manager supports me?"]
    assert (manager["rho"], manager["low"], manager["high"]) == (
        round(expected.rho, 2),
        round(expected.low, 2),
        round(expected.high, 2),
    )
    assert manager["rho"] > 0.9 and by_text["Tools OK?"]["rho"] < -0.9
    assert "n" not in manager  # no count of anything
    assert views["sales"]["insights"]["drivers"]["shown"]  # 10 pairs of its own
    for key in ("eng", "backend", "frontend", "support"):  # < 10 quotable pairs, or hidden
        assert not views[key]["insights"]["drivers"]["items"], key


def test_flags_are_company_wide_and_never_quote_a_small_group(hr_admin, insight_org):
    survey, depts = insight_org
    views = _views(hr_admin, survey, depts)
    attention = views[None]["insights"]["attention"]
    assert attention["shown"]
    assert [c["text"] for c in attention["comments"]] == [
        "sales: pay is low and the raise was small 0"
    ]
    assert attention["comments"][0]["categories"] == ["Harassment or bullying"]
    assert set(attention["comments"][0]) == {"text", "question", "categories"}  # no group, date
    # Frontend's harassment and Engineering's safety flags: named, not quoted, not counted.
    assert attention["unquoted_categories"] == ["Harassment or bullying", "Health and safety"]
    for key in depts:
        section = views[key]["insights"]["attention"]
        assert not section["shown"] and section["comments"] == []
        assert section["unquoted_categories"] == []
    may = survey_dashboard(user=hr_admin, survey=survey, filters=Filters(period=date(2026, 5, 1)))
    assert not may["insights"]["attention"]["shown"]
    for view in views.values():
        assert not [t for t in _texts(view["insights"]) if t.startswith(SECRET)]


def test_json_csv_and_api_carry_the_insights_with_no_hidden_count(client, hr_admin, insight_org):
    survey, depts = insight_org
    client.force_login(hr_admin)
    for params in ({}, {"department": depts["frontend"].pk}, {"department": depts["eng"].pk}):
        body = client.get(f"/hr/surveys/{survey.pk}/results.json", params).json()
        api = client.get(f"/api/v1/hr/surveys/{survey.pk}/analytics/", params)
        assert api.status_code == 200
        assert api.json()["insights"] == body["insights"]
        assert not [t for t in _texts(body) if t.startswith(SECRET)]
        if params.get("department") == depts["frontend"].pk:
            assert body["insights"]["available"] is False
            assert "frontend" not in json.dumps(body["insights"])
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/hr/surveys/{survey.pk}/results.csv").content.decode())
        )
    )
    themes = {r["metric"]: r["value"] for r in rows if r["section"] == "theme"}
    assert themes["people"] == "13"
    drivers = [r for r in rows if r["section"] == "driver"]
    assert {r["question"] for r in drivers} == {"Manager supports me?", "Tools OK?"}
    assert not [r for r in rows if "secret" in json.dumps(r)]


def test_an_open_survey_has_no_insights(hr_admin, insight_org):
    survey, _ = insight_org
    survey.status = "open"
    survey.save(update_fields=["status"])
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert data["insights"]["available"] is False
    assert data["insights"]["summaries"] == [] and data["insights"]["attention"]["comments"] == []


def test_comments_not_yet_embedded_say_so_and_are_left_out(hr_admin, insight_org):
    survey, depts = insight_org
    Answer.objects.filter(response__department=depts["support"]).update(embedding=None)
    data = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert data["insights"]["pending"] is True
    assert not [
        q for s in data["insights"]["summaries"] for q in s["quotes"] if "support" in q["text"]
    ]


def test_themes_are_clustered_again_when_a_comment_changes(hr_admin, insight_org):
    """Themes and insights are cached per version of the survey's comments: re-analysing one
    comment (a new version, a new embedding) is seen at once, never an outdated theme."""
    survey, depts = insight_org
    first = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert [t["people"] for t in first["insights"]["themes"]] == [13]
    moved = Answer.objects.filter(
        response__department=depts["support"], question__kind=Question.Kind.FREE_TEXT
    ).first()
    # Analysed again by a new version: a new embedding, far from parking.
    moved.embedding = vector_bytes(_vector(np.random.default_rng(5)))
    moved.model_version = "test-data-2"
    moved.save(update_fields=["embedding", "model_version"])
    again = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert [t["people"] for t in again["insights"]["themes"]] == [12]


def test_insights_are_read_back_until_an_analysis_changes_them(hr_admin, insight_org):
    survey, depts = insight_org
    first = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    Answer.objects.filter(response__department=depts["support"]).update(embedding=None)
    pending = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert not first["insights"]["pending"] and pending["insights"]["pending"]
    assert pending["insights"]["themes"] != first["insights"]["themes"]


def test_a_department_moved_since_is_not_quoted_from_the_cache(hr_admin, insight_org):
    """Support (5) is quoted; moved under Engineering it is hidden with Frontend and
    Engineering's direct member, and the next view must not quote it from a cached answer."""
    survey, depts = insight_org
    first = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert "workplace" in {s["key"] for s in first["insights"]["summaries"]}
    depts["support"].parent = depts["eng"]
    depts["support"].save()
    moved = survey_dashboard(user=hr_admin, survey=survey, filters=Filters())
    assert "workplace" not in {s["key"] for s in moved["insights"]["summaries"]}
    assert not [t for t in _texts(moved["insights"]) if t.startswith("support")]
