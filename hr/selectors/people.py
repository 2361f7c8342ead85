"""Employee records, for HR admins: the people list, one person's page (reports, history,
internal mobility) and manager choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audit.models import AuditEntry

from ..models import Employee
from ..permissions import ensure_hr_admin
from ..tree import DepartmentTree

if TYPE_CHECKING:
    from core.roles import AnyUser

CURRENT = (Employee.Status.ACTIVE, Employee.Status.ON_LEAVE)


# The people list's status filter: current (active or on leave) unless asked otherwise.
STATUS_FILTERS = {
    "": ("Current (active or on leave)", CURRENT),
    "active": ("Active", (Employee.Status.ACTIVE,)),
    "on_leave": ("On leave", (Employee.Status.ON_LEAVE,)),
    "terminated": ("Inactive (left)", (Employee.Status.TERMINATED,)),
    "all": ("Everyone, former employees too", tuple(Employee.Status.values)),
}


MOBILITY_LIMIT = 5


def employee_list(*, user: AnyUser) -> QuerySet[Employee]:
    ensure_hr_admin(user)
    return Employee.objects.select_related("department", "manager")


def employee_search(
    *, user: AnyUser, department_id: int | None = None, status: str = "", text: str = ""
) -> QuerySet[Employee]:
    """People, by name: a department includes its sub-departments; `status` is a key of
    STATUS_FILTERS (current people by default); `text` matches the name or the e-mail."""
    ensure_hr_admin(user)
    _, statuses = STATUS_FILTERS.get(status, STATUS_FILTERS[""])
    people = Employee.objects.select_related("department", "manager").filter(status__in=statuses)
    if department_id is not None:
        people = people.filter(department_id__in=DepartmentTree.load().subtree([department_id]))
    text = " ".join(text.split())
    if text:
        people = people.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
    return people.order_by("full_name", "pk")


def employee_get(*, user: AnyUser, pk: int) -> Employee:
    ensure_hr_admin(user)
    return get_object_or_404(
        Employee.objects.select_related("department", "manager", "hired_from"), pk=pk
    )


def manager_choices(*, user: AnyUser, exclude: int | None = None) -> list[tuple[int, str]]:
    """Current employees who can be chosen as a manager: (id, "Name, title")."""
    ensure_hr_admin(user)
    people = Employee.objects.filter(status__in=CURRENT).order_by("full_name", "pk")
    if exclude is not None:
        people = people.exclude(pk=exclude)
    return [
        (pk, f"{name}, {title}" if title else name)
        for pk, name, title in people.values_list("pk", "full_name", "title")
    ]


def tenure(start: date, until: date | None = None) -> str:
    """How long someone has been (or was) with the company, in words."""
    until = until or timezone.localdate()
    if start > until:
        return f"starts on {start:%-d %b %Y}"
    months = (until.year - start.year) * 12 + until.month - start.month
    if until.day < start.day:
        months -= 1
    years, months = divmod(months, 12)
    parts = [
        f"{n} {unit}{'s' if n != 1 else ''}"
        for n, unit in ((years, "year"), (months, "month"))
        if n
    ]
    return ", ".join(parts) if parts else "less than a month"


@dataclass
class MobilityMatch:
    job: Any
    score: float | None = None  # 0–100 from the fit model's stored vectors
    matched_skills: list[str] = field(default_factory=list)


@dataclass
class Mobility:
    method: str  # "fit" | "skills" | "none"
    note: str
    matches: list[MobilityMatch] = field(default_factory=list)


def employee_mobility(*, user: AnyUser, employee: Employee) -> Mobility:
    """Open jobs this employee might fit, without running a model in the request.

    SmartHR knows an employee's skills only from the resume they were hired with
    (`hired_from`). With its stored embedding, recruiting's ranking (stored vectors, one
    matrix product) orders the open jobs; without one, open jobs are matched on required
    skills the resume lists. Anyone else gets an honest "not available".
    """
    ensure_hr_admin(user)
    from mlcore.registry import RegistryError
    from recruiting.models import Job
    from recruiting.permissions import visible_jobs
    from recruiting.selectors import jobs_for_candidate

    if employee.status == Employee.Status.TERMINATED:
        return Mobility("none", f"{employee.full_name} has left the company.")
    candidate = employee.hired_from
    if candidate is None:
        return Mobility(
            "none",
            "Not available yet: SmartHR knows skills only from the resume someone was hired "
            "with, and this employee was not hired through SmartHR.",
        )
    try:
        ranked = jobs_for_candidate(user=user, candidate=candidate, limit=MOBILITY_LIMIT)
    except RegistryError:
        ranked = []  # no fit model is active: fall back to the skills the resume lists
    if ranked:
        return Mobility(
            "fit",
            "Open jobs ranked by the fit model from the resume they were hired with "
            "(scores read from stored vectors).",
            [MobilityMatch(r.obj, r.score) for r in ranked],
        )
    has = {str(s).lower(): str(s) for s in candidate.skills or []}
    if not has:
        return Mobility(
            "none",
            "Not available yet: the resume they were hired with lists no skills to match.",
        )
    matches = []
    jobs = visible_jobs(user).filter(status=Job.Status.OPEN).only("id", "title", "required_skills")
    for job in jobs:
        matched = [s for s in job.required_skills or [] if str(s).lower() in has]
        if matched:
            matches.append(MobilityMatch(job, matched_skills=matched))
    matches.sort(key=lambda m: (-len(m.matched_skills), m.job.title))
    return Mobility(
        "skills",
        "Open jobs whose required skills appear in the resume they were hired with.",
        matches[:MOBILITY_LIMIT],
    )


def employee_reports(*, user: AnyUser, employee: Employee) -> list[Employee]:
    """Current direct reports."""
    ensure_hr_admin(user)
    return list(employee.reports.filter(status__in=CURRENT).order_by("full_name"))


def employee_history(*, user: AnyUser, employee: Employee, limit: int = 20) -> list[AuditEntry]:
    """What changed on this record and who did it (the audit log's entries for it)."""
    ensure_hr_admin(user)
    return list(
        AuditEntry.objects.filter(target_type="hr.employee", target_id=str(employee.pk))[:limit]
    )
