"""Fit pages: a job's applicants ranked by fit (with the talent pool and internal
candidates), and asking for a score's detailed explanation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import RankingFilterForm
from ..services.explanations import UnknownExplanation, fit_score_request_method
from ._common import portal_view

APPLICANTS_PER_PAGE = 50


@portal_view
def job_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    filters = RankingFilterForm(request.GET or None, stages=selectors.job_stage_choices(job=job))
    chosen = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    applicants = selectors.ranked_applicants(
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
        "pool": selectors.talent_pool_matches(user=request.user, job=job),
        "internal": selectors.internal_candidates(user=request.user, job=job),
    }
    return render(request, "recruiting/job_ranking.html", context)


@login_required
@require_POST
def fit_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the slower integrated-gradients explanation of one score (computed in a task)."""
    fit = selectors.fit_score_get(user=request.user, pk=pk)
    services.fit_score_request_explanation(fit_score=fit)
    messages.info(
        request, "The detailed explanation is being computed; it appears here when ready."
    )
    return redirect("recruiting:candidate_detail", pk=fit.application.candidate_id)


@login_required
@require_POST
def fit_explain_method(request: HttpRequest, pk: int, method: str) -> HttpResponse:
    """Ask for one on-request explanation of a score (SHAP, integrated gradients, attention)."""
    fit = selectors.fit_score_get(user=request.user, pk=pk)
    try:
        queued = fit_score_request_method(fit_score=fit, method=method)
    except UnknownExplanation as exc:
        raise Http404(exc.message) from exc
    if queued:
        messages.info(request, "The explanation is being computed; it appears here when ready.")
    return redirect(
        f"{reverse('recruiting:candidate_detail', args=[fit.application.candidate_id])}"
        f"#fit-{fit.pk}"
    )
