"""A survey's results (HR admins only): the dashboard page, and its data as JSON and CSV,
anonymity-filtered by hr.analytics."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .. import analytics, selectors, services
from ..errors import UnknownExplanation
from ..models import Survey
from ..selectors import explanations as comment_explanations
from ..services import explanations as explanation_services


def _filters(request: HttpRequest) -> analytics.Filters:
    def number(name: str) -> int | None:
        raw = request.GET.get(name, "").strip()
        if not raw:
            return None
        if not raw.isdigit():
            raise analytics.InvalidFilter(f"'{name}' must be a department id, not '{raw}'.")
        return int(raw)

    raw_period = request.GET.get("period", "").strip()
    try:
        period = date.fromisoformat(raw_period) if raw_period else None
    except ValueError:
        raise analytics.InvalidFilter(
            f"'period' must be a date like 2026-03-01, not '{raw_period}'."
        ) from None
    grain = request.GET.get("grain", "month")
    if grain not in analytics.GRAINS:
        raise analytics.InvalidFilter("'grain' must be 'month' or 'week'.")
    return analytics.Filters(department=number("department"), period=period, grain=grain)


def _bad_filter(exc: Exception) -> JsonResponse:
    body = {"error": {"code": "invalid_filter", "message": str(exc), "fields": {}}}
    return JsonResponse(body, status=400)


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    try:
        filters = _filters(request)
        data = analytics.survey_dashboard(user=request.user, survey=survey, filters=filters)
    except analytics.InvalidFilter as exc:
        messages.error(request, str(exc))
        filters = analytics.Filters()
        data = analytics.survey_dashboard(user=request.user, survey=survey, filters=filters)
    if data["reasons_pending"]:
        services.survey_examples_explain_later(survey=survey, filters=filters)
    context = analytics.template_context(survey=survey, dashboard=data)
    context.update(_explained_comments(request, survey, filters, data))
    return render(request, "hr/survey_results.html", context)


def _explained_comments(
    request: HttpRequest,
    survey: Survey,
    filters: analytics.Filters,
    data: analytics.SurveyDashboard,
) -> dict[str, object]:
    """The example comments' explanation method (`?explain=`), asked for when not ready."""
    try:
        method = comment_explanations.comment_method(request.GET.get("explain", ""))
    except UnknownExplanation as exc:
        messages.error(request, exc.message)
        method = comment_explanations.comment_method("")
    explained = comment_explanations.example_comments_explained(data["comments"], method=method)
    if explained["pending"] and method.on_request:
        explanation_services.survey_examples_explain_method_later(
            survey=survey, filters=filters, method=method.key
        )
    query = request.GET.copy()
    query.pop("explain", None)
    return {"explained": explained, "explain_query": query.urlencode()}


def _dashboard(
    request: HttpRequest, pk: int
) -> tuple[Survey, analytics.SurveyDashboard] | HttpResponse:
    """The survey and its (anonymity-filtered) aggregates, or a 400 for a bad filter."""
    survey = selectors.survey_get(user=request.user, pk=pk)
    try:
        filters = _filters(request)
        return survey, analytics.survey_dashboard(user=request.user, survey=survey, filters=filters)
    except analytics.InvalidFilter as exc:
        return _bad_filter(exc)


@login_required
def survey_results_json(request: HttpRequest, pk: int) -> HttpResponse:
    result = _dashboard(request, pk)
    if isinstance(result, HttpResponse):
        return result
    return JsonResponse(analytics.as_json(result[1]))


@login_required
def survey_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    result = _dashboard(request, pk)
    if isinstance(result, HttpResponse):
        return result
    survey, data = result
    response = HttpResponse(analytics.dashboard_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    return response
