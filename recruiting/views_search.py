"""Portal pages that find things: candidate search and the filtered ranking of a job."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors, selectors_fit
from .forms import RankingFilterForm, SearchForm
from .selectors_search import candidate_search, search_help, uses_full_text_search
from .views_jobs import portal_view

RESULTS_PER_PAGE = 20
APPLICANTS_PER_PAGE = 50


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


@portal_view
def job_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    filters = RankingFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    applicants = selectors_fit.ranked_applicants(
        user=request.user,
        job=job,
        stage=chosen.get("stage") or None,
        min_score=chosen.get("min_score"),
        skill=(chosen.get("skill") or "").strip() or None,
        location=(chosen.get("location") or "").strip() or None,
    )
    # Ranked whole (cheap: light rows), drawn a page at a time.
    page = Paginator(applicants, APPLICANTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "job": job,
        "filters": filters,
        "filtered": any(value not in (None, "") for value in chosen.values()),
        "applicants": page.object_list,
        "page": page,
        "query": query.urlencode(),
        "pool": selectors_fit.talent_pool_matches(user=request.user, job=job),
        "internal": selectors_fit.internal_candidates(user=request.user, job=job),
    }
    return render(request, "recruiting/job_ranking.html", context)
