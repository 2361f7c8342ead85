"""Portal pages for uploading resumes and following their parsing live."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.errors import DomainError, NotAllowed
from core.http import HtmxHttpRequest

from .. import selectors, services
from ..errors import UploadRefused
from ..models import Job, UploadBatch
from ..permissions import ensure_can_manage_candidates
from ..selectors.uploads import (
    upload_batch_get,
    upload_item_rows,
    upload_items_for,
    upload_status,
    upload_summary,
)

NO_JOB = "Choose a job from the list."


def _batch_id(value: str | None) -> uuid.UUID:
    """The batch id the page was drawn with; a new one when it is missing or garbled."""
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return uuid.uuid4()


def _chosen_job(request: HttpRequest, job_id: str) -> Job | None:
    if not job_id:
        return None
    try:
        return selectors.job_get(user=request.user, pk=int(job_id))
    except ValueError as exc:
        raise UploadRefused(NO_JOB) from exc


@login_required
def upload_new(request: HttpRequest) -> HttpResponse:
    """The upload form. Without JavaScript it posts every file at once; upload.js sends them
    one by one to upload_file instead, into the same batch (the `batch` id drawn here)."""
    ensure_can_manage_candidates(request.user)
    open_jobs = selectors.job_list(user=request.user, status=Job.Status.OPEN)
    job_id = request.POST.get("job") or request.GET.get("job") or ""
    batch_id = _batch_id(request.POST.get("batch"))
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if not files:
            messages.error(request, "Choose at least one file to upload.")
        else:
            try:
                batch = services.upload_batch_open(
                    by=request.user,
                    batch_id=batch_id,
                    source=UploadBatch.Source.PORTAL,
                    job=_chosen_job(request, job_id),
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                for upload in files:
                    services.upload_receive_file(batch=batch, file=upload)
                return redirect("recruiting:upload_detail", pk=batch.pk)
    return render(
        request,
        "recruiting/upload_new.html",
        {"jobs": open_jobs, "job_id": str(job_id), "batch_id": batch_id},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def upload_file(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    """One file of the batch `pk`, sent by upload.js: the items it gave (a zip gives one per
    file in it), or {"error": message}. The same file sent twice gives the same items."""
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "Choose a file to upload."}, status=400)
    try:
        batch = services.upload_batch_open(
            by=request.user,
            batch_id=pk,
            source=UploadBatch.Source.PORTAL,
            job=_chosen_job(request, request.POST.get("job") or ""),
        )
        items = services.upload_receive_file(batch=batch, file=upload)
    except DomainError as exc:
        return JsonResponse({"error": exc.message}, status=getattr(exc, "http_status", 400))
    except NotAllowed as exc:
        return JsonResponse({"error": exc.message}, status=403)
    return JsonResponse(
        {
            "items": upload_item_rows(user=request.user, items=items),
            "status_url": reverse("recruiting:upload_status", args=[batch.pk]),
            "batch_url": reverse("recruiting:upload_detail", args=[batch.pk]),
        }
    )


@login_required
@require_GET
def upload_status_json(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    """The batch's items and their parse status, polled by upload.js."""
    batch = upload_batch_get(user=request.user, pk=pk)
    return JsonResponse(upload_status(user=request.user, batch=batch))


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
