"""HR writes and rules. Views, tasks and commands call these and nothing else."""

from .analysis import (
    answers_analyze,
    answers_enqueue_analysis,
    answers_explain,
    answers_reanalyze,
    survey_examples_explain,
    survey_examples_explain_later,
)
from .imports import EmployeeImportInvalid, RowError, employee_import
from .org import (
    department_contents,
    department_create,
    department_delete,
    department_move,
    department_update,
)
from .people import (
    employee_create,
    employee_create_from_hire,
    employee_deactivate,
    employee_reactivate,
    employee_update,
)
from .responses import invitation_for_token, response_submit
from .surveys import (
    invitation_send,
    question_add,
    question_delete,
    question_update,
    survey_close,
    survey_create,
    survey_invite,
    survey_open,
    survey_remind,
    survey_update,
)

__all__ = [
    "EmployeeImportInvalid",
    "RowError",
    "answers_analyze",
    "answers_enqueue_analysis",
    "answers_explain",
    "answers_reanalyze",
    "department_contents",
    "department_create",
    "department_delete",
    "department_move",
    "department_update",
    "employee_create",
    "employee_create_from_hire",
    "employee_deactivate",
    "employee_import",
    "employee_reactivate",
    "employee_update",
    "invitation_for_token",
    "invitation_send",
    "question_add",
    "question_delete",
    "question_update",
    "response_submit",
    "survey_close",
    "survey_create",
    "survey_examples_explain",
    "survey_examples_explain_later",
    "survey_invite",
    "survey_open",
    "survey_remind",
    "survey_update",
]
