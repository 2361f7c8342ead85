"""Survey rules: building, opening and closing, invitations, reminders, answering."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import NotAllowed
from hr import services
from hr.errors import (
    InvalidQuestion,
    InvalidSurvey,
    InvalidSurveyStatus,
    ResponseInvalid,
    SurveyClosed,
    SurveyLinkUnknown,
    SurveyLinkUsed,
)
from hr.models import Answer, Employee, Invitation, Question, Response, Survey, TenureBand

from ..factories import EmployeeFactory
from .conftest import questions

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})/")


def invite(hr_admin, survey, capture, departments=None) -> dict[str, str]:
    """Invite and return {e-mail address: raw token} from the mails that went out."""
    mail.outbox.clear()
    with capture(execute=True):
        services.survey_invite(by=hr_admin, survey=survey, departments=departments)
    return {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox}


def valid_answers(survey, **overrides):
    enps, likert, choice, _text = questions(survey)
    answers = {enps.pk: "9", likert.pk: "4", choice.pk: "Pay"}
    answers.update(overrides)
    return answers


# --- building ----------------------------------------------------------------------------


def test_survey_defaults_to_a_minimum_group_of_five(hr_admin):
    survey = services.survey_create(by=hr_admin, title="  Engagement   2026 ")
    assert survey.title == "Engagement 2026"
    assert survey.min_group_size == 5
    assert survey.status == Survey.Status.DRAFT


@pytest.mark.parametrize("size", [0, 2, "x", 5000])
def test_minimum_group_size_must_be_sensible(hr_admin, size):
    with pytest.raises(InvalidSurvey) as exc:
        services.survey_create(by=hr_admin, title="Pulse", min_group_size=size)
    assert exc.value.field == "min_group_size"
    assert not Survey.objects.exists()


def test_single_choice_needs_two_distinct_choices(hr_admin):
    survey = services.survey_create(by=hr_admin, title="Pulse")
    with pytest.raises(InvalidQuestion, match="2 and 20"):
        services.question_add(
            by=hr_admin, survey=survey, kind="single_choice", text="Pick", choices=["A", " a ", ""]
        )
    q = services.question_add(
        by=hr_admin, survey=survey, kind="single_choice", text="Pick", choices=["A", "B", "a"]
    )
    assert q.choices == ["A", "B"]
    with pytest.raises(InvalidQuestion, match="Unknown question kind"):
        services.question_add(by=hr_admin, survey=survey, kind="essay", text="Why?")


def test_questions_are_numbered_in_order_and_frozen_once_open(hr_admin):
    survey = services.survey_create(by=hr_admin, title="Pulse")
    first = services.question_add(by=hr_admin, survey=survey, kind="likert", text="A")
    second = services.question_add(by=hr_admin, survey=survey, kind="enps", text="B")
    assert (first.position, second.position) == (0, 1)
    services.survey_open(by=hr_admin, survey=survey)
    with pytest.raises(InvalidSurveyStatus, match="only while it is draft"):
        services.question_add(by=hr_admin, survey=survey, kind="likert", text="C")
    with pytest.raises(InvalidSurveyStatus):
        services.question_delete(by=hr_admin, question=first)


def test_open_needs_a_question_and_close_needs_open(hr_admin):
    survey = services.survey_create(by=hr_admin, title="Pulse")
    with pytest.raises(InvalidSurveyStatus, match="no questions"):
        services.survey_open(by=hr_admin, survey=survey)
    with pytest.raises(InvalidSurveyStatus, match="only while it is open"):
        services.survey_close(by=hr_admin, survey=survey)
    services.question_add(by=hr_admin, survey=survey, kind="likert", text="A")
    services.survey_open(by=hr_admin, survey=survey)
    assert survey.opened_at is not None
    services.survey_close(by=hr_admin, survey=survey)
    assert survey.status == Survey.Status.CLOSED and survey.closed_at is not None


def test_minimum_group_size_can_only_grow_once_open(hr_admin, survey):
    services.survey_update(by=hr_admin, survey=survey, title="Q3", min_group_size=8)
    with pytest.raises(InvalidSurvey, match="only grow"):
        services.survey_update(by=hr_admin, survey=survey, title="Q3", min_group_size=4)
    survey.refresh_from_db()
    assert survey.min_group_size == 8


@pytest.mark.parametrize("role_fixture", ["recruiter", "hiring_manager", "no_role_user"])
def test_only_hr_admins_run_surveys(request, role_fixture, survey):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(NotAllowed):
        services.survey_create(by=user, title="Shadow survey")
    with pytest.raises(NotAllowed):
        services.survey_invite(by=user, survey=survey)
    with pytest.raises(NotAllowed):
        services.survey_close(by=user, survey=survey)


# --- invitations -------------------------------------------------------------------------


def test_invite_everyone_mails_one_time_links_and_stores_only_hashes(
    hr_admin, survey, org, django_capture_on_commit_callbacks
):
    EmployeeFactory(department=org["sales"], email="", full_name="No Mail")
    EmployeeFactory(
        department=org["sales"], email="gone@example.com", status=Employee.Status.TERMINATED
    )
    tokens = invite(hr_admin, survey, django_capture_on_commit_callbacks)
    assert len(tokens) == 8  # active employees with an address
    assert "gone@example.com" not in tokens
    stored = set(Invitation.objects.values_list("token_hash", flat=True))
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens.values()}
    assert not (stored & set(tokens.values()))
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 8
    body = mail.outbox[0].body
    assert "http://" in body and "works once" in body


def test_invite_by_department_includes_sub_departments_and_skips_the_invited(
    hr_admin, survey, org, django_capture_on_commit_callbacks
):
    tokens = invite(hr_admin, survey, django_capture_on_commit_callbacks, [org["eng"]])
    assert len(tokens) == 6  # Engineering 1 + Backend 3 + Frontend 2
    again = invite(hr_admin, survey, django_capture_on_commit_callbacks, None)
    assert len(again) == 2  # only Sales is new
    assert Invitation.objects.filter(survey=survey).count() == 8


def test_invite_refused_on_a_draft_or_closed_survey(hr_admin, org):
    survey = services.survey_create(by=hr_admin, title="Draft")
    with pytest.raises(InvalidSurveyStatus, match="send invitations"):
        services.survey_invite(by=hr_admin, survey=survey)
    assert not Invitation.objects.exists()


def test_mail_task_is_idempotent(hr_admin, survey, org, django_capture_on_commit_callbacks):
    tokens = invite(hr_admin, survey, django_capture_on_commit_callbacks, [org["sales"]])
    email, token = next(iter(tokens.items()))
    invitation = Invitation.objects.get(employee__email=email)
    assert services.invitation_send(invitation_id=invitation.pk, token=token) is False
    assert len(mail.outbox) == 2  # no second mail


def test_remind_sends_fresh_links_to_those_who_have_not_answered(
    hr_admin, survey, org, django_capture_on_commit_callbacks
):
    tokens = invite(hr_admin, survey, django_capture_on_commit_callbacks, [org["eng"]])
    answered_email, answered_token = next(iter(tokens.items()))
    services.response_submit(token=answered_token, answers=valid_answers(survey))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_remind(by=hr_admin, survey=survey) == 5
    reminded = {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox}
    assert answered_email not in reminded and len(reminded) == 5
    assert all(m.subject.startswith("Reminder") for m in mail.outbox)
    assert Invitation.objects.filter(reminded_at__isnull=False).count() == 5
    # The first link was replaced (only hashes are kept, so it cannot be re-sent).
    some_email = next(iter(reminded))
    with pytest.raises(SurveyLinkUnknown, match="newest e-mail"):
        services.invitation_for_token(tokens[some_email])
    assert services.invitation_for_token(reminded[some_email]).employee.email == some_email


# --- answering ---------------------------------------------------------------------------


def test_a_link_works_once(hr_admin, survey, org, django_capture_on_commit_callbacks):
    token = next(iter(invite(hr_admin, survey, django_capture_on_commit_callbacks).values()))
    response = services.response_submit(token=token, answers=valid_answers(survey))
    assert response.answers.count() == 3
    with pytest.raises(SurveyLinkUsed):
        services.response_submit(token=token, answers=valid_answers(survey))
    assert Response.objects.count() == 1
    assert Invitation.objects.filter(used=True).count() == 1


def test_response_keeps_department_tenure_band_and_day_only(
    hr_admin, survey, org, django_capture_on_commit_callbacks
):
    backend_person = org["Backend"][0]
    backend_person.hire_date = timezone.localdate() - timezone.timedelta(days=365 * 4)
    backend_person.save()
    tokens = invite(hr_admin, survey, django_capture_on_commit_callbacks, [org["backend"]])
    response = services.response_submit(
        token=tokens[backend_person.email], answers=valid_answers(survey)
    )
    response.refresh_from_db()
    assert response.department == org["backend"]
    assert response.tenure_band == TenureBand.Y3_5
    assert response.submitted_on == timezone.localdate()


def test_unknown_token_and_closed_survey_are_refused(
    hr_admin, survey, org, django_capture_on_commit_callbacks
):
    with pytest.raises(SurveyLinkUnknown):
        services.response_submit(token="not-a-real-token", answers={})
    token = next(iter(invite(hr_admin, survey, django_capture_on_commit_callbacks).values()))
    services.survey_close(by=hr_admin, survey=survey)
    with pytest.raises(SurveyClosed, match="closed"):
        services.response_submit(token=token, answers=valid_answers(survey))
    assert not Response.objects.exists()
    assert not Invitation.objects.filter(used=True).exists()


def test_validation_reports_every_bad_answer_and_stores_nothing(
    hr_admin, survey, org, django_capture_on_commit_callbacks
):
    enps, likert, choice, _text = questions(survey)
    token = next(iter(invite(hr_admin, survey, django_capture_on_commit_callbacks).values()))
    with pytest.raises(ResponseInvalid) as exc:
        services.response_submit(
            token=token, answers={enps.pk: "11", likert.pk: "", choice.pk: "Free lunch"}
        )
    assert set(exc.value.errors) == {enps.pk, likert.pk, choice.pk}
    assert "0 to 10" in exc.value.errors[enps.pk]
    assert "Please answer" in exc.value.errors[likert.pk]
    assert not Response.objects.exists() and not Answer.objects.exists()
    # The link still works after a failed attempt.
    services.response_submit(token=token, answers=valid_answers(survey))
    assert Response.objects.count() == 1


def test_optional_question_may_be_left_empty_and_text_is_bounded(
    hr_admin, survey, org, django_capture_on_commit_callbacks
):
    *_, text = questions(survey)
    token = next(iter(invite(hr_admin, survey, django_capture_on_commit_callbacks).values()))
    with pytest.raises(ResponseInvalid, match="1 answer needs attention"):
        services.response_submit(
            token=token, answers=valid_answers(survey, **{str(text.pk): "x" * 5001})
        )
    response = services.response_submit(
        token=token, answers=valid_answers(survey, **{str(text.pk): "  "})
    )
    assert not response.answers.filter(question=text).exists()
    assert text.kind == Question.Kind.FREE_TEXT
