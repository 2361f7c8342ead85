"""The job's pipeline board: a column per stage, moves by drag-and-drop or by a form.

A move is one POST to `application_move` whichever way it was made. Without JavaScript the
card's form posts and the page reloads; with it (htmx) the board alone is re-rendered from
the database, so after a refused move it shows what is really stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import DomainError

from . import blind, selectors, services
from .forms import MoveForm
from .models import Job
from .permissions import can_act_on_application, can_manage_jobs
from .pipeline import EXIT_STAGES, Stage, allowed_moves
from .views_jobs import portal_view


def _columns(request: HttpRequest, job: Job) -> list[dict[str, Any]]:
    applications = list(selectors.job_board_applications(user=request.user, job=job))
    for application in applications:
        application.job = job  # the same job on every card: no query per card
    # One role check for the whole board, as every card is on the same job.
    can_act = bool(applications) and can_act_on_application(request.user, applications[0])
    now = timezone.now()
    by_stage: dict[str, list[dict[str, Any]]] = {stage: [] for stage in Stage.values}
    for application in applications:
        fit = application.active_scores[0] if application.active_scores else None
        moves = sorted(allowed_moves(application.stage), key=Stage.values.index)
        by_stage[application.stage].append(
            {
                "application": application,
                "fit": fit,
                "score": None
                if fit is None
                else (fit.override_score if fit.override_score is not None else fit.score),
                "days": max(0, (now - application.stage_changed_at).days),
                "moves": [(m, Stage(m).label) for m in moves],
                "allowed": " ".join(moves),
                "can_act": can_act,
            }
        )
    return [
        {
            "stage": stage,
            "label": stage.label,
            "cards": by_stage[stage],
            "exit": stage in EXIT_STAGES,
        }
        for stage in Stage
    ]


def _board(
    request: HttpRequest,
    job: Job,
    *,
    failed: dict[str, Any] | None = None,
    error: str = "",
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "job": job,
        "columns": _columns(request, job),
        "exit_stages": " ".join(EXIT_STAGES),
        "can_manage": can_manage_jobs(request.user),
        "failed": failed or {},
        "board_error": error,
        "board_notice": notice,
    }
    template = "recruiting/_board.html" if request.htmx else "recruiting/job_detail.html"
    return render(request, template, context, status=status)


@portal_view
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job with its pipeline board."""
    job = selectors.job_get(user=request.user, pk=pk)
    return _board(request, job)


@portal_view
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
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
    done = f"{name} moved to {Stage(data['to_stage']).label}."
    if request.htmx:
        return _board(request, job, notice=done)
    messages.success(request, done)
    return redirect("recruiting:job_detail", pk=job.pk)
