"""Survey aggregates for the HR dashboard, its JSON endpoints and the CSV export.

A fixed number of grouped queries per survey, whatever the number of answers; the rest is
arithmetic on counts. Every figure goes through hr.anonymity: a group it hides appears as
{"suppressed": true} with no count at all.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.db.models import CharField, Count, Func

from .anonymity import (
    ALL_TIME,
    NO_DEPARTMENT,
    ROOT,
    Bucket,
    Cell,
    Layout,
    Unit,
    atom_of,
    cell_counts,
    results_visible,
    suppress,
)
from .models import Answer, Invitation, Question, Response, Survey
from .permissions import ensure_hr_admin
from .tree import DepartmentTree

GRAINS = ("month", "week")
SENTIMENT_LABELS = ("negative", "neutral", "positive")
TOP_TOPICS = 10
COMMENTS_PER_LABEL = 3


class BucketStart(Func):
    """The first day of the week (Monday) or month of a date, computed in the database.

    Django's Trunc runs a Python function per row on SQLite; these are native on both.
    """

    # Read back as text (or a date on PostgreSQL) and parsed once per distinct value: a
    # converter per row costs more than the query on a large survey.
    output_field = CharField()

    def __init__(self, expression: str, *, grain: str) -> None:
        if grain not in GRAINS:
            raise ValueError(f"Unknown grain {grain!r}.")
        self.grain = grain
        super().__init__(expression)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        modifiers = "'start of month'" if self.grain == "month" else "'weekday 0', '-6 days'"
        return self.as_sql(compiler, connection, template=f"date(%(expressions)s, {modifiers})")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"CAST(DATE_TRUNC('{self.grain}', %(expressions)s) AS date)",
        )


@dataclass(frozen=True)
class Filters:
    department: int | None = None  # with its sub-departments; None: the whole company
    period: date | None = None  # the first day of one week or month; None: the whole survey
    grain: str = "month"


def _topic_label(key: str) -> str:
    try:
        from mlcore.sentiment.topics import topic_label

        return topic_label(key)
    except (ImportError, KeyError):  # an unknown key from another model version
        return key.replace("_", " ").capitalize()


# --- figures of one group ---------------------------------------------------------------


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def enps_figures(dist: Counter[int]) -> dict[str, Any]:
    n = sum(dist.values())
    promoters = sum(v for k, v in dist.items() if k >= 9)
    detractors = sum(v for k, v in dist.items() if k <= 6)
    passives = n - promoters - detractors
    return {
        "n": n,
        "distribution": {str(k): dist.get(k, 0) for k in range(11)},
        "promoters": promoters,
        "passives": passives,
        "detractors": detractors,
        "promoters_pct": _pct(promoters, n),
        "passives_pct": _pct(passives, n),
        "detractors_pct": _pct(detractors, n),
        "score": round(100 * (promoters - detractors) / n) if n else None,
    }


def likert_figures(dist: Counter[int]) -> dict[str, Any]:
    n = sum(dist.values())
    return {
        "n": n,
        "distribution": {str(k): dist.get(k, 0) for k in range(1, 6)},
        "mean": round(sum(k * v for k, v in dist.items()) / n, 2) if n else None,
        "favourable_pct": _pct(dist.get(4, 0) + dist.get(5, 0), n),
    }


def choice_figures(dist: Counter[str], choices: list[str]) -> dict[str, Any]:
    n = sum(dist.values())
    names = [*choices, *sorted(set(dist) - set(choices))]  # choices renamed since: kept
    return {"n": n, "distribution": {c: dist.get(c, 0) for c in names}}


def sentiment_figures(dist: Counter[str]) -> dict[str, Any]:
    n = sum(dist.values())
    return {
        "n": n,
        "distribution": {label: dist.get(label, 0) for label in SENTIMENT_LABELS},
        # Net sentiment, like eNPS: % positive minus % negative, -100..100.
        "net": round(100 * (dist.get("positive", 0) - dist.get("negative", 0)) / n) if n else None,
    }


# --- the data of one survey, loaded once ------------------------------------------------


@dataclass
class _Metric:
    """Counts per (atom, bucket) of one kind of figure, and the cells it must hide."""

    values: dict[tuple[Unit, date], Counter] = field(default_factory=lambda: defaultdict(Counter))
    people: dict[tuple[Unit, date], int] = field(default_factory=lambda: defaultdict(int))
    hidden: set[Cell] = field(default_factory=set)
    counts: dict[Cell, int] = field(default_factory=dict)
    totals: dict[Cell, dict[Any, int]] = field(default_factory=dict)


class SurveyData:
    """Everything the dashboard needs about one survey, in a fixed number of queries."""

    def __init__(self, survey: Survey, grain: str = "month") -> None:
        self.survey = survey
        self.k = survey.min_group_size
        self.grain = grain if grain in GRAINS else "month"
        self.tree = DepartmentTree.load()
        self.layout = Layout.of(self.tree)
        self.questions = list(survey.questions.all())
        self._atoms: dict[Unit, set[Unit]] = {}
        self._days: dict[Any, date] = {}
        self._load()

    def _bucket(self, path: str) -> BucketStart:
        return BucketStart(path, grain=self.grain)

    def _day(self, value: Any) -> date:
        day = self._days.get(value)
        if day is None:
            day = self._days[value] = (
                value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
            )
        return day

    def _load(self) -> None:
        survey, layout, k = self.survey, self.layout, self.k
        responses: dict[tuple[Unit, date], int] = defaultdict(int)
        response_rows = (
            Response.objects.filter(survey=survey)
            .annotate(bucket=self._bucket("submitted_on"))
            .values("department_id", "bucket")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in response_rows:
            responses[(atom_of(row["department_id"]), self._day(row["bucket"]))] += row["n"]
        self.responses = _Metric(people=responses)
        self.responses.counts = cell_counts(layout, responses)
        self.responses.hidden = suppress(layout, self.responses.counts, k)
        self.buckets: list[date] = sorted({b for _, b in responses})

        # Answers of every closed question, as counts per value.
        self.by_question: dict[int, _Metric] = {q.pk: _Metric() for q in self.questions}
        answer_rows = (
            Answer.objects.filter(response__survey=survey)
            .exclude(question__kind=Question.Kind.FREE_TEXT)
            .annotate(bucket=self._bucket("response__submitted_on"))
            .values("question_id", "response__department_id", "bucket", "number", "choice")
            .annotate(n=Count("id"))
            .order_by()
        )
        for answer in answer_rows:
            metric = self.by_question.get(answer["question_id"])
            if metric is None:
                continue
            key = (atom_of(answer["response__department_id"]), self._day(answer["bucket"]))
            value = answer["number"] if answer["number"] is not None else answer["choice"]
            metric.values[key][value] += answer["n"]
            metric.people[key] += answer["n"]  # one answer per question per response

        # Analysed comments: one row each (no text), for sentiment, topics and examples.
        self.sentiment = _Metric()
        self.topics: dict[str, _Metric] = defaultdict(_Metric)
        self.comment_rows: list[tuple[Any, Unit, date, int, str, float]] = []
        people: dict[tuple[Unit, date], set[Any]] = defaultdict(set)
        topic_people: dict[str, dict[tuple[Unit, date], set[Any]]] = defaultdict(
            lambda: defaultdict(set)
        )
        comment_rows = (
            Answer.objects.filter(response__survey=survey, question__kind=Question.Kind.FREE_TEXT)
            .exclude(sentiment_label="")
            .annotate(bucket=self._bucket("response__submitted_on"))
            .values_list(
                "pk",
                "response_id",
                "response__department_id",
                "bucket",
                "question_id",
                "sentiment_label",
                "sentiment_probs",
                "topics",
            )
            .order_by()
        )
        for pk, response_id, dept, raw_bucket, question_id, label, probs, topics in comment_rows:
            bucket = self._day(raw_bucket)
            key = (atom_of(dept), bucket)
            metric = self.by_question.get(question_id)
            if metric is not None:
                metric.values[key][label] += 1
                metric.people[key] += 1
            self.sentiment.values[key][label] += 1
            people[key].add(response_id)
            for topic in set(topics or []):
                self.topics[topic].values[key][label] += 1
                topic_people[topic][key].add(response_id)
            confidence = float((probs or {}).get(label, 0.0))
            self.comment_rows.append((pk, key[0], bucket, question_id, label, confidence))

        # The rule, once per kind of figure, starting from what response counts hide.
        for metric in self.by_question.values():
            self._suppress(metric)
        self.sentiment.people = {key: len(ids) for key, ids in people.items()}
        self._suppress(self.sentiment)
        for topic, metric in self.topics.items():
            metric.people = {key: len(ids) for key, ids in topic_people[topic].items()}
            self._suppress(metric)

        invited: Counter[Unit] = Counter()
        invitation_rows = (
            Invitation.objects.filter(survey=survey)
            .values("employee__department_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for invitation in invitation_rows:
            invited[atom_of(invitation["employee__department_id"])] += invitation["n"]
        self.invited = invited

    def _suppress(self, metric: _Metric) -> None:
        metric.counts = cell_counts(self.layout, metric.people)
        if metric.counts.get((ROOT, ALL_TIME), 0) < self.k:  # nothing of it can be shown
            metric.hidden = set(metric.counts)
            return
        if metric.counts == self.responses.counts:  # a question everyone answered
            metric.hidden = self.responses.hidden  # already a fixed point of the same counts
            return
        metric.hidden = suppress(
            self.layout, metric.counts, self.k, also_hidden=self.responses.hidden
        )

    # --- reading cells -------------------------------------------------------------------

    def atoms(self, unit: Unit) -> set[Unit]:
        if unit not in self._atoms:
            self._atoms[unit] = set(self.layout.atoms_under(unit))
        return self._atoms[unit]

    def _total(self, metric: _Metric, unit: Unit, bucket: Bucket) -> dict[Any, int]:
        """Counts per value of a cell, summed bottom-up once and remembered."""
        key = (unit, bucket)
        total = metric.totals.get(key)
        if total is None:
            total = {}
            if bucket is None:  # ALL_TIME
                pieces = [self._total(metric, unit, b) for b in self.buckets]
            elif unit in self.layout.parts:
                pieces = [self._total(metric, p, bucket) for p in self.layout.parts[unit]]
            else:
                pieces = [metric.values.get((unit, bucket), {})]
            for piece in pieces:
                for value, n in piece.items():
                    total[value] = total.get(value, 0) + n
            metric.totals[key] = total
        return total

    def values(self, metric: _Metric, unit: Unit, bucket: Bucket) -> Counter | None:
        """The counts per value of one cell, or None when the rule hides it."""
        if (unit, bucket) in metric.hidden:
            return None
        return Counter(self._total(metric, unit, bucket))

    def count(self, metric: _Metric, unit: Unit, bucket: Bucket) -> int | None:
        if (unit, bucket) in metric.hidden:
            return None
        return metric.counts.get((unit, bucket), 0)

    def invited_in(self, unit: Unit) -> int:
        atoms = self.atoms(unit)
        return sum(n for atom, n in self.invited.items() if atom in atoms)

    def unit_name(self, unit: Unit) -> str:
        if unit == ROOT:
            return "Whole company"
        if unit == NO_DEPARTMENT:
            return "No department"
        if isinstance(unit, tuple):
            return f"{self.tree.names[unit[1]]} (not in a sub-team)"
        return self.tree.names[cast(int, unit)]

    def parts(self, unit: Unit) -> list[Unit]:
        """The parts a breakdown shows: sub-departments, and direct members where there are
        sub-departments too (a leaf department's only part is itself)."""
        parts = self.layout.parts.get(unit, [])
        if isinstance(unit, int) and len(parts) == 1:
            return []
        return parts


def unit_key(unit: Unit) -> str:
    if isinstance(unit, tuple):
        return f"={unit[1]}"
    return str(unit)


# --- the dashboard -------------------------------------------------------------------------


class InvalidFilter(ValueError):
    """A filter the dashboard cannot apply; the message says which."""


def _first(questions: Iterable[Question], kind: str) -> Question | None:
    return next((q for q in questions if q.kind == kind), None)


def survey_dashboard(*, user: Any, survey: Survey, filters: Filters) -> dict[str, Any]:
    """Every aggregate of one survey for HR, with the anonymity rule applied."""
    ensure_hr_admin(user)
    if not results_visible(survey.status):
        return participation_only(survey, filters)
    data = SurveyData(survey, filters.grain)
    if filters.department is not None and filters.department not in data.tree.names:
        raise InvalidFilter(f"There is no department with id {filters.department}.")
    if filters.period is not None and filters.period not in data.buckets:
        raise InvalidFilter(
            f"{filters.period.isoformat()} is not the first day of a {data.grain} with answers."
        )
    unit: Unit = ROOT if filters.department is None else filters.department
    bucket: Bucket = filters.period
    enps_q = _first(data.questions, Question.Kind.ENPS)

    def group_figures(u: Unit, b: Bucket) -> dict[str, Any]:
        responses = data.count(data.responses, u, b)
        if responses is None:
            return {"suppressed": True}
        out: dict[str, Any] = {"suppressed": False, "responses": responses}
        if b is ALL_TIME:
            invited = data.invited_in(u)
            out["invited"] = invited
            out["response_rate"] = _pct(responses, invited) if invited else None
        if enps_q is not None:
            dist = data.values(data.by_question[enps_q.pk], u, b)
            out["enps"] = enps_figures(dist)["score"] if dist else None
        dist = data.values(data.sentiment, u, b)
        out["net_sentiment"] = sentiment_figures(dist)["net"] if dist else None
        return out

    overview = group_figures(unit, bucket)
    view_hidden = overview["suppressed"]

    questions = []
    for q in data.questions:
        item: dict[str, Any] = {"id": q.pk, "text": q.text, "kind": q.kind}
        dist = data.values(data.by_question[q.pk], unit, bucket)
        if dist is None:
            item["suppressed"] = True
        elif q.kind == Question.Kind.ENPS:
            item.update(suppressed=False, **enps_figures(dist))
        elif q.kind == Question.Kind.LIKERT:
            item.update(suppressed=False, **likert_figures(dist))
        elif q.kind == Question.Kind.SINGLE_CHOICE:
            item.update(suppressed=False, **choice_figures(dist, q.choices))
        else:
            item.update(suppressed=False, sentiment=sentiment_figures(dist))
        questions.append(item)

    breakdown = [
        {"unit": unit_key(p), "name": data.unit_name(p), **group_figures(p, bucket)}
        for p in data.parts(unit)
        if data.responses.counts.get((p, ALL_TIME), 0) or data.invited_in(p)
    ]

    sentiment = data.values(data.sentiment, unit, bucket)
    trend_periods = data.buckets if bucket is None else [bucket]  # None: ALL_TIME
    by_department: list[dict[str, Any]] = [
        {
            "unit": unit_key(p),
            "name": data.unit_name(p),
            "values": [
                {"period": b.isoformat(), **_trend_point(data, p, b)} for b in trend_periods
            ],
        }
        for p in data.parts(unit)
        if data.responses.counts.get((p, ALL_TIME), 0)
    ]
    trend = {
        "grain": data.grain,
        "periods": [b.isoformat() for b in trend_periods],
        "name": data.unit_name(unit),
        "overall": [{"period": b.isoformat(), **group_figures(unit, b)} for b in trend_periods],
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

    topics = []
    for topic, metric in data.topics.items():
        dist = data.values(metric, unit, bucket)
        if dist:
            figures = sentiment_figures(dist)
            topics.append(
                {
                    "topic": topic,
                    "label": _topic_label(topic),
                    "people": metric.counts.get((unit, bucket), 0),
                    "mentions": figures["n"],
                    "net_sentiment": figures["net"],
                    "distribution": figures["distribution"],
                }
            )
    topics.sort(key=lambda t: (-t["people"], t["topic"]))
    comments = [] if view_hidden else _comments(data, unit, bucket)

    return {
        "survey": {
            "id": survey.pk,
            "title": survey.title,
            "status": survey.status,
            "min_group_size": data.k,
        },
        "results_available": True,
        "filters": {
            "department": filters.department,
            "period": bucket.isoformat() if bucket else None,
            "grain": data.grain,
        },
        "departments": [
            {"id": d, "name": data.tree.names[d], "depth": data.tree.depth(d)}
            for d in data.tree.ordered()
        ],
        "periods": [b.isoformat() for b in data.buckets],
        "suppressed": view_hidden,
        "overview": overview,
        "questions": questions,
        "sentiment": sentiment_figures(sentiment)
        if sentiment is not None
        else {"suppressed": True},
        "breakdown": breakdown,
        "trend": trend,
        "topics": topics[:TOP_TOPICS],
        "comments": comments,
        "reasons_pending": any(c["attributions"] is None for c in comments),
    }


def participation_only(survey: Survey, filters: Filters) -> dict[str, Any]:
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
        "survey": {
            "id": survey.pk,
            "title": survey.title,
            "status": survey.status,
            "min_group_size": survey.min_group_size,
        },
        "results_available": False,
        "filters": {"department": None, "period": None, "grain": filters.grain},
        "departments": [],
        "periods": [],
        "suppressed": True,
        "overview": {
            "suppressed": False,
            "responses": responses,
            "invited": invited,
            "response_rate": _pct(responses, invited) if invited else None,
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
    }


def _trend_point(data: SurveyData, unit: Unit, bucket: Bucket) -> dict[str, Any]:
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


def _comments(data: SurveyData, unit: Unit, bucket: Bucket) -> list[dict[str, Any]]:
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
            "topics": [_topic_label(t) for t in rows[pk]["topics"] or []],
        }
        for pk in chosen
        if pk in rows
    ]


# --- CSV -----------------------------------------------------------------------------------

CSV_HEADER = ["section", "question", "group", "period", "metric", "value"]
SUPPRESSED = "suppressed"


def dashboard_csv(dashboard: dict[str, Any]) -> str:  # noqa: C901
    """The dashboard's aggregates as CSV rows; hidden groups say 'suppressed', no count."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    f = dashboard["filters"]
    scope = (
        next((d["name"] for d in dashboard["departments"] if d["id"] == f["department"]), "")
        if f["department"] is not None
        else "Whole company"
    )
    period = f["period"] or "whole survey"

    def group_rows(section: str, group: str, when: str, figures: dict[str, Any]) -> None:
        if figures.get("suppressed"):
            writer.writerow([section, "", group, when, SUPPRESSED, ""])
            return
        for metric in ("responses", "invited", "response_rate", "enps", "net_sentiment"):
            if metric in figures:
                writer.writerow([section, "", group, when, metric, _cell(figures[metric])])

    group_rows("overview", scope, period, dashboard["overview"])
    for q in dashboard["questions"]:
        if q["suppressed"]:
            writer.writerow(["question", q["text"], scope, period, SUPPRESSED, ""])
            continue
        figures = q.get("sentiment", q)
        writer.writerow(["question", q["text"], scope, period, "n", figures["n"]])
        for value, n in figures["distribution"].items():
            writer.writerow(["question", q["text"], scope, period, f"count:{value}", n])
        for metric in (
            "score",
            "promoters_pct",
            "passives_pct",
            "detractors_pct",
            "mean",
            "favourable_pct",
            "net",
        ):
            if metric in figures:
                writer.writerow(
                    ["question", q["text"], scope, period, metric, _cell(figures[metric])]
                )
    for part in dashboard["breakdown"]:
        group_rows("department", part["name"], period, part)
    for point in dashboard["trend"]["overall"]:
        group_rows("trend", scope, point["period"], point)
    for series in dashboard["trend"]["by_department"]:
        for point in series["values"]:
            if point["suppressed"]:
                writer.writerow(
                    ["trend_by_department", "", series["name"], point["period"], SUPPRESSED, ""]
                )
            else:
                writer.writerow(
                    [
                        "trend_by_department",
                        "",
                        series["name"],
                        point["period"],
                        "net_sentiment",
                        _cell(point["net"]),
                    ]
                )
    for topic in dashboard["topics"]:
        for metric in ("people", "mentions", "net_sentiment"):
            writer.writerow(["topic", topic["label"], scope, period, metric, _cell(topic[metric])])
    return out.getvalue()


def _cell(value: Any) -> Any:
    return "" if value is None else value
