"""HR data is for HR admins only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import NotAllowed
from core.roles import Role, has_role

if TYPE_CHECKING:
    from core.roles import AnyUser


def ensure_hr_admin(user: AnyUser) -> None:
    if not has_role(user, Role.HR_ADMIN):
        raise NotAllowed("Only HR admins can see or change HR data.")
