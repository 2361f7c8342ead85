"""HR reads, for HR admins only."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from .models import Department, Employee, Survey
from .permissions import ensure_hr_admin


def department_list(*, user: Any) -> QuerySet[Department]:
    ensure_hr_admin(user)
    return Department.objects.select_related("parent").annotate(
        n_employees=Count("employees", distinct=True)
    )


def employee_list(*, user: Any) -> QuerySet[Employee]:
    ensure_hr_admin(user)
    return Employee.objects.select_related("department", "manager")


def survey_list(*, user: Any) -> QuerySet[Survey]:
    ensure_hr_admin(user)
    return Survey.objects.annotate(
        n_questions=Count("questions", distinct=True),
        n_responses=Count("responses", distinct=True),
    )
