"""The survey dashboard built once (hr.analytics.results.SurveyDashboard), with the anonymity
rule applied: a group it hides appears as {"suppressed": true} with no count at all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..anonymity import ALL_TIME, ROOT, Bucket, Unit, results_visible
from ..models import Answer, Invitation, Question, Response, Survey
from ..permissions import ensure_hr_admin
from ..selectors.explanations import stored_explanations
from .data import Filters, SurveyData, topic_label, unit_key
from .figures import (
    SENTIMENT_LABELS,
    choice_figures,
    enps_figures,
    likert_figures,
    pct,
    sentiment_figures,
)
from .insights import comment_insights, no_insights
from .results import (
    BreakdownRow,
    Comment,
    DepartmentOption,
    GroupFigures,
    QuestionFigures,
    SentimentSection,
    SurveyDashboard,
    SurveyInfo,
    TopicFigures,
    Trend,
    TrendSeries,
)

if TYPE_CHECKING:
    from core.roles import AnyUser

TOP_TOPICS = 10
COMMENTS_PER_LABEL = 3


class InvalidFilter(ValueError):
    """A filter the dashboard cannot apply; the message says which."""


def _first(questions: Iterable[Question], kind: str) -> Question | None:
    return next((q for q in questions if q.kind == kind), None)


def survey_dashboard(*, user: AnyUser, survey: Survey, filters: Filters) -> SurveyDashboard:
    """Every aggregate of one survey for HR, with the anonymity rule applied."""
    ensure_hr_admin(user)
    if not results_visible(survey.status):
        return participation_only(survey, filters)
    data = SurveyData(survey, filters.grain)
    _check_filters(data, filters)
    view = _View(data, ROOT if filters.department is None else filters.department, filters.period)
    overview = view.group_figures(view.unit, view.bucket)
    comments = [] if overview["suppressed"] else _comments(data, view.unit, view.bucket)
    sentiment = data.values(data.sentiment, view.unit, view.bucket)
    topics = view.topics()[:TOP_TOPICS]
    insights = (
        no_insights(data.k)
        if overview["suppressed"]
        else comment_insights(
            data, view.unit, view.bucket, topic_order=[t["topic"] for t in topics]
        )
    )
    return {
        "survey": _survey_info(survey),
        "results_available": True,
        "filters": {
            "department": filters.department,
            "period": view.bucket.isoformat() if view.bucket else None,
            "grain": data.grain,
        },
        "departments": [
            DepartmentOption(id=d, name=data.tree.names[d], depth=data.tree.depth(d))
            for d in data.tree.ordered()
        ],
        "periods": [b.isoformat() for b in data.buckets],
        "suppressed": overview["suppressed"],
        "overview": overview,
        "questions": [view.question(q) for q in data.questions],
        "sentiment": {**sentiment_figures(sentiment)}
        if sentiment is not None
        else {"suppressed": True},
        "breakdown": view.breakdown(),
        "trend": view.trend(),
        "topics": topics,
        "comments": comments,
        "reasons_pending": any(c["attributions"] is None for c in comments),
        "insights": insights,
    }


def _check_filters(data: SurveyData, filters: Filters) -> None:
    if filters.department is not None and filters.department not in data.tree.names:
        raise InvalidFilter(f"There is no department with id {filters.department}.")
    if filters.period is not None and filters.period not in data.buckets:
        raise InvalidFilter(
            f"{filters.period.isoformat()} is not the first day of a {data.grain} with answers."
        )


def _survey_info(survey: Survey) -> SurveyInfo:
    return {
        "id": survey.pk,
        "title": survey.title,
        "status": survey.status,
        "min_group_size": survey.min_group_size,
    }


class _View:
    """The dashboard's sections for one group (unit) and period (bucket; None: all time)."""

    def __init__(self, data: SurveyData, unit: Unit, bucket: Bucket) -> None:
        self.data, self.unit, self.bucket = data, unit, bucket
        self.enps_q = _first(data.questions, Question.Kind.ENPS)

    def group_figures(self, u: Unit, b: Bucket) -> GroupFigures:
        data = self.data
        responses = data.count(data.responses, u, b)
        if responses is None:
            return {"suppressed": True}
        out: GroupFigures = {"suppressed": False, "responses": responses}
        if b is ALL_TIME:
            invited = data.invited_in(u)
            out["invited"] = invited
            out["response_rate"] = pct(responses, invited) if invited else None
        if self.enps_q is not None:
            dist = data.values(data.by_question[self.enps_q.pk], u, b)
            out["enps"] = enps_figures(dist)["score"] if dist else None
        dist = data.values(data.sentiment, u, b)
        out["net_sentiment"] = sentiment_figures(dist)["net"] if dist else None
        return out

    def question(self, q: Question) -> QuestionFigures:
        item = QuestionFigures(id=q.pk, text=q.text, kind=q.kind, suppressed=True)
        dist = self.data.values(self.data.by_question[q.pk], self.unit, self.bucket)
        if dist is None:
            return item
        item["suppressed"] = False
        if q.kind == Question.Kind.ENPS:
            item.update(enps_figures(dist))
        elif q.kind == Question.Kind.LIKERT:
            item.update(likert_figures(dist))
        elif q.kind == Question.Kind.SINGLE_CHOICE:
            item.update(choice_figures(dist, q.choices))
        else:
            item["sentiment"] = sentiment_figures(dist)
        return item

    def breakdown(self) -> list[BreakdownRow]:
        data = self.data
        return [
            {"unit": unit_key(p), "name": data.unit_name(p), **self.group_figures(p, self.bucket)}
            for p in data.parts(self.unit)
            if data.responses.counts.get((p, ALL_TIME), 0) or data.invited_in(p)
        ]

    def trend(self) -> Trend:
        data = self.data
        periods = data.buckets if self.bucket is None else [self.bucket]  # None: ALL_TIME
        by_department: list[TrendSeries] = [
            {
                "unit": unit_key(p),
                "name": data.unit_name(p),
                "values": [{"period": b.isoformat(), **_trend_point(data, p, b)} for b in periods],
            }
            for p in data.parts(self.unit)
            if data.responses.counts.get((p, ALL_TIME), 0)
        ]
        return {
            "grain": data.grain,
            "periods": [b.isoformat() for b in periods],
            "name": data.unit_name(self.unit),
            "overall": [
                {"period": b.isoformat(), **self.group_figures(self.unit, b)} for b in periods
            ],
            "by_department": by_department,
            # In words, for the chart: series with no point to draw, and series with gaps.
            "hidden_series": [
                s["name"] for s in by_department if all(v["suppressed"] for v in s["values"])
            ],
            "partly_hidden_series": [
                s["name"]
                for s in by_department
                if any(v["suppressed"] for v in s["values"])
                and not all(v["suppressed"] for v in s["values"])
            ],
        }

    def topics(self) -> list[TopicFigures]:
        topics: list[TopicFigures] = []
        for topic, metric in self.data.topics.items():
            dist = self.data.values(metric, self.unit, self.bucket)
            if dist:
                figures = sentiment_figures(dist)
                topics.append(
                    {
                        "topic": topic,
                        "label": topic_label(topic),
                        "people": metric.counts.get((self.unit, self.bucket), 0),
                        "mentions": figures["n"],
                        "net_sentiment": figures["net"],
                        "distribution": figures["distribution"],
                    }
                )
        topics.sort(key=lambda t: (-t["people"], t["topic"]))
        return topics


def participation_only(survey: Survey, filters: Filters) -> SurveyDashboard:
    """The dashboard of a survey that is not closed (anonymity rule 4): how many of the invited
    answered, company-wide, and no figure of what they answered."""
    if filters.department is not None or filters.period is not None:
        raise InvalidFilter(
            "Results by department or period appear when the survey closes; while it is open "
            "only the company-wide response rate is shown."
        )
    responses = Response.objects.filter(survey=survey).count()
    invited = Invitation.objects.filter(survey=survey).count()
    return {
        "survey": _survey_info(survey),
        "results_available": False,
        "filters": {"department": None, "period": None, "grain": filters.grain},
        "departments": [],
        "periods": [],
        "suppressed": True,
        "overview": {
            "suppressed": False,
            "responses": responses,
            "invited": invited,
            "response_rate": pct(responses, invited) if invited else None,
        },
        "questions": [
            {"id": q.pk, "text": q.text, "kind": q.kind, "suppressed": True}
            for q in survey.questions.all()
        ],
        "sentiment": {"suppressed": True},
        "breakdown": [],
        "trend": {
            "grain": filters.grain,
            "periods": [],
            "name": "Whole company",
            "overall": [],
            "by_department": [],
            "hidden_series": [],
            "partly_hidden_series": [],
        },
        "topics": [],
        "comments": [],
        "reasons_pending": False,
        "insights": no_insights(survey.min_group_size),
    }


def _trend_point(data: SurveyData, unit: Unit, bucket: Bucket) -> SentimentSection:
    dist = data.values(data.sentiment, unit, bucket)
    if dist is None:
        return {"suppressed": True}
    return {"suppressed": False, **sentiment_figures(dist)}


def _example_ids(data: SurveyData, unit: Unit, bucket: Bucket) -> list[str]:
    """The most confident comments of each label, from groups the rule shows on their own.

    A comment is only chosen from its own smallest group (its department's direct members)
    when that group is visible in the period shown: otherwise comparing the examples of a
    department and of its sub-departments could tell which hidden group wrote it. For the
    whole survey that is the group's whole-survey cell, not the month or week the comment
    fell in: the example says nothing of its period, and where some of a visible group's
    periods are hidden, rule 2 keeps at least k responses in them together.
    """
    atoms = data.atoms(unit)
    best: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for pk, atom, b, _question_id, label, confidence in data.comment_rows:
        if atom not in atoms or (bucket is not ALL_TIME and b != bucket):
            continue
        if (atom, ALL_TIME) in data.sentiment.hidden or (atom, bucket) in data.sentiment.hidden:
            continue
        best[label].append((confidence, str(pk)))
    chosen: list[str] = []
    for label in SENTIMENT_LABELS:
        chosen += [pk for _, pk in sorted(best[label], reverse=True)[:COMMENTS_PER_LABEL]]
    return chosen


def example_answer_ids(*, survey: Survey, filters: Filters) -> list[str]:
    """The answers the dashboard quotes for these filters (none before the survey closes):
    the ones whose reasons are worth computing (hr.services.analysis)."""
    if not results_visible(survey.status):
        return []
    data = SurveyData(survey, filters.grain)
    unit: Unit = ROOT if filters.department is None else filters.department
    if unit != ROOT and unit not in data.tree.names:
        return []
    if data.count(data.responses, unit, filters.period) is None:
        return []
    return _example_ids(data, unit, filters.period)


def _comments(data: SurveyData, unit: Unit, bucket: Bucket) -> list[Comment]:
    chosen = _example_ids(data, unit, bucket)
    if not chosen:
        return []
    rows = {
        str(a["id"]): a
        for a in Answer.objects.filter(pk__in=chosen).values(
            "id",
            "text",
            "sentiment_label",
            "sentiment_probs",
            "attributions",
            "explanations",
            "model_version",
            "topics",
            "question__text",
        )
    }
    return [
        {
            "question": rows[pk]["question__text"],
            "text": rows[pk]["text"],
            "label": rows[pk]["sentiment_label"],
            "confidence": round(
                float((rows[pk]["sentiment_probs"] or {}).get(rows[pk]["sentiment_label"], 0.0)), 3
            ),
            # None: not worked out yet (reasons are computed only for quoted comments).
            "attributions": rows[pk]["attributions"],
            # SHAP, attention: only those worked out (on request) for this version and label.
            "explanations": stored_explanations(
                rows[pk]["explanations"],
                version=rows[pk]["model_version"],
                label=rows[pk]["sentiment_label"],
            ),
            "topics": [topic_label(t) for t in rows[pk]["topics"] or []],
        }
        for pk in chosen
        if pk in rows
    ]
