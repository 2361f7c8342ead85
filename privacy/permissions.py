"""Who may use the privacy tools: HR admins; recruiters may only send self-ID invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import NotAllowed
from core.roles import Role, has_role

if TYPE_CHECKING:
    from core.roles import AnyUser


def is_hr_admin(user: AnyUser) -> bool:
    return has_role(user, Role.HR_ADMIN)


def ensure_hr_admin(user: AnyUser, what: str = "use the privacy tools") -> None:
    if not is_hr_admin(user):
        raise NotAllowed(f"Only HR admins can {what}.")


def ensure_can_run_bias_audit(user: AnyUser) -> None:
    ensure_hr_admin(user, "run the bias audit")


def ensure_can_invite(user: AnyUser) -> None:
    if not has_role(user, Role.RECRUITER, Role.HR_ADMIN):
        raise NotAllowed("Only recruiters and HR admins can send self-identification invitations.")
