"""The portal's talent search page: a plain-language query, its filters as chips, results."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from ..forms import SearchForm
from ..selectors.search import uses_full_text_search
from ..selectors.talent import (
    SearchFilters,
    TalentQuery,
    talent_candidates,
    talent_query,
    talent_relaxations,
    talent_search,
)
from ._common import portal_view

RESULTS_PER_PAGE = 20


def _url(query: TalentQuery, filters: SearchFilters) -> str:
    """This search with other filters: the text is kept and marked as read."""
    params = {"q": query.text, "read": query.text, **filters.params()}
    return "?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})


@portal_view
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "searched": False,
        "full_text": uses_full_text_search(),
    }
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = talent_query(
            text=data["q"],
            read=data["read"],
            skills=data["skills"],
            titles=data["titles"],
            location=data["location"],
            min_years=data["min_years"],
            max_years=data["max_years"],
        )
        if not query.is_empty:
            context.update(_results(request, query))
    return render(request, "recruiting/search.html", context, status=400 if form.errors else 200)


def _results(request: HttpRequest, query: TalentQuery) -> dict[str, Any]:
    results = talent_search(user=request.user, query=query)
    page = Paginator(results.ranked, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = {"q": query.text, "read": query.text, **query.filters.params()}
    relaxations = []
    if not results.count:
        relaxations = [
            (r, _url(query, r.filters)) for r in talent_relaxations(user=request.user, query=query)
        ]
    return {
        "searched": True,
        # The fields hold what is searched now: submitting again reads nothing twice.
        "form": SearchForm(initial=shown),
        "query": query,
        "results": results,
        "page": page,
        "candidates": talent_candidates(user=request.user, ids=list(page.object_list)),
        "chips": [(chip, _url(query, query.filters.without(chip))) for chip in query.chips()],
        "relaxations": relaxations,
        "filters": _url(query, query.filters)[1:],
        "skills_wanted": {s.lower() for s in query.filters.skills},
    }
