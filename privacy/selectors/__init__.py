"""Reads for privacy pages, by entity (as the views are): the bias audit, the audit log, a
candidate's privacy panel."""

from .audit_log import audit_entries
from .bias_audit import (
    DEFAULT_INTERSECTIONS,
    MIN_GROUP_SIZE,
    AuditScope,
    bias_audit_report,
    bias_audit_rows,
    scope_applications,
)
from .candidates import (
    candidate_erasure,
    candidate_last_activity,
    candidate_privacy_summary,
    candidate_retention_date,
    candidate_search,
)

__all__ = [
    "DEFAULT_INTERSECTIONS",
    "MIN_GROUP_SIZE",
    "AuditScope",
    "audit_entries",
    "bias_audit_report",
    "bias_audit_rows",
    "candidate_erasure",
    "candidate_last_activity",
    "candidate_privacy_summary",
    "candidate_retention_date",
    "candidate_search",
    "scope_applications",
]
