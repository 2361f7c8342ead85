"""The job's pipeline board: a column per stage, moves by drag-and-drop or by a form.

A move is one POST to `application_move` whichever way it was made. Without JavaScript the
card's form posts and the page reloads; with it (htmx) the board alone is re-rendered from
the database, so after a refused move it shows what is really stored.

A column draws at most `CARDS_PER_COLUMN` cards, those longest in the stage first (the ones
waiting for someone), with the column's full count and a "Show all" link
(`?column=<stage>&all=1`) that draws that one column whole.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.http import HtmxHttpRequest

from .. import blind, selectors, services
from ..forms import MoveForm
from ..models import Job
from ..permissions import can_act_on_application, can_manage_jobs
from ..pipeline import EXIT_STAGES, Pipeline
from ._common import portal_view

# Cards drawn per column; a column holding more says how many and links to all of them.
CARDS_PER_COLUMN = 50


def expanded_column(request: HtmxHttpRequest, pipeline: Pipeline) -> str | None:
    """The column shown whole (`?column=<stage>&all=1`), if any.

    Read from the page's own query; for an htmx move, from the page the board is on (htmx's
    `HX-Current-URL`), so a move keeps the column open; for a form posted without
    JavaScript, from the form's hidden `column` field.
    """
    query: QueryDict = request.GET
    if request.method == "POST":
        if request.htmx and request.htmx.current_url:
            query = QueryDict(urlsplit(request.htmx.current_url).query)
        else:
            query = QueryDict(mutable=True)
            query.update({"column": request.POST.get("column", ""), "all": "1"})
    stage = query.get("column", "")
    return stage if query.get("all") == "1" and stage in pipeline.columns else None


def _columns(
    request: HttpRequest,
    job: Job,
    pipeline: Pipeline,
    expanded: str | None,
    failed: dict[str, Any],
) -> list[dict[str, Any]]:
    """The job's stages as columns (its own stages included), then Hired, Rejected and
    Withdrawn."""
    applications = selectors.job_board_applications(
        user=request.user, job=job, per_column=CARDS_PER_COLUMN, expanded=expanded
    )
    for application in applications:
        application.job = job  # the same job on every card: no query per card
    # One role check for the whole board, as every card is on the same job.
    can_act = bool(applications) and can_act_on_application(request.user, applications[0])
    now = timezone.now()
    # The moves out of a stage are the same for every card in it.
    stages = pipeline.columns
    moves_from = {stage: pipeline.moves_in_order(stage) for stage in stages}
    by_stage: dict[str, list[dict[str, Any]]] = {stage: [] for stage in stages}
    totals = dict.fromkeys(stages, 0)
    for application in applications:
        scores = application.active_scores  # type: ignore[attr-defined]  # prefetched
        fit = scores[0] if scores else None
        if application.stage not in by_stage:  # a stage the job no longer has: not drawn
            continue
        moves = moves_from[application.stage]
        days = max(0, (now - application.stage_changed_at).days)
        totals[application.stage] = application.column_total  # type: ignore[attr-defined]
        by_stage[application.stage].append(
            {
                "application": application,
                # As text: a number in a template goes through localisation, per use.
                "id": str(application.pk),
                "move_url": reverse("recruiting:application_move", args=[application.pk]),
                # Interviews, e-mail and rejecting with a standard reason (and its e-mail).
                "interviews_url": reverse(
                    "recruiting:application_interviews", args=[application.pk]
                ),
                "candidate_url": reverse(
                    "recruiting:candidate_detail", args=[application.candidate_id]
                ),
                "score": None if fit is None else fit.effective_score,
                "days": str(days),
                "days_plural": days != 1,
                "moves": [(m, pipeline.label(m)) for m in moves],
                "allowed": " ".join(moves),
                # Out of the pipeline, or back to an earlier stage: the board asks why.
                "reason_stages": " ".join(
                    m for m in moves if pipeline.needs_reason(application.stage, m)
                ),
                "can_act": can_act and bool(moves),
                # What was typed on this card's refused form, shown again.
                "failed": failed if failed.get("application_id") == application.pk else None,
            }
        )
    base = reverse("recruiting:job_detail", args=[job.pk])
    return [
        {
            "stage": stage,
            "label": pipeline.label(stage),
            "cards": by_stage[stage],
            "total": totals[stage],
            "hidden": totals[stage] - len(by_stage[stage]),
            "expanded": stage == expanded and totals[stage] > CARDS_PER_COLUMN,
            "all_url": f"{base}?{urlencode({'column': stage, 'all': 1})}#col-{stage}",
            "fewer_url": f"{base}#col-{stage}",
            "exit": stage in EXIT_STAGES,
        }
        for stage in stages
    ]


def _board(
    request: HtmxHttpRequest,
    job: Job,
    *,
    failed: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    pipeline = selectors.job_pipeline(job=job)
    expanded = expanded_column(request, pipeline)
    context = {
        "job": job,
        "columns": _columns(request, job, pipeline, expanded, failed or {}),
        "expanded": expanded or "",
        "per_column": CARDS_PER_COLUMN,
        "can_manage": can_manage_jobs(request.user),
        "failed": failed or {},
        "board_error": error,
        "board_notice": notice,
    }
    template = "recruiting/_board.html" if request.htmx else "recruiting/job_detail.html"
    return render(request, template, context, status=status)


@portal_view
def job_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The job with its pipeline board."""
    job = selectors.job_get(user=request.user, pk=pk)
    return _board(request, job)


@portal_view
@require_POST
def application_move(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    job = application.job
    form = MoveForm(request.POST)
    # As the user saw it on the card: masked while blind screening hides the identity.
    name = blind.display_name(request.user, application.candidate)
    typed = {
        "application_id": application.pk,
        "to_stage": request.POST.get("to_stage", ""),
        "reason": request.POST.get("reason", ""),
        "note": request.POST.get("note", ""),
    }
    try:
        if not form.is_valid():
            raise DomainError("Choose a stage from the list to move to.", field="to_stage")
        data = form.cleaned_data
        services.application_move(
            application=application,
            to_stage=data["to_stage"],
            by=request.user,
            reason=data["reason"],
            note=data["note"],
        )
    except DomainError as exc:
        # Shown on the page with what was typed; the board is re-read, so it stays true.
        message = f"{name} was not moved: {exc.message}"
        if request.htmx:
            return _board(request, job, failed=typed, error=message, status=422)
        messages.error(request, message)
        return _board(request, job, failed=typed, status=400)
    pipeline = selectors.job_pipeline(job=job)
    done = f"{name} moved to {pipeline.label(data['to_stage'])}."
    if request.htmx:
        return _board(request, job, notice=done)
    messages.success(request, done)
    expanded = expanded_column(request, pipeline)
    if expanded:
        query = urlencode({"column": expanded, "all": 1})
        return redirect(f"{reverse('recruiting:job_detail', args=[job.pk])}?{query}")
    return redirect("recruiting:job_detail", pk=job.pk)
