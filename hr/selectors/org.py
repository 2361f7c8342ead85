"""The department tree, for HR admins: departments with head counts, choices and paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Department
from ..permissions import ensure_hr_admin
from ..tree import DepartmentTree
from .people import CURRENT

if TYPE_CHECKING:
    from core.roles import AnyUser


def department_list(*, user: AnyUser) -> QuerySet[Department]:
    ensure_hr_admin(user)
    return Department.objects.select_related("parent").annotate(
        n_employees=Count("employees", distinct=True)
    )


@dataclass
class DepartmentRow:
    department: Department
    depth: int
    path: str
    current: int  # active or on leave, in this department itself
    total: int  # current people here and in every sub-department
    children: int


def department_tree(*, user: AnyUser) -> list[DepartmentRow]:
    """Every department in tree order (children by name), with head counts: one query."""
    ensure_hr_admin(user)
    departments = {
        d.pk: d
        for d in Department.objects.annotate(
            n_current=Count("employees", filter=Q(employees__status__in=CURRENT), distinct=True),
            n_children=Count("children", distinct=True),
        ).order_by("name")
    }
    tree = DepartmentTree(
        names={pk: d.name for pk, d in departments.items()},
        parent={pk: d.parent_id for pk, d in departments.items()},
    )
    for pk, d in departments.items():
        tree.children[d.parent_id].append(pk)
    rows = []
    for pk in tree.ordered():
        d = departments[pk]
        chain = [tree.names[a] for a in reversed(tree.ancestors(pk))] + [d.name]
        total = sum(departments[n].n_current for n in tree.subtree([pk]))
        rows.append(
            DepartmentRow(d, len(chain) - 1, " / ".join(chain), d.n_current, total, d.n_children)
        )
    return rows


def department_get(*, user: AnyUser, pk: int) -> Department:
    ensure_hr_admin(user)
    return get_object_or_404(Department.objects.select_related("parent"), pk=pk)


def department_choices(
    *, user: AnyUser, exclude_subtree_of: int | None = None
) -> list[tuple[int, str]]:
    """(id, label) in tree order, indented by depth, for a picker. A department being moved
    leaves itself and its sub-departments out: it cannot move under them."""
    ensure_hr_admin(user)
    tree = DepartmentTree.load()
    hidden = tree.subtree([exclude_subtree_of]) if exclude_subtree_of else set()
    return [
        (pk, f"{'— ' * tree.depth(pk)}{tree.names[pk]}")
        for pk in tree.ordered()
        if pk not in hidden
    ]


def department_path(*, user: AnyUser, department: Department | None) -> list[tuple[int, str]]:
    """From the top of the tree down to `department`: (id, name) pairs."""
    ensure_hr_admin(user)
    if department is None:
        return []
    tree = DepartmentTree.load()
    chain = [*reversed(tree.ancestors(department.pk)), department.pk]
    return [(pk, tree.names[pk]) for pk in chain if pk in tree.names]
