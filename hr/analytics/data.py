"""The data of one survey, loaded once: counts per (department atom, period) of every kind of
figure, and the cells the anonymity rule hides.

A fixed number of grouped queries per survey, whatever the number of answers; the rest is
arithmetic on counts. Every figure goes through hr.anonymity.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, Func, Q

from ..anonymity import (
    ALL_TIME,
    NO_DEPARTMENT,
    ROOT,
    Bucket,
    Cell,
    Layout,
    Unit,
    atom_of,
    cell_counts,
    suppress,
)
from ..models import Answer, Invitation, Question, Response, Survey
from ..tree import DepartmentTree

GRAINS = ("month", "week")


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


def topic_label(key: str) -> str:
    try:
        from mlcore.sentiment.topics import topic_label as model_topic_label

        return model_topic_label(key)
    except (ImportError, KeyError):  # an unknown key from another model version
        return key.replace("_", " ").capitalize()


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
        self._load_responses()
        self._load_answers()
        self._load_comments()
        # The rule, once per kind of figure, starting from what response counts hide.
        for metric in self.by_question.values():
            self._suppress(metric)
        self._suppress(self.sentiment)
        for metric in self.topics.values():
            self._suppress(metric)
        self._load_invitations()

    def _load_responses(self) -> None:
        responses: dict[tuple[Unit, date], int] = defaultdict(int)
        response_rows = (
            Response.objects.filter(survey=self.survey)
            .annotate(bucket=self._bucket("submitted_on"))
            .values("department_id", "bucket")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in response_rows:
            responses[(atom_of(row["department_id"]), self._day(row["bucket"]))] += row["n"]
        self.responses = _Metric(people=responses)
        self.responses.counts = cell_counts(self.layout, responses)
        self.responses.hidden = suppress(self.layout, self.responses.counts, self.k)
        self.buckets: list[date] = sorted({b for _, b in responses})

    def _load_answers(self) -> None:
        """Answers of every closed question, as counts per value."""
        self.by_question: dict[int, _Metric] = {q.pk: _Metric() for q in self.questions}
        answer_rows = (
            Answer.objects.filter(response__survey=self.survey)
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

    def _load_comments(self) -> None:
        """Analysed comments: one row each (no text), for sentiment, topics and examples."""
        self.sentiment = _Metric()
        self.topics: dict[str, _Metric] = defaultdict(_Metric)
        self.comment_rows: list[tuple[Any, Unit, date, int, str, float]] = []
        people: dict[tuple[Unit, date], set[Any]] = defaultdict(set)
        topic_people: dict[str, dict[tuple[Unit, date], set[Any]]] = defaultdict(
            lambda: defaultdict(set)
        )
        comment_rows = (
            Answer.objects.filter(
                response__survey=self.survey, question__kind=Question.Kind.FREE_TEXT
            )
            .exclude(sentiment_label="")
            .annotate(
                bucket=self._bucket("response__submitted_on"),
                embedded=ExpressionWrapper(Q(embedding__isnull=False), output_field=BooleanField()),
            )
            .values_list(
                "pk",
                "response_id",
                "response__department_id",
                "bucket",
                "question_id",
                "sentiment_label",
                "sentiment_probs",
                "topics",
                "model_version",
                "embedded",
            )
            .order_by("pk")  # random ids: a stable order for the digest, nothing of time
        )
        # What the comment insights depend on, short of texts and vectors (which change only
        # with an analysis, and so with model_version or `embedded`): their cache key.
        digest = hashlib.sha256()
        for row in comment_rows:
            pk, response_id, dept, raw_bucket, question_id, label, probs, topics = row[:8]
            digest.update(f"{pk}|{label}|{row[8]}|{row[9]}|{topics}|".encode())
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
        self.comments_digest = digest.hexdigest()
        self.sentiment.people = {key: len(ids) for key, ids in people.items()}
        for topic, metric in self.topics.items():
            metric.people = {key: len(ids) for key, ids in topic_people[topic].items()}

    def _load_invitations(self) -> None:
        invited: Counter[Unit] = Counter()
        invitation_rows = (
            Invitation.objects.filter(survey=self.survey)
            .values("employee__department_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for invitation in invitation_rows:
            invited[atom_of(invitation["employee__department_id"])] += invitation["n"]
        self.invited = invited

    def metric(
        self, people: dict[tuple[Unit, date], int], values: dict[tuple[Unit, date], Counter]
    ) -> _Metric:
        """A new kind of figure (counts per atom and bucket) with the rule applied, as for a
        topic: comment insights' themes (hr.analytics.insights)."""
        metric = _Metric(people=dict(people))
        metric.values.update(values)
        self._suppress(metric)
        return metric

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
