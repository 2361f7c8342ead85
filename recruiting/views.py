"""Recruiter portal pages: thin, they call selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError

from . import selectors, selectors_fit, services
from .models import Job
from .permissions import can_act_on_application, can_manage_jobs
from .pipeline import OPEN_STAGES, Stage, allowed_moves


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in (None, *Job.Status.values):
        status = None
    jobs = selectors.job_list(user=request.user, status=status)
    return render(
        request,
        "recruiting/job_list.html",
        {"jobs": jobs, "status": status, "statuses": Job.Status.choices, "stages": OPEN_STAGES},
    )


def _job_page(request: HttpRequest, pk: int, *, failed: dict | None = None) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    applications = list(selectors.job_applications(user=request.user, job=job))
    columns = []
    for stage in Stage:
        cards = [
            {
                "application": a,
                "moves": sorted(allowed_moves(a.stage)),
                "can_act": can_act_on_application(request.user, a),
            }
            for a in applications
            if a.stage == stage
        ]
        columns.append({"stage": stage, "cards": cards})
    return render(
        request,
        "recruiting/job_detail.html",
        {
            "job": job,
            "columns": columns,
            "can_manage": can_manage_jobs(request.user),
            "failed": failed or {},
        },
        status=400 if failed else 200,
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_page(request, pk)


@login_required
@require_POST
def job_set_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    action_service = {
        "publish": services.job_publish,
        "close": services.job_close,
        "reopen": services.job_reopen,
    }[action]
    try:
        action_service(job=job, by=request.user)
        messages.success(request, f"'{job}' is now {job.__class__.objects.get(pk=pk).status}.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("recruiting:job_detail", pk=pk)


@login_required
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    to_stage = request.POST.get("to_stage", "")
    reason = request.POST.get("reason", "")
    note = request.POST.get("note", "")
    try:
        services.application_move(
            application=application, to_stage=to_stage, by=request.user, reason=reason, note=note
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        # Re-render with what was typed so nothing is lost.
        failed = {
            "application_id": application.pk,
            "to_stage": to_stage,
            "reason": reason,
            "note": note,
        }
        return _job_page(request, application.job_id, failed=failed)
    messages.success(request, f"{application.candidate} moved to {Stage(to_stage).label}.")
    return redirect("recruiting:job_detail", pk=application.job_id)


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    context = {
        "candidate": candidate,
        "fits": selectors.candidate_fit_scores(user=request.user, candidate=candidate),
        "other_jobs": selectors_fit.jobs_for_candidate(user=request.user, candidate=candidate),
    }
    return render(request, "recruiting/candidate_detail.html", context)


@login_required
def resume_download(request: HttpRequest, pk: int) -> FileResponse:
    resume = selectors.resume_get(user=request.user, pk=pk)
    return FileResponse(
        resume.file.open("rb"),
        as_attachment=True,
        filename=resume.original_name,
        content_type=resume.content_type or "application/octet-stream",
    )


@login_required
def job_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    context = {
        "job": job,
        "applicants": selectors_fit.ranked_applicants(user=request.user, job=job),
        "pool": selectors_fit.talent_pool_matches(user=request.user, job=job),
        "internal": selectors_fit.internal_candidates(user=request.user, job=job),
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
