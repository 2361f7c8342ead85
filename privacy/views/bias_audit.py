"""The bias audit page and its CSV, for HR admins."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import services
from ..bias import STATUS_LABELS, report_csv_rows
from ..bias_audit import bias_audit_params
from ..permissions import ensure_can_run_bias_audit


@login_required
@require_GET
def bias_audit(request: HttpRequest) -> HttpResponse:
    form, scope, options = bias_audit_params(request.GET)
    report = None
    if form.errors:
        ensure_can_run_bias_audit(request.user)  # the form lists jobs: HR admins only
    else:
        report = services.bias_audit_run(
            user=request.user, scope=scope, fmt="page", options=options
        )
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
    form, scope, options = bias_audit_params(request.GET)
    if form.errors:
        ensure_can_run_bias_audit(request.user)
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    report = services.bias_audit_run(user=request.user, scope=scope, fmt="csv", options=options)
    response = HttpResponse(content_type="text/csv")
    name = f"bias-audit-job-{scope.job.pk}" if scope.job else "bias-audit-all-jobs"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerows(report_csv_rows(report))
    return response
