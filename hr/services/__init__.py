"""HR writes and rules. Views, tasks and commands call these and nothing else."""

from .analysis import answers_analyze, answers_enqueue_analysis, answers_reanalyze
from .demo import demo_survey_seed
from .org import department_create, department_move, employee_create, employee_create_from_hire
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
    "answers_analyze",
    "answers_enqueue_analysis",
    "answers_reanalyze",
    "demo_survey_seed",
    "department_create",
    "department_move",
    "employee_create",
    "employee_create_from_hire",
    "invitation_for_token",
    "invitation_send",
    "question_add",
    "question_delete",
    "question_update",
    "response_submit",
    "survey_close",
    "survey_create",
    "survey_invite",
    "survey_open",
    "survey_remind",
    "survey_update",
]
