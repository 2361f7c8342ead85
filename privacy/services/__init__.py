"""Privacy writes: self-identification, candidate export and erasure, retention."""

from .bias_audit import bias_audit_run
from .retention import (
    RetentionItem,
    candidates_past_retention,
    retention_apply,
    retention_plan,
)
from .rights import (
    candidate_anonymise,
    candidate_anonymise_early,
    candidate_erase,
    candidate_export,
)
from .selfid import (
    self_id_invitation_check,
    self_id_invitation_issue,
    self_identification_submit,
)

__all__ = [
    "RetentionItem",
    "bias_audit_run",
    "candidate_anonymise",
    "candidate_anonymise_early",
    "candidate_erase",
    "candidate_export",
    "candidates_past_retention",
    "retention_apply",
    "retention_plan",
    "self_id_invitation_check",
    "self_id_invitation_issue",
    "self_identification_submit",
]
