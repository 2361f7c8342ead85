"""Running the bias audit: the HR admin rule, the report, and the audit entry, for every door
(the page, the CSV and the API)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from audit.services import audit_record

from .. import selectors
from ..bias import BiasReport
from ..permissions import ensure_can_run_bias_audit

if TYPE_CHECKING:
    from core.roles import AnyUser


def bias_audit_run(
    *, user: AnyUser, scope: selectors.AuditScope, fmt: str, options: dict[str, Any]
) -> BiasReport:
    """The report for `scope`, for an HR admin only; records that `user` viewed it as `fmt`."""
    ensure_can_run_bias_audit(user)
    report = selectors.bias_audit_report(scope, **options)
    audit_record(
        action="bias_audit.viewed",
        actor=user,
        target=scope.job,
        details={
            "format": fmt,
            "start": str(scope.start or ""),
            "end": str(scope.end or ""),
        },
    )
    return report
