"""Fixtures for the survey tests: a small department tree and a survey with every kind."""

from __future__ import annotations

import pytest

from hr import services
from hr.models import Question

from ..factories import DepartmentFactory, EmployeeFactory


@pytest.fixture
def org(db):
    """Engineering (Backend, Frontend) and Sales, with active employees who have e-mails."""
    eng = DepartmentFactory(name="Engineering")
    backend = DepartmentFactory(name="Backend", parent=eng)
    frontend = DepartmentFactory(name="Frontend", parent=eng)
    sales = DepartmentFactory(name="Sales")
    people = {}
    for dept, n in ((eng, 1), (backend, 3), (frontend, 2), (sales, 2)):
        people[dept.name] = [
            EmployeeFactory(department=dept, email=f"{dept.name.lower()}{i}@example.com")
            for i in range(n)
        ]
    return {"eng": eng, "backend": backend, "frontend": frontend, "sales": sales, **people}


@pytest.fixture
def survey(hr_admin):
    """An open survey: eNPS, Likert, single choice (required) and an optional comment."""
    s = services.survey_create(by=hr_admin, title="Q3 pulse", min_group_size=3)
    services.question_add(by=hr_admin, survey=s, kind=Question.Kind.ENPS, text="Recommend us?")
    services.question_add(by=hr_admin, survey=s, kind=Question.Kind.LIKERT, text="Tools OK?")
    services.question_add(
        by=hr_admin,
        survey=s,
        kind=Question.Kind.SINGLE_CHOICE,
        text="Improve first?",
        choices=["Pay", "Growth", "Workload"],
    )
    services.question_add(
        by=hr_admin, survey=s, kind=Question.Kind.FREE_TEXT, text="Anything else?", required=False
    )
    return services.survey_open(by=hr_admin, survey=s)


def questions(survey):
    """(enps, likert, choice, text) of the `survey` fixture."""
    return tuple(survey.questions.all())
