"""The audit log page and its CSV, for HR admins."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..forms import AuditLogFilterForm
from ..permissions import ensure_hr_admin
from ._common import AUDIT_PAGE_SIZE


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
