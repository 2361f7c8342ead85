"""HR writes and rules for employee records: create, edit, deactivate, reactivate, hire.

Records are never deleted: an employee who leaves is deactivated (status "terminated" with
their last day), so surveys, reports and the audit log keep their history. One current
(active or on leave) record per e-mail address; a former employee's address can be used
again by a new record.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record

from ..errors import InvalidEmployee
from ..models import Department, Employee
from ..permissions import ensure_hr_admin

if TYPE_CHECKING:
    from core.roles import AnyUser
    from recruiting.models import Application

NAME_MAX_CHARS = 200
TITLE_MAX_CHARS = 200
EMAIL_MAX_CHARS = 254
EARLIEST_HIRE_DATE = date(1900, 1, 1)
HIRE_DATE_MAX_AHEAD = timedelta(days=366)
EDITABLE = ("full_name", "email", "title", "department", "manager", "hire_date", "status")
CURRENT = (Employee.Status.ACTIVE, Employee.Status.ON_LEAVE)


def clean_full_name(full_name: str) -> str:
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise InvalidEmployee("An employee needs a name.", field="full_name")
    if len(full_name) > NAME_MAX_CHARS:
        raise InvalidEmployee(
            f"A name can be at most {NAME_MAX_CHARS} characters; this one has {len(full_name)}.",
            field="full_name",
        )
    return full_name


def clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX_CHARS:
        raise InvalidEmployee(
            f"A job title can be at most {TITLE_MAX_CHARS} characters; this one has {len(title)}.",
            field="title",
        )
    return title


def clean_email(email: str) -> str:
    """Trimmed and lower-cased; blank is allowed (not everyone has a work address)."""
    email = (email or "").strip().lower()
    if not email:
        return ""
    if len(email) > EMAIL_MAX_CHARS:
        raise InvalidEmployee(
            f"An e-mail address can be at most {EMAIL_MAX_CHARS} characters.", field="email"
        )
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidEmployee(
            f"'{email}' is not an e-mail address (expected something like name@company.com).",
            field="email",
        ) from None
    return email


def clean_hire_date(hire_date: date) -> date:
    if hire_date < EARLIEST_HIRE_DATE:
        raise InvalidEmployee(
            f"A hire date before {EARLIEST_HIRE_DATE:%Y} looks like a typing mistake.",
            field="hire_date",
        )
    if hire_date > timezone.localdate() + HIRE_DATE_MAX_AHEAD:
        raise InvalidEmployee("The hire date is more than a year away.", field="hire_date")
    return hire_date


def email_holder(email: str, *, exclude: int | None = None) -> Employee | None:
    """The current (not terminated) employee with this e-mail address, if any."""
    if not email:
        return None
    found = Employee.objects.filter(email__iexact=email, status__in=CURRENT)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.first()


def _ensure_email_free(email: str, *, exclude: int | None = None) -> None:
    holder = email_holder(email, exclude=exclude)
    if holder is not None:
        raise InvalidEmployee(
            f"{email} already belongs to {holder.full_name}, a current employee. Each current "
            "employee needs their own address.",
            field="email",
        )


def _ensure_manager(employee: Employee | None, manager: Employee | None) -> None:
    """A manager is a current employee and not someone who (indirectly) reports to them."""
    if manager is None:
        return
    if manager.status == Employee.Status.TERMINATED:
        raise InvalidEmployee(
            f"{manager.full_name} has left the company and cannot be a manager.", field="manager"
        )
    if employee is None or employee.pk is None:
        return
    if manager.pk == employee.pk:
        raise InvalidEmployee("An employee cannot be their own manager.", field="manager")
    node, seen = manager.manager, {manager.pk}
    while node is not None and node.pk not in seen:
        if node.pk == employee.pk:
            raise InvalidEmployee(
                f"{manager.full_name} reports (directly or not) to {employee.full_name}, so "
                f"{employee.full_name} cannot report to them: that would make a loop.",
                field="manager",
            )
        seen.add(node.pk)
        node = node.manager


def _save(employee: Employee, **kwargs: Any) -> None:
    """Save; an e-mail taken by a concurrent write (the constraint's word) is said in words."""
    try:
        with transaction.atomic():
            employee.save(**kwargs)
    except IntegrityError:
        if employee.email and email_holder(employee.email, exclude=employee.pk):
            raise InvalidEmployee(
                f"{employee.email} already belongs to a current employee.", field="email"
            ) from None
        raise


@transaction.atomic
def employee_create(
    *,
    by: AnyUser,
    full_name: str,
    hire_date: date,
    department: Department | None = None,
    manager: Employee | None = None,
    title: str = "",
    email: str = "",
    audit: bool = True,
) -> Employee:
    """A new, active employee record. `audit=False` is for employee_import, which writes one
    entry for the whole file."""
    ensure_hr_admin(by)
    employee = Employee(
        full_name=clean_full_name(full_name),
        email=clean_email(email),
        title=clean_title(title),
        hire_date=clean_hire_date(hire_date),
        department=department,
        manager=manager,
    )
    _ensure_email_free(employee.email)
    _ensure_manager(None, manager)
    _save(employee)
    if audit:
        audit_record(
            action="employee.created",
            actor=by,
            target=employee,
            details={"department": department.pk if department else None},
        )
    return employee


@transaction.atomic
def employee_update(
    *,
    by: AnyUser,
    employee: Employee,
    full_name: str,
    hire_date: date,
    email: str = "",
    title: str = "",
    department: Department | None = None,
    manager: Employee | None = None,
    status: str | None = None,
) -> Employee:
    """Edit a record. `status` moves between active and on leave only: leaving is
    employee_deactivate (it records the last day), coming back is employee_reactivate."""
    ensure_hr_admin(by)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if status is not None and status != employee.status:
        if status not in CURRENT:
            raise InvalidEmployee(
                "To record that someone left, use Deactivate: it keeps their last day.",
                field="status",
            )
        if employee.status == Employee.Status.TERMINATED:
            raise InvalidEmployee(
                f"{employee.full_name} has left; reactivate the record before changing "
                "their status.",
                field="status",
            )
    new: dict[str, Any] = {
        "full_name": clean_full_name(full_name),
        "email": clean_email(email),
        "title": clean_title(title),
        "hire_date": clean_hire_date(hire_date),
        "department": department,
        "manager": manager,
        "status": status or employee.status,
    }
    if (
        employee.terminated_on
        and employee.status == Employee.Status.TERMINATED
        and new["hire_date"] > employee.terminated_on
    ):
        raise InvalidEmployee(
            f"The hire date cannot be after their last day ({employee.terminated_on:%d %b %Y}).",
            field="hire_date",
        )
    if employee.status in CURRENT and new["email"] != employee.email:
        _ensure_email_free(new["email"], exclude=employee.pk)
    _ensure_manager(employee, manager)
    changed = [field for field in EDITABLE if getattr(employee, field) != new[field]]
    if not changed:
        return employee
    for field in changed:
        setattr(employee, field, new[field])
    _save(employee, update_fields=[*changed, "updated_at"])
    audit_record(
        action="employee.updated",
        actor=by,
        target=employee,
        summary=f"Employee record edited: {', '.join(changed)}",
        details={"fields": changed},
    )
    return employee


@transaction.atomic
def employee_deactivate(
    *, by: AnyUser, employee: Employee, last_day: date | None = None
) -> Employee:
    """The employee has left: status terminated with their last day; the record stays.

    Their direct reports keep them as manager until HR chooses someone else (the employee
    page lists them), and they are no longer invited to surveys.
    """
    ensure_hr_admin(by)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.status == Employee.Status.TERMINATED:
        raise InvalidEmployee(
            f"{employee.full_name} is already inactive (last day "
            f"{employee.terminated_on:%d %b %Y})."
            if employee.terminated_on
            else f"{employee.full_name} is already inactive."
        )
    last_day = last_day or timezone.localdate()
    if last_day < employee.hire_date:
        raise InvalidEmployee(
            f"The last day cannot be before the hire date ({employee.hire_date:%d %b %Y}).",
            field="last_day",
        )
    if last_day > timezone.localdate() + HIRE_DATE_MAX_AHEAD:
        raise InvalidEmployee("The last day is more than a year away.", field="last_day")
    employee.status = Employee.Status.TERMINATED
    employee.terminated_on = last_day
    employee.save(update_fields=["status", "terminated_on", "updated_at"])
    audit_record(
        action="employee.deactivated",
        actor=by,
        target=employee,
        details={"last_day": last_day.isoformat()},
    )
    return employee


@transaction.atomic
def employee_reactivate(*, by: AnyUser, employee: Employee) -> Employee:
    """Undo a deactivation (a mistake, or a return): active again, last day cleared (the
    audit log keeps the earlier one)."""
    ensure_hr_admin(by)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.status != Employee.Status.TERMINATED:
        raise InvalidEmployee(f"{employee.full_name} is not inactive.")
    _ensure_email_free(employee.email, exclude=employee.pk)
    employee.status = Employee.Status.ACTIVE
    employee.terminated_on = None
    _save(employee, update_fields=["status", "terminated_on", "updated_at"])
    audit_record(action="employee.reactivated", actor=by, target=employee)
    return employee


def employee_create_from_hire(*, application: Application) -> Employee:
    """The employee record for a hired candidate (called inside the hiring transaction).

    Permission was checked by the hiring move. A candidate who is already a current
    employee (an internal move: the same candidate record, or the same e-mail address) keeps
    one record, with the new title and department.
    """
    candidate, job = application.candidate, application.job
    email = (candidate.email or "").strip().lower()
    employee = Employee.objects.filter(hired_from=candidate, status__in=CURRENT).first()
    if employee is None and email:
        employee = email_holder(email)
    if employee is None:
        employee = Employee(hired_from=candidate, hire_date=timezone.localdate())
    elif employee.hired_from_id is None:
        employee.hired_from = candidate  # their resume now feeds internal mobility
    employee.full_name = candidate.full_name or candidate.email
    employee.email = email
    employee.title = job.title
    employee.department = job.department
    employee.save()
    return employee
