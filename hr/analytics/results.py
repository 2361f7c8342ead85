"""The survey dashboard's results: one typed contract for the page, its JSON, the API and the CSV.

Built once by hr.analytics.dashboard; the renderers (hr.analytics.render) and the OpenAPI
schema of `GET /api/v1/hr/surveys/{id}/analytics/` read these types. A group the anonymity
rule hides carries `suppressed: true` and none of the optional figures: no count at all.
Dates are ISO strings (`YYYY-MM-DD`), so the dictionary is already JSON.
"""

# No `from __future__ import annotations`: TypedDict reads NotRequired from real annotations.
from typing import NotRequired, TypedDict


class SurveyInfo(TypedDict):
    id: int
    title: str
    status: str
    min_group_size: int


class FiltersApplied(TypedDict):
    department: int | None
    period: str | None
    grain: str


class DepartmentOption(TypedDict):
    id: int
    name: str
    depth: int


class GroupFigures(TypedDict):
    """A group's headline figures; `invited` and `response_rate` only for the whole survey."""

    suppressed: bool
    responses: NotRequired[int]
    invited: NotRequired[int]
    response_rate: NotRequired[float | None]
    enps: NotRequired[int | None]
    net_sentiment: NotRequired[int | None]


class BreakdownRow(GroupFigures):
    unit: str  # a department id, "=<id>" for its direct members, "root" or "none"
    name: str


class TrendPoint(GroupFigures):
    period: str


class EnpsFigures(TypedDict):
    n: int
    distribution: dict[str, int]
    promoters: int
    passives: int
    detractors: int
    promoters_pct: float
    passives_pct: float
    detractors_pct: float
    score: int | None


class LikertFigures(TypedDict):
    n: int
    distribution: dict[str, int]
    mean: float | None
    favourable_pct: float


class ChoiceFigures(TypedDict):
    n: int
    distribution: dict[str, int]


class SentimentFigures(TypedDict):
    n: int
    distribution: dict[str, int]
    net: int | None  # % positive minus % negative, -100..100


class QuestionFigures(TypedDict):
    """One question's figures, by its kind: eNPS, Likert (1-5), single choice or free text
    (`sentiment`). A hidden question has only its id, text, kind and `suppressed`."""

    id: int
    text: str
    kind: str
    suppressed: bool
    n: NotRequired[int]
    distribution: NotRequired[dict[str, int]]
    promoters: NotRequired[int]
    passives: NotRequired[int]
    detractors: NotRequired[int]
    promoters_pct: NotRequired[float]
    passives_pct: NotRequired[float]
    detractors_pct: NotRequired[float]
    score: NotRequired[int | None]
    mean: NotRequired[float | None]
    favourable_pct: NotRequired[float]
    sentiment: NotRequired[SentimentFigures]


class SentimentSection(TypedDict, total=False):
    """The comments' sentiment: `{"suppressed": true}` when hidden, else the figures."""

    suppressed: bool
    n: int
    distribution: dict[str, int]
    net: int | None


class SentimentPoint(SentimentSection):
    period: str


class TrendSeries(TypedDict):
    unit: str
    name: str
    values: list[SentimentPoint]


class Trend(TypedDict):
    grain: str
    periods: list[str]
    name: str
    overall: list[TrendPoint]
    by_department: list[TrendSeries]
    hidden_series: list[str]  # in words, for the chart: series with no point to draw
    partly_hidden_series: list[str]  # series with gaps


class TopicFigures(TypedDict):
    topic: str
    label: str
    people: int
    mentions: int
    net_sentiment: int | None
    distribution: dict[str, int]


class Comment(TypedDict):
    question: str
    text: str
    label: str
    confidence: float
    # [[word, weight or null], ...]; null: not worked out yet (only quoted comments are).
    attributions: list[list[str | float | None]] | None
    # The methods computed on request ("shap", "attention") that are ready: {method: pairs}.
    explanations: dict[str, list[list[str | float | None]]]
    topics: list[str]


class Quote(TypedDict):
    text: str
    label: str  # its sentiment


class CommentSummary(TypedDict):
    """The most representative comments of one question or topic (extractive summary)."""

    kind: str  # "question" or "topic"
    key: str  # the question's id or the topic's key
    name: str
    quotes: list[Quote]


class ThemeFigures(TypedDict):
    """An emerging theme: comments that cluster together beyond the fixed topics."""

    name: str
    phrases: list[str]
    nearest_topic: str | None  # the fixed topic a minority of its comments share, if any
    people: int
    mentions: int
    net_sentiment: int | None
    distribution: dict[str, int]


class DriverFigures(TypedDict):
    """How one agreement (1-5) question moves with eNPS: Spearman's rho, 95% interval."""

    question: int
    text: str
    rho: float
    low: float
    high: float


class Drivers(TypedDict):
    shown: bool
    note: str  # why none is shown, or what the figures are
    items: list[DriverFigures]


class AttentionComment(TypedDict):
    text: str
    question: str
    categories: list[str]  # labels, e.g. "Harassment or bullying"


class AttentionSection(TypedDict):
    """Comments HR should read, company-wide and for the whole survey only."""

    shown: bool
    note: str
    comments: list[AttentionComment]
    # Categories also raised by comments from groups too small to quote: named, never counted.
    unquoted_categories: list[str]


class CommentInsights(TypedDict):
    """Summaries, themes, drivers and flags, with the anonymity rule applied."""

    available: bool  # false: the group shown is hidden, or the survey is open
    min_comments: int  # a summary needs this many quotable comments
    summaries: list[CommentSummary]
    themes: list[ThemeFigures]
    drivers: Drivers
    attention: AttentionSection
    pending: bool  # some comments are not analysed for insights yet


class SurveyDashboard(TypedDict):
    """Every aggregate of one survey for HR, with the anonymity rule applied."""

    survey: SurveyInfo
    results_available: bool  # false while the survey is open: participation only
    filters: FiltersApplied
    departments: list[DepartmentOption]
    periods: list[str]
    suppressed: bool  # the group and period shown are hidden
    overview: GroupFigures
    questions: list[QuestionFigures]
    sentiment: SentimentSection
    breakdown: list[BreakdownRow]
    trend: Trend
    topics: list[TopicFigures]
    comments: list[Comment]
    reasons_pending: bool  # a quoted comment's reasons are still being worked out
    insights: CommentInsights
