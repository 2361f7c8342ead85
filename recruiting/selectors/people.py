"""The people who recruit (recruiters, hiring managers, HR admins), as an integration reads
them to map its own users: who they are, their roles, whether they are still active."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from core.errors import NotAllowed
from core.roles import Role, has_role, roles_of

if TYPE_CHECKING:
    from core.roles import AnyUser


def _holding(names: list[str]) -> Q:
    in_groups = get_user_model().groups.through.objects.filter(group__name__in=names)
    return Q(is_superuser=True) | Q(pk__in=in_groups.values("user_id"))


def recruiting_users(*, user: AnyUser) -> QuerySet[Any]:
    """Everyone holding a role (a superuser holds all of them), active or not, with their
    groups prefetched. Anyone with a role may list them: the people they schedule
    interviews with and see in the stage history."""
    if not roles_of(user):
        raise NotAllowed("Only recruiters, hiring managers and HR admins can list users.")
    people = get_user_model().objects.filter(_holding([r.value for r in Role]))
    return people.prefetch_related("groups")


def users_with_role(people: QuerySet[Any], role: str) -> QuerySet[Any]:
    return people.filter(_holding([role]))


def user_roles(person: Any) -> list[str]:
    """The roles of a listed user, from the prefetched groups (no query per user)."""
    if person.is_superuser:
        return [r.value for r in Role]
    names = {g.name for g in person.groups.all()}
    return [r.value for r in Role if r.value in names]


def user_emails_visible(user: AnyUser) -> bool:
    """Recruiters and HR admins see colleagues' e-mail addresses (they schedule, invite and
    administer); a hiring manager's key gets the list without them."""
    return has_role(user, Role.RECRUITER, Role.HR_ADMIN)
