"""Portal pages for uploading resumes and following their parsing live."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.errors import DomainError
from core.http import HtmxHttpRequest

from .. import selectors, services
from ..models import Job, UploadBatch
from ..permissions import ensure_can_manage_candidates
from ..selectors.uploads import upload_batch_get, upload_items_for, upload_summary


@login_required
def upload_new(request: HttpRequest) -> HttpResponse:
    ensure_can_manage_candidates(request.user)
    open_jobs = selectors.job_list(user=request.user, status=Job.Status.OPEN)
    job_id = request.POST.get("job") or request.GET.get("job") or ""
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, "Choose at least one file to upload.")
        else:
            try:
                job = selectors.job_get(user=request.user, pk=int(job_id)) if job_id else None
                batch = services.upload_batch_create(
                    by=request.user, source=UploadBatch.Source.PORTAL, job=job
                )
            except (DomainError, ValueError) as exc:
                messages.error(request, getattr(exc, "message", "Choose a job from the list."))
            else:
                for upload in files:
                    services.resume_ingest_file(batch=batch, file=upload)
                return redirect("recruiting:upload_detail", pk=batch.pk)
    return render(
        request,
        "recruiting/upload_new.html",
        {"jobs": open_jobs, "job_id": str(job_id)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def upload_detail(request: HtmxHttpRequest, pk: str) -> HttpResponse:
    batch = upload_batch_get(user=request.user, pk=pk)
    items = upload_items_for(user=request.user, batch=batch)
    context = {
        "batch": batch,
        "items": items,
        "summary": upload_summary(items),
        # One look-up of who blind screening hides, for the whole list.
        "candidates": [i.resume.candidate for i in items if i.resume and i.resume.candidate],
    }
    # htmx polls only the progress fragment.
    template = (
        "recruiting/_upload_progress.html" if request.htmx else "recruiting/upload_detail.html"
    )
    return render(request, template, context)
