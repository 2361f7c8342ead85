"""Renderers of the one dashboard result (hr.analytics.results.SurveyDashboard): the page's
template context, the JSON body of the page's chart endpoint and of the API, and the CSV.
None of them recomputes a figure or applies a rule: what the rule hides is already gone."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..models import Survey
from .results import GroupFigures, SurveyDashboard


def template_context(*, survey: Survey, dashboard: SurveyDashboard) -> dict[str, Any]:
    """The context of templates/hr/survey_results.html."""
    return {"survey": survey, "data": dashboard}


def as_json(dashboard: SurveyDashboard) -> dict[str, Any]:
    """The JSON body (hr-dashboard.js and `GET /api/v1/hr/surveys/{id}/analytics/`): the
    result as it is, since every date in it is already an ISO string."""
    return dict(dashboard)


# --- CSV -----------------------------------------------------------------------------------

CSV_HEADER = ["section", "question", "group", "period", "metric", "value"]
SUPPRESSED = "suppressed"
GROUP_METRICS = ("responses", "invited", "response_rate", "enps", "net_sentiment")
QUESTION_METRICS = (
    "score",
    "promoters_pct",
    "passives_pct",
    "detractors_pct",
    "mean",
    "favourable_pct",
    "net",
)


def dashboard_csv(dashboard: SurveyDashboard) -> str:
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
    rows: list[list[Any]] = []
    rows += _group_rows("overview", scope, period, dashboard["overview"])
    rows += _question_rows(dashboard, scope, period)
    for part in dashboard["breakdown"]:
        rows += _group_rows("department", part["name"], period, part)
    for point in dashboard["trend"]["overall"]:
        rows += _group_rows("trend", scope, point["period"], point)
    rows += _trend_by_department_rows(dashboard)
    for topic in dashboard["topics"]:
        for name in ("people", "mentions", "net_sentiment"):
            rows.append(["topic", topic["label"], scope, period, name, _cell(topic[name])])
    rows += _insight_rows(dashboard, scope, period)
    writer.writerows(rows)
    return out.getvalue()


def _group_rows(section: str, group: str, when: str, figures: GroupFigures) -> list[list[Any]]:
    if figures.get("suppressed"):
        return [[section, "", group, when, SUPPRESSED, ""]]
    return [
        [section, "", group, when, metric, _cell(figures[metric])]  # type: ignore[literal-required]
        for metric in GROUP_METRICS
        if metric in figures
    ]


def _question_rows(dashboard: SurveyDashboard, scope: str, period: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for q in dashboard["questions"]:
        if q["suppressed"]:
            rows.append(["question", q["text"], scope, period, SUPPRESSED, ""])
            continue
        figures: dict[str, Any] = dict(q.get("sentiment", q))
        rows.append(["question", q["text"], scope, period, "n", figures["n"]])
        for value, n in figures["distribution"].items():
            rows.append(["question", q["text"], scope, period, f"count:{value}", n])
        for metric in QUESTION_METRICS:
            if metric in figures:
                rows.append(["question", q["text"], scope, period, metric, _cell(figures[metric])])
    return rows


def _trend_by_department_rows(dashboard: SurveyDashboard) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for series in dashboard["trend"]["by_department"]:
        for point in series["values"]:
            if point["suppressed"]:
                rows.append(
                    ["trend_by_department", "", series["name"], point["period"], SUPPRESSED, ""]
                )
            else:
                rows.append(
                    [
                        "trend_by_department",
                        "",
                        series["name"],
                        point["period"],
                        "net_sentiment",
                        _cell(point["net"]),
                    ]
                )
    return rows


def _insight_rows(dashboard: SurveyDashboard, scope: str, period: str) -> list[list[Any]]:
    """Emerging themes and eNPS drivers (figures only: quotes and flags stay on the page)."""
    rows: list[list[Any]] = []
    insights = dashboard["insights"]
    for theme in insights["themes"]:
        for name in ("people", "mentions", "net_sentiment"):
            rows.append(["theme", theme["name"], scope, period, name, _cell(theme[name])])
    for driver in insights["drivers"]["items"]:
        for value in ("rho", "low", "high"):
            figure = driver[value]
            rows.append(["driver", driver["text"], scope, period, f"enps_{value}", figure])
    return rows


def _cell(value: Any) -> Any:
    return "" if value is None else value
