"""What every door of the bias audit shares (the page, the CSV and the API): reading its
filters. Running it (the role, the report, the audit entry) is `services.bias_audit_run`."""

from __future__ import annotations

from typing import Any

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
