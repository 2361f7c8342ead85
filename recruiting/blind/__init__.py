"""Blind screening: when a candidate's identity is hidden from a user, and what they see then.

The rule (one place; views, templates and template tags ask this package):

- It applies to people who screen: recruiters and hiring managers. HR admins who hold
  neither role see identities (they oversee hiring read-only, e.g. for bias audits).
- Identity is a property of (user, candidate), so the candidate page, the ranking rows and
  the board cards always agree. It is hidden when the candidate has at least one
  application the user can see, and *every* such application is still *blind*: its job has
  `blind_screening` on, it is at `applied` or `screening`, and nobody revealed it. One
  application the user can see in a job without blind screening, or past screening (an
  interview reveals who someone is anyway), shows the identity. A talent-pool candidate
  with no application is not hidden: no job asked for blind screening.
- An application is revealed by moving past screening (implicitly, logged when the
  `StageEvent` is written) or by a recruiter's explicit reveal with a reason. Both write an
  `identity.revealed` audit entry with the application id and the reason; the explicit ones
  are also what this module reads back, so no extra table is needed.
- Hidden means: "Candidate #<id>" for the name; e-mail, phone, location and links withheld;
  free text (headline, summary, experience descriptions, the resume's text) through
  `mlcore.masking.mask_text` plus the candidate's known name and contact details; the
  original file (photos, layout) is not served. Skills, job titles, employers and degrees
  stay: they are what screening is for.

The package: `rules` (the rule and what a hidden identity looks like, read by every door),
`services` (`identity_reveal`, the one write) and `signals` (the audit entry when a move
reveals). Callers import from `recruiting.blind`.
"""

from .rules import (
    BLIND_STAGES,
    CANDIDATE_TARGET,
    REVEAL_ACTION,
    REVEALING_STAGES,
    WITHHELD,
    MaskedProfile,
    blinding_applies,
    display_name,
    display_name_for,
    hidden_candidate_ids,
    hidden_candidates_for,
    identity_hidden,
    mask,
    masked_parsed,
    masked_profile,
    masked_profile_items,
    masked_resume_text,
    revealed_application_ids,
    scrub,
    shown_to,
)
from .services import NotBlind, identity_reveal

__all__ = [
    "BLIND_STAGES",
    "CANDIDATE_TARGET",
    "REVEALING_STAGES",
    "REVEAL_ACTION",
    "WITHHELD",
    "MaskedProfile",
    "NotBlind",
    "blinding_applies",
    "display_name",
    "display_name_for",
    "hidden_candidate_ids",
    "hidden_candidates_for",
    "identity_hidden",
    "identity_reveal",
    "mask",
    "masked_parsed",
    "masked_profile",
    "masked_profile_items",
    "masked_resume_text",
    "revealed_application_ids",
    "scrub",
    "shown_to",
]
