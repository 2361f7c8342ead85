"""Privacy writes: self-identification, candidate export and erasure, retention."""

from .retention import (
    RetentionItem,
    candidates_past_retention,
    retention_apply,
    retention_plan,
)
from .rights import candidate_anonymise, candidate_erase, candidate_export
from .selfid import (
    self_id_invitation_check,
    self_id_invitation_issue,
    self_identification_submit,
)

__all__ = [
    "RetentionItem",
    "candidate_anonymise",
    "candidate_erase",
    "candidate_export",
    "candidates_past_retention",
    "retention_apply",
    "retention_plan",
    "self_id_invitation_check",
    "self_id_invitation_issue",
    "self_identification_submit",
]
