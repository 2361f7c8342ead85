"""The recruiting analytics page and its CSV: filters in, `selectors.analytics` figures out."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.errors import show_form_error

from ..selectors import analytics
from ._common import portal_view


class AnalyticsFilterForm(forms.Form):
    job = forms.IntegerField(required=False, min_value=1, widget=forms.Select)
    since = forms.DateField(
        required=False, label="Applied from", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="Applied until", widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(required=False, max_length=100)


def _filters(
    request: HttpRequest,
) -> tuple[AnalyticsFilterForm, analytics.AnalyticsFilters | None]:
    """The filters from the query string; None (and the form's errors) when they are wrong.
    A job the user may not see is a 404, as everywhere."""
    form = AnalyticsFilterForm(request.GET)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    job = analytics.analytics_job(user=request.user, pk=data["job"]) if data["job"] else None
    try:
        filters = analytics.analytics_filters(
            job=job, since=data["since"], until=data["until"], source=data["source"]
        )
    except analytics.InvalidAnalyticsFilter as exc:
        show_form_error(form, exc)
        return form, None
    return form, filters


@portal_view
def recruiting_analytics(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    result = (
        analytics.recruiting_analytics(user=request.user, filters=filters)
        if filters is not None
        else None
    )
    context: dict[str, Any] = {
        "form": form,
        "data": result,
        "job_choices": [
            (str(pk), title) for pk, title in analytics.analytics_job_choices(user=request.user)
        ],
        "source_choices": analytics.analytics_sources(user=request.user),
        "query": request.GET.urlencode(),
    }
    return render(
        request, "recruiting/analytics.html", context, status=200 if result is not None else 400
    )


@portal_view
def recruiting_analytics_csv(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    if filters is None:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    result = analytics.recruiting_analytics(user=request.user, filters=filters)
    response = HttpResponse(analytics_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recruiting-analytics.csv"'
    return response


CSV_HEADER = ["section", "item", "metric", "value"]


def analytics_csv(result: analytics.RecruitingAnalytics) -> str:
    """One row per figure: section (filters, overall, stage, offers, source, rejection_reason,
    job), the item it is about, the metric's name as in the API, and its value ('' for none)."""
    rows: list[list[Any]] = [["filters", "", k, v] for k, v in result["filters"].items()]
    for key in ("applications", "hires", "rejected", "withdrawn"):
        rows.append(["overall", "", key, result[key]])
    rows += [["time_to_hire", "", k, v] for k, v in result["time_to_hire"].items()]
    rows += [["offers", "", k, v] for k, v in result["offers"].items()]
    for stage in result["stages"]:
        rows += [["stage", stage["stage"], k, v] for k, v in stage.items() if k != "stage"]
    for source in result["sources"]:
        rows += [["source", source["source"], k, v] for k, v in source.items() if k != "source"]
    for reason in result["rejection_reasons"]:
        item = reason["code"] or "none"
        rows += [["rejection_reason", item, k, v] for k, v in reason.items() if k != "code"]
    for job in result["jobs"]:
        rows += [["job", job["job"], k, v] for k, v in job.items() if k != "job"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows([[_cell(value) for value in row] for row in rows])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    # A typed text (a job title, a source) must not run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
