"""The no-login pages in a real browser: an employee answers a survey from their e-mailed
link, and a candidate fills in voluntary self-identification."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from core.roles import Role
from hr import services as hr_services
from hr.models import Answer, Invitation, Question, Response

from ..factories import DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/s/[^/\s]+/)")


def _expect():
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def survey_link():
    """An open survey with every question kind, and the one-time link its invitation e-mailed."""
    hr = UserFactory(roles=[Role.HR_ADMIN])
    employee = EmployeeFactory(department=DepartmentFactory(), email="ana@example.com")
    survey = hr_services.survey_create(by=hr, title="Autumn pulse", min_group_size=3)
    kinds = [
        (Question.Kind.ENPS, "How likely are you to recommend us?", {}),
        (Question.Kind.LIKERT, "I have the tools I need.", {}),
        (Question.Kind.SINGLE_CHOICE, "Improve first?", {"choices": ["Pay", "Growth"]}),
        (Question.Kind.FREE_TEXT, "Anything else?", {}),
    ]
    for kind, text, extra in kinds:
        hr_services.question_add(by=hr, survey=survey, kind=kind, text=text, **extra)
    hr_services.survey_open(by=hr, survey=survey)
    hr_services.survey_invite(by=hr, survey=survey)  # e-mailed once the transaction commits
    (message,) = [m for m in mail.outbox if employee.email in m.to]
    return survey, employee, LINK.search(message.body).group(1)


def test_employee_answers_every_question_kind_from_the_link(page, survey_link):
    expect = _expect()
    survey, employee, path = survey_link
    page.goto(path)
    expect(page.locator("h1")).to_have_text("Autumn pulse")
    questions = {q.kind: q for q in survey.questions.all()}
    page.check(f"input[name=q{questions['enps'].pk}][value='9']", force=True)
    page.check(f"input[name=q{questions['likert'].pk}][value='4']", force=True)
    page.check(f"input[name=q{questions['single_choice'].pk}][value='Growth']")
    page.fill(f"textarea[name=q{questions['free_text'].pk}]", "The new laptops help a lot.")
    page.click("button[type=submit]")

    expect(page.locator("h1")).to_have_text("Thank you")
    assert page.url.endswith("/s/thanks/")
    response = Response.objects.get(survey=survey)
    stored = {a.question.kind: a for a in Answer.objects.filter(response=response)}
    assert stored["enps"].number == 9 and stored["likert"].number == 4
    assert stored["single_choice"].choice == "Growth"
    assert stored["free_text"].text == "The new laptops help a lot."
    assert Invitation.objects.get(survey=survey, employee=employee).used

    # The link works once: opening it again says so, in words.
    page.goto(path)
    expect(page.locator("main")).to_contain_text("already been used")


def test_a_missing_answer_keeps_what_was_typed(page, survey_link):
    expect = _expect()
    survey, _employee, path = survey_link
    page.goto(path)
    free_text = survey.questions.get(kind="free_text")
    page.fill(f"textarea[name=q{free_text.pk}]", "Please keep Fridays remote.")
    page.click("button[type=submit]")
    expect(page.locator("#error-summary")).to_contain_text("need attention")
    expect(page.locator(f"textarea[name=q{free_text.pk}]")).to_have_value(
        "Please keep Fridays remote."
    )
    assert not Response.objects.filter(survey=survey).exists()


def test_candidate_fills_in_self_identification_from_the_link(page):
    from privacy.models import SelfIdentification
    from privacy.services import self_id_invitation_issue

    from ..factories import CandidateFactory

    expect = _expect()
    candidate = CandidateFactory(email="lee@example.org")
    issued = self_id_invitation_issue(candidate=candidate, by=UserFactory(roles=[Role.RECRUITER]))
    page.goto(f"/self-id/{issued.token}/")
    page.check("input[name=sex][value=female]")
    page.check("input[name=veteran][value=prefer_not_to_say]")
    page.click("button[type=submit]")
    expect(page.locator("main")).to_contain_text("Thank you")
    record = SelfIdentification.objects.get(candidate=candidate)
    assert record.groups()["sex"] == "female"
    assert record.groups()["veteran"] == "prefer_not_to_say"
