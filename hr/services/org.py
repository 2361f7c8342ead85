"""HR writes and rules: the department tree and employee records."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ..errors import InvalidDepartment, InvalidEmployee
from ..models import Department, Employee
from ..permissions import ensure_hr_admin

if TYPE_CHECKING:
    from recruiting.models import Application


@transaction.atomic
def department_create(
    *, by: Any, name: str, parent: Department | None = None, code: str = ""
) -> Department:
    ensure_hr_admin(by)
    name = " ".join(name.split())
    if not name:
        raise InvalidDepartment("A department needs a name.", field="name")
    if Department.objects.filter(parent=parent, name__iexact=name).exists():
        where = f"under {parent}" if parent else "at the top level"
        raise InvalidDepartment(f"A department called '{name}' exists {where}.", field="name")
    return Department.objects.create(name=name, parent=parent, code=code.strip())


@transaction.atomic
def department_move(*, by: Any, department: Department, parent: Department | None) -> Department:
    """Re-parent a department; refuses to make it its own ancestor."""
    ensure_hr_admin(by)
    node = parent
    while node is not None:
        if node.pk == department.pk:
            raise InvalidDepartment(
                f"'{department}' cannot sit under '{parent}': that would make a loop.",
                field="parent",
            )
        node = node.parent
    department.parent = parent
    department.save(update_fields=["parent", "updated_at"])
    return department


@transaction.atomic
def employee_create(
    *,
    by: Any,
    full_name: str,
    hire_date: date,
    department: Department | None = None,
    manager: Employee | None = None,
    title: str = "",
    email: str = "",
) -> Employee:
    ensure_hr_admin(by)
    if not full_name.strip():
        raise InvalidEmployee("An employee needs a name.", field="full_name")
    if hire_date > timezone.localdate() + timezone.timedelta(days=366):
        raise InvalidEmployee("The hire date is more than a year away.", field="hire_date")
    return Employee.objects.create(
        full_name=full_name.strip(),
        hire_date=hire_date,
        department=department,
        manager=manager,
        title=title.strip(),
        email=email.strip().lower(),
    )


def employee_create_from_hire(*, application: Application) -> Employee:
    """The employee record for a hired candidate (called inside the hiring transaction).

    Permission was checked by the hiring move. A candidate who is already an active
    employee (an internal move) keeps one record, with the new title and department.
    """
    candidate, job = application.candidate, application.job
    employee = Employee.objects.filter(hired_from=candidate, status=Employee.Status.ACTIVE).first()
    if employee is None:
        employee = Employee(hired_from=candidate, hire_date=timezone.localdate())
    employee.full_name = candidate.full_name or candidate.email
    employee.email = candidate.email
    employee.title = job.title
    employee.department = job.department
    employee.save()
    return employee
