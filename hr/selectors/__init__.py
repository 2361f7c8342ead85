"""HR reads, for HR admins only, by entity (mirroring hr.services): the department tree,
employee records and surveys. Survey results are read through hr.analytics."""

from .org import (
    DepartmentRow,
    department_choices,
    department_get,
    department_list,
    department_path,
    department_tree,
)
from .people import (
    Mobility,
    MobilityMatch,
    employee_get,
    employee_history,
    employee_list,
    employee_mobility,
    employee_reports,
    employee_search,
    manager_choices,
    tenure,
)
from .surveys import (
    question_get,
    survey_get,
    survey_list,
    survey_participation,
    survey_questions,
)

__all__ = [
    "DepartmentRow",
    "Mobility",
    "MobilityMatch",
    "department_choices",
    "department_get",
    "department_list",
    "department_path",
    "department_tree",
    "employee_get",
    "employee_history",
    "employee_list",
    "employee_mobility",
    "employee_reports",
    "employee_search",
    "manager_choices",
    "question_get",
    "survey_get",
    "survey_list",
    "survey_participation",
    "survey_questions",
    "tenure",
]
