"""The three roles SmartHR knows, kept as Django auth groups, and how to ask about them."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    # request.user, a user row, or no one (a task that runs for no user).
    AnyUser = User | AnonymousUser | None


class Role(StrEnum):
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    HR_ADMIN = "hr_admin"


_CACHE_ATTR = "_smarthr_roles"


def roles_of(user: AnyUser) -> frozenset[Role]:
    """The roles a user holds; a superuser holds all of them. Cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cast("frozenset[Role]", cached)
    if user.is_superuser:
        roles = frozenset(Role)
    else:
        names = set(user.groups.values_list("name", flat=True))
        roles = frozenset(role for role in Role if role.value in names)
    setattr(user, _CACHE_ATTR, roles)
    return roles


def signed_in(user: AnyUser) -> User | None:
    """The user row behind `user`, or None for no one or an anonymous visitor (what a
    "created by" foreign key can hold)."""
    return cast("User", user) if getattr(user, "pk", None) else None


def has_role(user: AnyUser, *roles: Role) -> bool:
    """True when the user holds at least one of `roles`."""
    return bool(roles_of(user) & set(roles))


def forget_roles(user: AnyUser) -> None:
    """Drop the cached roles after the user's groups changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
