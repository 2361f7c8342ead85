"""Privacy errors, with messages an HR admin or a candidate can read."""

from __future__ import annotations

from core.errors import DomainError


class InvitationInvalid(DomainError):
    code = "invitation_invalid"
    http_status = 404


class AlreadyErased(DomainError):
    code = "already_erased"
    http_status = 409


class ErasureRefused(DomainError):
    code = "erasure_refused"
