"""What every door of the bias audit shares (the page, the CSV and the API): reading its
filters, and recording that someone viewed it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from audit.services import audit_record

from . import selectors
from .forms import BiasAuditFilterForm


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


def audit_viewed(request: HttpRequest, scope: selectors.AuditScope, fmt: str) -> None:
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
