"""HR writes and rules for the department tree: create, rename, move, delete.

A department can be deleted only when nothing refers to it any more: no sub-departments, no
employee records (former employees included: their history names the department), no jobs
and no survey responses (past results are filed under it). Otherwise it is emptied first,
and the refusal says what is left in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from audit.services import audit_record

from ..errors import InvalidDepartment
from ..models import Department, Response
from ..permissions import ensure_hr_admin

if TYPE_CHECKING:
    from core.roles import AnyUser

NAME_MAX_CHARS = 120
CODE_MAX_CHARS = 32


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidDepartment("A department needs a name.", field="name")
    if len(name) > NAME_MAX_CHARS:
        raise InvalidDepartment(
            f"A department name can be at most {NAME_MAX_CHARS} characters; "
            f"this one has {len(name)}.",
            field="name",
        )
    return name


def _clean_code(code: str) -> str:
    code = (code or "").strip()
    if len(code) > CODE_MAX_CHARS:
        raise InvalidDepartment(
            f"A code can be at most {CODE_MAX_CHARS} characters; this one has {len(code)}.",
            field="code",
        )
    return code


def _ensure_unique_name(name: str, parent: Department | None, *, exclude: int | None) -> None:
    same = Department.objects.filter(parent=parent, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        where = f"under '{parent}'" if parent else "at the top level"
        raise InvalidDepartment(f"A department called '{name}' exists {where}.", field="name")


def _ensure_no_loop(department: Department, parent: Department | None) -> None:
    """Refuse to put a department under itself or under one of its own sub-departments."""
    if parent is None:
        return
    if parent.pk == department.pk:
        raise InvalidDepartment(f"'{department}' cannot sit under itself.", field="parent")
    node: Department | None = parent
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        if node.pk == department.pk:
            raise InvalidDepartment(
                f"'{department}' cannot move under '{parent}': '{parent}' is inside "
                f"'{department}', so that would make a loop. Choose another parent, or move "
                f"'{parent}' out of '{department}' first.",
                field="parent",
            )
        seen.add(node.pk)
        node = node.parent


def _save(department: Department, **kwargs: Any) -> None:
    """Save, turning a name clash that slipped past the check (a concurrent write) into words."""
    try:
        with transaction.atomic():
            department.save(**kwargs)
    except IntegrityError:
        raise InvalidDepartment(
            f"A department called '{department.name}' exists there already.", field="name"
        ) from None


@transaction.atomic
def department_create(
    *, by: AnyUser, name: str, parent: Department | None = None, code: str = ""
) -> Department:
    ensure_hr_admin(by)
    name, code = _clean_name(name), _clean_code(code)
    _ensure_unique_name(name, parent, exclude=None)
    department = Department(name=name, parent=parent, code=code)
    _save(department)
    audit_record(
        action="department.created",
        actor=by,
        target=department,
        summary=f"Department '{name}' created",
        details={"parent": parent.pk if parent else None},
    )
    return department


@transaction.atomic
def department_update(
    *, by: AnyUser, department: Department, name: str, parent: Department | None, code: str = ""
) -> Department:
    """Rename, re-code and move in one: refuses a loop and a name taken beside it."""
    ensure_hr_admin(by)
    name, code = _clean_name(name), _clean_code(code)
    _ensure_no_loop(department, parent)
    _ensure_unique_name(name, parent, exclude=department.pk)
    changed = [
        field
        for field, value in (("name", name), ("code", code), ("parent", parent))
        if getattr(department, field) != value
    ]
    if not changed:
        return department
    old_name = department.name
    department.name, department.code, department.parent = name, code, parent
    _save(department, update_fields=[*changed, "updated_at"])
    summary = (
        f"Department '{old_name}' renamed to '{name}'"
        if "name" in changed
        else f"Department '{name}' edited"
    )
    audit_record(
        action="department.updated",
        actor=by,
        target=department,
        summary=summary,
        details={"fields": changed, "parent": parent.pk if parent else None},
    )
    return department


def department_move(
    *, by: AnyUser, department: Department, parent: Department | None
) -> Department:
    """Re-parent a department; refuses to make it its own ancestor."""
    return department_update(
        by=by, department=department, name=department.name, parent=parent, code=department.code
    )


def department_contents(department: Department) -> dict[str, int]:
    """What still refers to a department (what keeps it from being deleted)."""
    from recruiting.models import Job

    return {
        "sub-departments": department.children.count(),
        "employee records": department.employees.count(),
        "jobs": Job.objects.filter(department=department).count(),
        "survey responses": Response.objects.filter(department=department).count(),
    }


@transaction.atomic
def department_delete(*, by: AnyUser, department: Department) -> None:
    """Delete an empty department; one with anything in it is refused, saying what."""
    ensure_hr_admin(by)
    department = Department.objects.select_for_update().get(pk=department.pk)
    left = {what: n for what, n in department_contents(department).items() if n}
    if left:
        listed = ", ".join(f"{n} {what}" for what, n in left.items())
        advice = (
            " Survey responses keep past results as they were, so a department that has them "
            "stays; rename it (for example 'Sales (closed)') instead."
            if "survey responses" in left
            else " Move them to another department first, then delete it."
        )
        raise InvalidDepartment(f"'{department}' still has {listed}.{advice}")
    pk, name = department.pk, department.name
    department.delete()
    audit_record(
        action="department.deleted",
        actor=by,
        target_type="hr.department",
        target_id=pk,
        summary=f"Department '{name}' deleted",
    )
