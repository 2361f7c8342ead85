"""HR rules: the department tree, employee records, HR-only access."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import NotAllowed
from hr import services
from hr.errors import InvalidDepartment, InvalidEmployee

pytestmark = pytest.mark.django_db


def test_department_tree_and_loop_refused(hr_admin):
    eng = services.department_create(by=hr_admin, name="Engineering")
    backend = services.department_create(by=hr_admin, name="Backend", parent=eng)
    platform = services.department_create(by=hr_admin, name="Platform", parent=backend)
    with pytest.raises(InvalidDepartment, match="loop"):
        services.department_move(by=hr_admin, department=eng, parent=platform)
    eng.refresh_from_db()
    assert eng.parent is None


def test_duplicate_department_name_under_same_parent_refused(hr_admin):
    services.department_create(by=hr_admin, name="Sales")
    with pytest.raises(InvalidDepartment, match="exists"):
        services.department_create(by=hr_admin, name=" sales ")


def test_employee_needs_name(hr_admin):
    with pytest.raises(InvalidEmployee):
        services.employee_create(by=hr_admin, full_name=" ", hire_date=date(2024, 1, 1))


@pytest.mark.parametrize("role_fixture", ["recruiter", "hiring_manager", "no_role_user"])
def test_only_hr_admins_change_hr_data(request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(NotAllowed):
        services.department_create(by=user, name="Shadow IT")
    with pytest.raises(NotAllowed):
        services.employee_create(by=user, full_name="X", hire_date=date(2024, 1, 1))
