"""The portal's candidate search page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..forms import SearchForm
from ..selectors.search import candidate_search, search_help, uses_full_text_search
from ._common import portal_view

RESULTS_PER_PAGE = 20


@portal_view
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    page = None
    searched = False
    help_ = None
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"]
        skills = form.cleaned_data["skills"]
        if text or skills:
            searched = True
            results = candidate_search(user=request.user, text=text, skills=skills)
            page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
            if not page.paginator.count:
                help_ = search_help(user=request.user, text=text, skills=skills)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "searched": searched,
        "filters": query.urlencode(),
        "skills_wanted": {s.lower() for s in (form.cleaned_data.get("skills") or [])}
        if form.is_bound and form.is_valid()
        else set(),
        "full_text": uses_full_text_search(),
        "help": help_,
    }
    return render(request, "recruiting/search.html", context, status=400 if form.errors else 200)
