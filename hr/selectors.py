"""HR reads, for HR admins only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audit.models import AuditEntry

from .models import Department, Employee, Question, Survey
from .permissions import ensure_hr_admin
from .tree import DepartmentTree

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


def department_list(*, user: Any) -> QuerySet[Department]:
    ensure_hr_admin(user)
    return Department.objects.select_related("parent").annotate(
        n_employees=Count("employees", distinct=True)
    )


def employee_list(*, user: Any) -> QuerySet[Employee]:
    ensure_hr_admin(user)
    return Employee.objects.select_related("department", "manager")


# --- the People pages ------------------------------------------------------------------


@dataclass
class DepartmentRow:
    department: Department
    depth: int
    path: str
    current: int  # active or on leave, in this department itself
    total: int  # current people here and in every sub-department
    children: int


def department_tree(*, user: Any) -> list[DepartmentRow]:
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


def department_get(*, user: Any, pk: int) -> Department:
    ensure_hr_admin(user)
    return get_object_or_404(Department.objects.select_related("parent"), pk=pk)


def department_choices(
    *, user: Any, exclude_subtree_of: int | None = None
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


def employee_search(
    *, user: Any, department_id: int | None = None, status: str = "", text: str = ""
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


def employee_get(*, user: Any, pk: int) -> Employee:
    ensure_hr_admin(user)
    return get_object_or_404(
        Employee.objects.select_related("department", "manager", "hired_from"), pk=pk
    )


def manager_choices(*, user: Any, exclude: int | None = None) -> list[tuple[int, str]]:
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


def employee_mobility(*, user: Any, employee: Employee) -> Mobility:
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


def employee_reports(*, user: Any, employee: Employee) -> list[Employee]:
    """Current direct reports."""
    ensure_hr_admin(user)
    return list(employee.reports.filter(status__in=CURRENT).order_by("full_name"))


def department_path(*, user: Any, department: Department | None) -> list[tuple[int, str]]:
    """From the top of the tree down to `department`: (id, name) pairs."""
    ensure_hr_admin(user)
    if department is None:
        return []
    tree = DepartmentTree.load()
    chain = [*reversed(tree.ancestors(department.pk)), department.pk]
    return [(pk, tree.names[pk]) for pk in chain if pk in tree.names]


def employee_history(*, user: Any, employee: Employee, limit: int = 20) -> list[AuditEntry]:
    """What changed on this record and who did it (the audit log's entries for it)."""
    ensure_hr_admin(user)
    return list(
        AuditEntry.objects.filter(target_type="hr.employee", target_id=str(employee.pk))[:limit]
    )


def survey_list(*, user: Any) -> QuerySet[Survey]:
    ensure_hr_admin(user)
    return Survey.objects.annotate(
        n_questions=Count("questions", distinct=True),
        n_responses=Count("responses", distinct=True),
    )


def survey_get(*, user: Any, pk: int) -> Survey:
    ensure_hr_admin(user)
    return get_object_or_404(Survey, pk=pk)


def survey_questions(*, survey: Survey) -> list[Question]:
    return list(survey.questions.all())


def question_get(*, user: Any, pk: int) -> Question:
    ensure_hr_admin(user)
    return get_object_or_404(Question.objects.select_related("survey"), pk=pk)


def survey_participation(*, user: Any, survey: Survey) -> dict[str, int]:
    """Totals for the whole survey only: who answered is never listed."""
    ensure_hr_admin(user)
    totals = survey.invitations.aggregate(
        invited=Count("id"),
        answered=Count("id", filter=Q(used=True)),
        mailed=Count("id", filter=Q(sent_at__isnull=False)),
        reminded=Count("id", filter=Q(reminded_at__isnull=False)),
    )
    totals["responses"] = survey.responses.count()
    return totals
