"""Portal pages for jobs: the filtered list, create and edit forms, publish/close/reopen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.errors import DomainError, show_form_error
from hr.models import Department

from .. import selectors, services
from ..forms import JobForm
from ..models import Job
from ..permissions import can_manage_jobs, ensure_can_manage_jobs
from ..pipeline import OPEN_STAGES
from ..selectors.jobs import jobs_filtered, with_stage_counts
from ._common import portal_view

JOBS_PER_PAGE = 25


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@portal_view
def job_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in (None, *Job.Status.values):
        status = None
    owner = request.GET.get("owner", "")
    owner_id = request.user.pk if owner == "mine" else _int_or_none(owner)
    department_id = _int_or_none(request.GET.get("department"))
    text = request.GET.get("q", "").strip()
    jobs = jobs_filtered(
        user=request.user,
        status=status,
        department_id=department_id,
        owner_id=owner_id,
        text=text,
    )
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    # Applications per stage, counted for this page's jobs only.
    page.object_list = with_stage_counts(page.object_list)
    # The page links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    owners = (
        get_user_model()
        .objects.filter(owned_jobs__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    context = {
        "page": page,
        "jobs": page.object_list,
        "status": status,
        "statuses": Job.Status.choices,
        "departments": Department.objects.order_by("name"),
        "department_id": department_id,
        "owners": owners,
        "owner": owner,
        "q": text,
        "filters": query.urlencode(),
        "filtered": bool(status or department_id or owner or text),
        "stages": OPEN_STAGES,
        "can_manage": can_manage_jobs(request.user),
    }
    return render(request, "recruiting/job_list.html", context)


@portal_view
def job_create(request: HttpRequest) -> HttpResponse:
    ensure_can_manage_jobs(request.user)
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, f"'{job}' was created as a draft.")
            return redirect("recruiting:job_detail", pk=job.pk)
    return render(
        request,
        "recruiting/job_form.html",
        {"form": form, "job": None},
        status=400 if form.errors else 200,
    )


@portal_view
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    ensure_can_manage_jobs(request.user)
    if request.method == "POST":
        form = JobForm(request.POST)
    else:
        form = JobForm(initial=JobForm.initial_for(job))
    if request.method == "POST" and form.is_valid():
        try:
            services.job_update(job=job, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, f"'{job}' was saved.")
            return redirect("recruiting:job_detail", pk=job.pk)
    return render(
        request,
        "recruiting/job_form.html",
        {"form": form, "job": job},
        status=400 if form.errors else 200,
    )


_STATUS_ACTIONS = {
    "publish": (services.job_publish, "published"),
    "close": (services.job_close, "closed"),
    "reopen": (services.job_reopen, "reopened"),
}


@portal_view
@require_POST
def job_set_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk)
    service, done = _STATUS_ACTIONS[action]
    try:
        service(job=job, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"'{job}' was {done}.")
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("recruiting:job_detail", pk=pk)
