"""Recruiter portal pages: thin, they call selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import selectors, services


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
