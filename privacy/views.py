"""Privacy pages: bias audit, audit log, candidate privacy panel, the self-ID form.

Thin: selectors and services do the work. Everything here is for HR admins, except the
candidate's own self-ID form (no login, a one-time link) and the invitation page recruiters
use to send that link (they never see answers).
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.services import audit_record
from core.errors import DomainError
from recruiting.models import Candidate

from . import selectors, services
from .bias import STATUS_LABELS, report_csv_rows
from .forms import AuditLogFilterForm, BiasAuditFilterForm, EraseForm, SelfIdForm
from .models import CATEGORIES, SelfIdentification
from .permissions import ensure_can_invite, ensure_hr_admin

AUDIT_PAGE_SIZE = 50


# --- bias audit ------------------------------------------------------------------------


def bias_audit_params(data: Any) -> tuple[BiasAuditFilterForm, selectors.AuditScope, dict]:
    """The filters of the page, the CSV and the API: scope plus threshold and group size."""
    form = BiasAuditFilterForm(data or None)
    if data and not form.is_valid():
        return form, selectors.AuditScope(), {}
    values = form.cleaned_data if data else {}
    scope = selectors.AuditScope(
        job=values.get("job"), start=values.get("start"), end=values.get("end")
    )
    options = {}
    if values.get("threshold") is not None:
        options["threshold"] = values["threshold"]
    if values.get("min_group_size"):
        options["min_group_size"] = values["min_group_size"]
    return form, scope, options


def _audit_viewed(request: HttpRequest, scope: selectors.AuditScope, fmt: str) -> None:
    audit_record(
        action="bias_audit.viewed",
        actor=request.user,
        target=scope.job,
        details={
            "format": fmt,
            "start": str(scope.start or ""),
            "end": str(scope.end or ""),
        },
    )


@login_required
@require_GET
def bias_audit(request: HttpRequest) -> HttpResponse:
    ensure_hr_admin(request.user, "run the bias audit")
    form, scope, options = bias_audit_params(request.GET)
    report = None
    if not form.errors:
        report = selectors.bias_audit_report(scope, **options)
        _audit_viewed(request, scope, "page")
    return render(
        request,
        "privacy/bias_audit.html",
        {
            "form": form,
            "scope": scope,
            "report": report,
            "status_labels": STATUS_LABELS,
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def bias_audit_csv(request: HttpRequest) -> HttpResponse:
    ensure_hr_admin(request.user, "run the bias audit")
    form, scope, options = bias_audit_params(request.GET)
    if form.errors:
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    report = selectors.bias_audit_report(scope, **options)
    _audit_viewed(request, scope, "csv")
    response = HttpResponse(content_type="text/csv")
    name = f"bias-audit-job-{scope.job.pk}" if scope.job else "bias-audit-all-jobs"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerows(report_csv_rows(report))
    return response


# --- audit log -------------------------------------------------------------------------


def _audit_filters(request: HttpRequest) -> tuple[AuditLogFilterForm, dict]:
    form = AuditLogFilterForm(request.GET or None)
    if request.GET and form.is_valid():
        return form, {k: v for k, v in form.cleaned_data.items() if v}
    return form, {}


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    ensure_hr_admin(request.user, "read the audit log")
    form, filters = _audit_filters(request)
    entries = selectors.audit_entries(**filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_GET
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    ensure_hr_admin(request.user, "read the audit log")
    _, filters = _audit_filters(request)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    writer = csv.writer(response)
    columns = ["at", "actor_label", "action", "target_type", "target_id", "summary", "via", "ip"]
    writer.writerow([*columns, "api_key_id", "details"])
    for entry in selectors.audit_entries(**filters).iterator(chunk_size=1000):
        row = [getattr(entry, c) for c in columns]
        writer.writerow([*row, entry.api_key_id, entry.details])
    return response


# --- a candidate's privacy panel -------------------------------------------------------


def _panel(
    request: HttpRequest, candidate: Candidate, *, erase_form: EraseForm | None = None, status=200
) -> HttpResponse:
    return render(
        request,
        "privacy/candidate_privacy.html",
        {
            "candidate": candidate,
            "summary": selectors.candidate_privacy_summary(candidate),
            "erase_form": erase_form or EraseForm(),
        },
        status=status,
    )


@login_required
@require_GET
def candidate_lookup(request: HttpRequest) -> HttpResponse:
    """Find a candidate by name, e-mail or id, to open their privacy panel."""
    ensure_hr_admin(request.user, "open a candidate's privacy panel")
    q = request.GET.get("q", "").strip()
    candidates = selectors.candidate_search(q) if q else Candidate.objects.none()
    page = Paginator(candidates, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/candidate_lookup.html", {"q": q, "page": page})


@login_required
@require_GET
def candidate_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_hr_admin(request.user, "open a candidate's privacy panel")
    return _panel(request, get_object_or_404(Candidate, pk=pk))


@login_required
@require_POST
def candidate_export(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_hr_admin(request.user, "export candidate data")
    candidate = get_object_or_404(Candidate, pk=pk)
    archive = services.candidate_export(candidate=candidate, by=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="candidate-{pk}-{stamp}.zip"'
    return response


@login_required
@require_POST
def candidate_erase(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_hr_admin(request.user, "erase candidates")
    candidate = get_object_or_404(Candidate, pk=pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _panel(request, candidate, erase_form=form, status=400)
    try:
        services.candidate_erase(
            candidate=candidate, by=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:candidate_privacy", pk=pk)
    messages.success(request, f"Candidate #{pk} was erased. The audit log records it.")
    return redirect("privacy:candidate_privacy", pk=pk)


@login_required
@require_GET
def candidate_self_id(request: HttpRequest, pk: int) -> HttpResponse:
    """HR admins only: the candidate's answers (recruiters and hiring managers never)."""
    ensure_hr_admin(request.user, "see self-identification answers")
    candidate = get_object_or_404(Candidate, pk=pk)
    record = SelfIdentification.objects.filter(candidate=candidate).first()
    audit_record(action="self_id.viewed", actor=request.user, target=candidate)
    rows = []
    for name, choices in CATEGORIES.items():
        value = getattr(record, name, "") if record else ""
        rows.append((name.replace("_", " "), choices(value).label if value else "Not answered"))
    return render(
        request,
        "privacy/self_id_detail.html",
        {"candidate": candidate, "record": record, "rows": rows},
    )


# --- self-identification invitation (recruiters) and form (candidates) ----------------


@login_required
def self_id_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a candidate the link to the voluntary self-ID form. Shows the link, never answers."""
    ensure_can_invite(request.user)
    candidate = get_object_or_404(Candidate, pk=pk)
    issued = None
    if request.method == "POST":
        try:
            issued = services.self_id_invitation_issue(candidate=candidate, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("privacy:self_id_invite", pk=pk)
    return render(
        request, "privacy/self_id_invite.html", {"candidate": candidate, "issued": issued}
    )


@never_cache
def self_id_form(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.self_id_invitation_check(token=token)
    except DomainError as exc:
        return render(
            request, "privacy/self_id_unavailable.html", {"message": exc.message}, status=404
        )
    form = SelfIdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_identification_submit(token=token, answers=form.cleaned_data)
        except DomainError as exc:
            return render(
                request, "privacy/self_id_unavailable.html", {"message": exc.message}, status=404
            )
        return render(request, "privacy/self_id_thanks.html")
    return render(
        request, "privacy/self_id_form.html", {"form": form}, status=400 if form.errors else 200
    )
