"""Comment insights for the survey dashboard (issue 19): extractive summaries per question and
topic, emerging themes, eNPS drivers and 'needs attention' flags, with the anonymity rule.

The methods are mlcore's (mlcore.sentiment.insights and .attention, no model call here: the
embeddings and flags were stored on each answer by hr.services.analysis). What this module
adds is which comments and answers may go into each figure:

- Quoted or summarised only from groups visible on their own: a comment or answer is used in
  a view only when its smallest group (its department's direct members) is visible for that
  figure both over the whole survey and in the period shown, as the example comments are
  (hr.analytics.dashboard). Every view's pool is then a union of such groups, so the
  difference between two views' pools (company minus a department, a department minus a
  month) is a union of visible groups, each of at least k people, never a smaller group.
- A summary needs at least max(5, k) quotable comments; drivers max(10, k) quotable pairs.
- Themes are clustered once over the whole survey, so a theme is the same comments in every
  view; its people and sentiment go through the same suppression as a fixed topic's
  (hr.anonymity, run on the theme's own counts), so it can be subtracted no better. Its key
  phrases come only from comments of groups visible on their own (over the whole survey).
- Flags are listed for the whole company and the whole survey only (no department, period or
  time order: ordered by category and random id). A flagged comment from a group too small to
  quote is not quoted; its category is named, never counted.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.core.cache import cache
from numpy.typing import NDArray

from ..anonymity import ALL_TIME, ROOT, Bucket, Unit, atom_of
from ..models import Answer, Question
from .data import BucketStart, SurveyData, _Metric, topic_label
from .figures import sentiment_figures
from .results import (
    AttentionSection,
    CommentInsights,
    CommentSummary,
    DriverFigures,
    Drivers,
    ThemeFigures,
)

SUMMARY_QUOTES = 3
MIN_SUMMARY_COMMENTS = 5
MIN_DRIVER_PAIRS = 10
THEMES_CACHE_SECONDS = 7 * 24 * 3600


@dataclass
class _Comment:
    pk: Any
    response_id: Any
    atom: Unit
    bucket: date
    question_id: int
    label: str
    topics: list[str]
    text: str
    attention: list[str]
    row: int | None  # its row in InsightData.vectors; None: no embedding yet


@dataclass
class _Theme:
    phrases: tuple[str, ...]
    nearest_topic: str | None
    metric: _Metric


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class InsightData:
    """The comments (with text, embedding and flags) and the eNPS and Likert answers of one
    survey, in two queries, and its themes, clustered once."""

    def __init__(self, data: SurveyData) -> None:
        from mlcore.sentiment.insights import vectors_from_bytes

        self.data = data
        self.k = data.k
        self.comments: list[_Comment] = []
        blobs: list[bytes] = []
        rows = (
            Answer.objects.filter(
                response__survey=data.survey, question__kind=Question.Kind.FREE_TEXT
            )
            .exclude(sentiment_label="")
            .annotate(bucket=BucketStart("response__submitted_on", grain=data.grain))
            .values_list(
                "pk",
                "response_id",
                "response__department_id",
                "bucket",
                "question_id",
                "sentiment_label",
                "topics",
                "text",
                "attention",
                "embedding",
            )
            .order_by("pk")  # random ids: a stable order that says nothing of time
        )
        for pk, response_id, dept, bucket, qid, label, topics, text, flags, blob in rows:
            row = None
            if blob is not None:
                row = len(blobs)
                blobs.append(bytes(blob))
            self.comments.append(
                _Comment(
                    pk, response_id, atom_of(dept), _day(bucket), qid, label,
                    list(topics or []), text, list(flags or []), row,
                )
            )  # fmt: skip
        self.vectors: NDArray[np.float32] = vectors_from_bytes(blobs)
        self.pending = any(c.row is None for c in self.comments)
        self.themes = self._themes()

    def _themes(self) -> list[_Theme]:
        embedded = [c for c in self.comments if c.row is not None]
        by_pk = {str(c.pk): c for c in embedded}
        themes = []
        for members, phrases, nearest in self._clusters(embedded):
            people: dict[tuple[Unit, date], set[Any]] = defaultdict(set)
            values: dict[tuple[Unit, date], Counter] = defaultdict(Counter)
            for pk in members:
                comment = by_pk[pk]
                people[(comment.atom, comment.bucket)].add(comment.response_id)
                values[(comment.atom, comment.bucket)][comment.label] += 1
            counts = {key: len(ids) for key, ids in people.items()}
            metric = self.data.metric(counts, values)
            themes.append(_Theme(tuple(phrases), nearest, metric))
        return themes

    def _clusters(self, embedded: list[_Comment]) -> list[tuple[list[str], list[str], str | None]]:
        """The survey's themes as (member ids, phrases, nearest topic), clustered once per
        version of its comments and cached: clustering is quadratic in the comments, and a
        closed survey's comments change only when they are analysed again."""
        from mlcore.sentiment.insights import MIN_THEME_SIZE, emerging_themes

        hidden = self.data.sentiment.hidden
        # Named only by the words of groups visible on their own: two comments of a small
        # group must not lend a theme their phrase.
        texts = [c.text if (c.atom, ALL_TIME) not in hidden else "" for c in embedded]
        digest = hashlib.sha256(f"{self.k}".encode())
        for comment, text in zip(embedded, texts, strict=True):
            digest.update(f"{comment.pk}|{comment.topics}|{text}|".encode())
        digest.update(self.vectors.tobytes())
        key = f"hr:survey-themes:{self.data.survey.pk}:{digest.hexdigest()}"
        found: list[tuple[list[str], list[str], str | None]] | None = cache.get(key)
        if found is None:
            themes = emerging_themes(
                self.vectors[[c.row for c in embedded if c.row is not None]],
                texts,
                [c.topics for c in embedded],
                min_size=max(MIN_THEME_SIZE, self.k),
            )
            found = [
                ([str(embedded[i].pk) for i in t.members], list(t.phrases), t.nearest_topic)
                for t in themes
            ]
            cache.set(key, found, THEMES_CACHE_SECONDS)
        return found

    def answers_by_response(self) -> dict[Any, tuple[Unit, date, dict[int, int]]]:
        """Each response's eNPS and Likert answers, with its group and period."""
        out: dict[Any, tuple[Unit, date, dict[int, int]]] = {}
        rows = (
            Answer.objects.filter(
                response__survey=self.data.survey,
                question__kind__in=[Question.Kind.ENPS, Question.Kind.LIKERT],
                number__isnull=False,
            )
            .annotate(bucket=BucketStart("response__submitted_on", grain=self.data.grain))
            .values_list(
                "response_id", "response__department_id", "bucket", "question_id", "number"
            )
            .order_by()
        )
        for response_id, dept, bucket, question_id, number in rows:
            entry = out.setdefault(response_id, (atom_of(dept), _day(bucket), {}))
            entry[2][question_id] = int(number or 0)
        return out


class _InsightView:
    """The insights of one group (unit) and period (bucket; None: the whole survey)."""

    def __init__(self, insight: InsightData, unit: Unit, bucket: Bucket) -> None:
        self.insight, self.data = insight, insight.data
        self.unit, self.bucket = unit, bucket
        self.atoms = self.data.atoms(unit)

    def in_view(self, atom: Unit, bucket: date) -> bool:
        return atom in self.atoms and (self.bucket is ALL_TIME or bucket == self.bucket)

    def quotable(self, metric: _Metric, atom: Unit) -> bool:
        """The group is visible on its own for this figure, whole survey and period shown."""
        if (atom, ALL_TIME) in metric.hidden:
            return False
        return self.bucket is ALL_TIME or (atom, self.bucket) not in metric.hidden

    def _summary(
        self, kind: str, key: str, name: str, metric: _Metric, pool: list[_Comment]
    ) -> CommentSummary | None:
        from mlcore.sentiment.insights import representative

        if self.data.values(metric, self.unit, self.bucket) is None:
            return None
        chosen = [
            c
            for c in pool
            if c.row is not None
            and self.in_view(c.atom, c.bucket)
            and self.quotable(metric, c.atom)
        ]
        if len(chosen) < max(MIN_SUMMARY_COMMENTS, self.data.k):
            return None
        picks = representative(
            self.insight.vectors[[c.row for c in chosen if c.row is not None]],
            count=SUMMARY_QUOTES,
        )
        return CommentSummary(
            kind=kind,
            key=key,
            name=name,
            quotes=[{"text": chosen[i].text, "label": chosen[i].label} for i in picks],
        )

    def summaries(self, topic_order: list[str]) -> list[CommentSummary]:
        out: list[CommentSummary] = []
        comments = self.insight.comments
        for q in self.data.questions:
            if q.kind != Question.Kind.FREE_TEXT:
                continue
            pool = [c for c in comments if c.question_id == q.pk]
            found = self._summary("question", str(q.pk), q.text, self.data.by_question[q.pk], pool)
            if found:
                out.append(found)
        for topic in topic_order:
            pool = [c for c in comments if topic in c.topics]
            metric = self.data.topics[topic]
            found = self._summary("topic", topic, topic_label(topic), metric, pool)
            if found:
                out.append(found)
        return out

    def themes(self) -> list[ThemeFigures]:
        out: list[ThemeFigures] = []
        for theme in self.insight.themes:
            dist = self.data.values(theme.metric, self.unit, self.bucket)
            if not dist:
                continue
            figures = sentiment_figures(dist)
            out.append(
                {
                    "name": " · ".join(theme.phrases),
                    "phrases": list(theme.phrases),
                    "nearest_topic": topic_label(theme.nearest_topic)
                    if theme.nearest_topic
                    else None,
                    "people": theme.metric.counts.get((self.unit, self.bucket), 0),
                    "mentions": figures["n"],
                    "net_sentiment": figures["net"],
                    "distribution": figures["distribution"],
                }
            )
        out.sort(key=lambda t: (-t["people"], t["name"]))
        return out

    def drivers(self) -> Drivers:
        from mlcore.sentiment.insights import enps_driver

        enps_q = next((q for q in self.data.questions if q.kind == Question.Kind.ENPS), None)
        likert = [q for q in self.data.questions if q.kind == Question.Kind.LIKERT]
        if enps_q is None or not likert:
            note = "Drivers need an eNPS and an agreement question."
            return {"shown": False, "note": note, "items": []}
        answers = self.insight.answers_by_response()
        enps_metric = self.data.by_question[enps_q.pk]
        items: list[DriverFigures] = []
        least = max(MIN_DRIVER_PAIRS, self.data.k)
        for q in likert:
            metric = self.data.by_question[q.pk]
            if self.data.values(metric, self.unit, self.bucket) is None:
                continue
            pairs = [
                (numbers[q.pk], numbers[enps_q.pk])
                for atom, bucket, numbers in answers.values()
                if q.pk in numbers and enps_q.pk in numbers and self.in_view(atom, bucket)
                and self.quotable(metric, atom) and self.quotable(enps_metric, atom)
            ]  # fmt: skip
            if len(pairs) < least:
                continue
            found = enps_driver([p[0] for p in pairs], [p[1] for p in pairs])
            if found is not None:
                items.append(
                    {
                        "question": q.pk,
                        "text": q.text,
                        "rho": round(found.rho, 2),
                        "low": round(found.low, 2),
                        "high": round(found.high, 2),
                    }
                )
        items.sort(key=lambda d: (-d["rho"], d["question"]))
        note = (
            "Spearman's rank correlation of each agreement question with eNPS in the same "
            "response, with a bootstrap 95% interval; from groups large enough on their own."
            if items
            else f"Drivers need at least {least} answers to both questions from groups large "
            "enough on their own."
        )
        return {"shown": bool(items), "note": note, "items": items}

    def attention(self) -> AttentionSection:
        from mlcore.sentiment.attention import CATEGORIES, CATEGORY_LABELS

        if self.unit != ROOT or self.bucket is not ALL_TIME:
            return {
                "shown": False,
                "note": "Comments that need attention are listed for the whole company and "
                "the whole survey only, so that none narrows to a department or period.",
                "comments": [],
                "unquoted_categories": [],
            }
        questions = {q.pk: q.text for q in self.data.questions}
        flagged = [c for c in self.insight.comments if c.attention]
        quoted = [c for c in flagged if self.quotable(self.data.sentiment, c.atom)]
        unquoted = {cat for c in flagged if c not in quoted for cat in c.attention}
        order = {cat: n for n, cat in enumerate(CATEGORIES)}
        quoted.sort(key=lambda c: (min(order.get(cat, 99) for cat in c.attention), str(c.pk)))
        return {
            "shown": True,
            "note": "Flagged by phrases about harassment, discrimination, safety or self-harm; "
            "a prompt to read, not a judgement. No department or date is shown.",
            "comments": [
                {
                    "text": c.text,
                    "question": questions.get(c.question_id, ""),
                    "categories": [CATEGORY_LABELS.get(cat, cat) for cat in c.attention],
                }
                for c in quoted
            ],
            "unquoted_categories": [CATEGORY_LABELS[cat] for cat in CATEGORIES if cat in unquoted],
        }


def no_insights(k: int) -> CommentInsights:
    """The insights of a hidden group or an open survey: nothing."""
    return {
        "available": False,
        "min_comments": max(MIN_SUMMARY_COMMENTS, k),
        "summaries": [],
        "themes": [],
        "drivers": {"shown": False, "note": "", "items": []},
        "attention": {"shown": False, "note": "", "comments": [], "unquoted_categories": []},
        "pending": False,
    }


def comment_insights(
    data: SurveyData, unit: Unit, bucket: Bucket, *, topic_order: list[str]
) -> CommentInsights:
    """The insights of one visible group and period (the caller checks it is visible).

    Cached per survey, group, period, grain, version of its comments (data.comments_digest:
    ids, labels, topics, model versions, embedded or not) and department layout: a closed
    survey's answers change only when they are analysed again, which changes that digest, and
    its groups only when the tree changes.
    """
    # What the rule hides depends on the department tree and on where every response sits
    # in it (a department moved or deleted since): both are in the key, with the comments.
    layout = hashlib.sha256(
        f"{sorted(data.tree.parent.items())}|{sorted(map(str, data.responses.counts.items()))}"
        f"|{','.join(topic_order)}".encode()
    ).hexdigest()
    key = (
        f"hr:survey-insights:{data.survey.pk}:{unit}:{bucket}:{data.grain}:{data.k}:"
        f"{data.comments_digest}:{layout}"
    )
    cached: CommentInsights | None = cache.get(key)
    if cached is not None:
        return cached
    found = _comment_insights(data, unit, bucket, topic_order=topic_order)
    cache.set(key, found, THEMES_CACHE_SECONDS)
    return found


def _comment_insights(
    data: SurveyData, unit: Unit, bucket: Bucket, *, topic_order: list[str]
) -> CommentInsights:
    insight = InsightData(data)
    view = _InsightView(insight, unit, bucket)
    return {
        "available": True,
        "min_comments": max(MIN_SUMMARY_COMMENTS, data.k),
        "summaries": view.summaries(topic_order),
        "themes": view.themes(),
        "drivers": view.drivers(),
        "attention": view.attention(),
        "pending": insight.pending,
    }
