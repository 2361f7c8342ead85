"""The job's stages page: recruiters add the job's own stages to the default template, rename,
reorder and remove them (the rules are `services.stages`')."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.errors import DomainError

from .. import selectors, services
from ..models import Job, JobStage
from ..permissions import ensure_can_manage_jobs
from ._common import portal_view


def _change(request: HttpRequest, job: Job) -> str:
    """Apply the posted change; the message to show once it is done."""
    action = request.POST.get("action", "")
    name = request.POST.get("name", "")
    if action == "add":
        before = request.POST.get("before", "")
        stage = services.job_stage_add(job=job, name=name, before=before, by=request.user)
        return f"“{stage.name}” added."
    stage = get_object_or_404(JobStage, job=job, pk=request.POST.get("stage") or 0)
    if action == "rename":
        stage = services.job_stage_rename(stage=stage, name=name, by=request.user)
        return f"Renamed to “{stage.name}”."
    if action in ("earlier", "later"):
        services.job_stage_move(stage=stage, later=action == "later", by=request.user)
        return f"“{stage.name}” moved {action}."
    if action == "remove":
        services.job_stage_remove(stage=stage, by=request.user)
        return f"“{stage.name}” removed."
    raise DomainError("Choose what to do with the stage.")


@portal_view
def job_stages(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    ensure_can_manage_jobs(request.user)
    failed: dict[str, Any] = {}
    if request.method == "POST":
        try:
            done = _change(request, job)
        except DomainError as exc:
            failed = {
                "message": exc.message,
                "action": request.POST.get("action", ""),
                "stage": request.POST.get("stage", ""),
                "name": request.POST.get("name", ""),
                "before": request.POST.get("before", ""),
            }
        else:
            messages.success(request, done)
            return redirect("recruiting:job_stages", pk=job.pk)
    stages = selectors.job_stages_with_counts(job=job)
    context = {
        "job": job,
        "stages": stages,
        "places": stages[1:],
        "failed": failed,
        "last": len(stages) - 1,
    }
    return render(request, "recruiting/job_stages.html", context, status=400 if failed else 200)
