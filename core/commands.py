"""What management commands share: the account a command acts as (and the audit log records)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db.models import Q

from .roles import Role


def command_user(username: str | None, role: Role) -> User:
    """The active user called `username`, or else the first superuser or holder of `role`."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"No active user called {username!r}.")
        return user
    user = (
        users.filter(Q(is_superuser=True) | Q(groups__name=role.value))
        .order_by("-is_superuser", "pk")
        .first()
    )
    if user is None:
        label = {Role.HR_ADMIN: "HR admin"}.get(role, role.value.replace("_", " "))
        raise CommandError(f"No {label} account exists: create one or pass --user.")
    return user
