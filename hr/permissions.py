"""HR data is for HR admins only."""

from __future__ import annotations

from typing import Any

from core.errors import NotAllowed
from core.roles import Role, has_role


def ensure_hr_admin(user: Any) -> None:
    if not has_role(user, Role.HR_ADMIN):
        raise NotAllowed("Only HR admins can see or change HR data.")
