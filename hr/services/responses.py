"""Answering a survey through a one-time link, anonymously.

The response keeps the survey, the department and a tenure band, and the day: nothing that
links it to the employee or the invitation (see docs/surveys.md). The invitation only learns
that it was used.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..errors import ResponseInvalid, SurveyClosed, SurveyLinkUnknown, SurveyLinkUsed
from ..models import Answer, Invitation, Question, Response, Survey, TenureBand
from .surveys import ENPS_MAX, ENPS_MIN, LIKERT_MAX, LIKERT_MIN, token_hash

MAX_TEXT_LENGTH = 5000


def tenure_band(hire_date: date | None, today: date) -> str:
    if hire_date is None:
        return ""
    years = (today - hire_date).days / 365.25
    if years < 1:
        return TenureBand.UNDER_1Y
    if years < 3:
        return TenureBand.Y1_3
    if years < 5:
        return TenureBand.Y3_5
    return TenureBand.OVER_5Y


def invitation_for_token(token: str) -> Invitation:
    """The invitation behind a link that can still be answered, or the reason it cannot."""
    invitation = (
        Invitation.objects.select_related("survey", "employee")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise SurveyLinkUnknown(
            "This survey link is not valid. Check that the whole link was copied; if you "
            "received a reminder, use the link in the newest e-mail."
        )
    if invitation.used:
        raise SurveyLinkUsed(
            "This link has already been used: each link accepts one set of answers, and yours "
            "are in. Thank you!"
        )
    if invitation.survey.status != Survey.Status.OPEN:
        raise SurveyClosed(
            f"'{invitation.survey.title}' is closed and no longer accepts answers."
            if invitation.survey.status == Survey.Status.CLOSED
            else f"'{invitation.survey.title}' is not open yet."
        )
    return invitation


def _number(raw: Any, low: int, high: int) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def clean_answers(
    questions: list[Question], answers: Mapping[Any, Any]
) -> tuple[list[Answer], dict[int, str]]:
    """Unsaved answers and, per question id, what is wrong. Keys may be ids or str(ids)."""
    values = {str(k): v for k, v in answers.items()}
    cleaned: list[Answer] = []
    errors: dict[int, str] = {}
    for q in questions:
        raw = values.get(str(q.pk))
        raw = "" if raw is None else raw
        if isinstance(raw, str):
            raw = raw.strip()
        if raw == "":
            if q.required:
                errors[q.pk] = "Please answer this question."
            continue
        if q.kind == Question.Kind.LIKERT:
            number = _number(raw, LIKERT_MIN, LIKERT_MAX)
            if number is None:
                errors[q.pk] = f"Choose a value from {LIKERT_MIN} to {LIKERT_MAX}."
            else:
                cleaned.append(Answer(question=q, number=number))
        elif q.kind == Question.Kind.ENPS:
            number = _number(raw, ENPS_MIN, ENPS_MAX)
            if number is None:
                errors[q.pk] = f"Choose a value from {ENPS_MIN} to {ENPS_MAX}."
            else:
                cleaned.append(Answer(question=q, number=number))
        elif q.kind == Question.Kind.SINGLE_CHOICE:
            if raw not in q.choices:
                errors[q.pk] = "Choose one of the options."
            else:
                cleaned.append(Answer(question=q, choice=raw))
        else:
            text = str(raw)
            if len(text) > MAX_TEXT_LENGTH:
                errors[q.pk] = (
                    f"Please keep this under {MAX_TEXT_LENGTH} characters (it is {len(text)})."
                )
            else:
                cleaned.append(Answer(question=q, text=text))
    return cleaned, errors


def response_submit(*, token: str, answers: Mapping[Any, Any]) -> Response:
    """Store one employee's answers; the link stops working. Raises ResponseInvalid with an
    error per question (nothing is stored then), or a SurveyLinkError."""
    invitation = invitation_for_token(token)
    survey = invitation.survey
    cleaned, errors = clean_answers(list(survey.questions.all()), answers)
    if errors:
        raise ResponseInvalid(errors)
    today = timezone.localdate()
    with transaction.atomic():
        # A conditional update, so two tabs submitting at once give one response.
        if not Invitation.objects.filter(pk=invitation.pk, used=False).update(used=True):
            raise SurveyLinkUsed("This link has just been used: your answers are already in.")
        if not Survey.objects.filter(pk=survey.pk, status=Survey.Status.OPEN).exists():
            raise SurveyClosed(
                f"'{survey.title}' closed a moment ago and no longer accepts answers."
            )
        employee = invitation.employee
        response = Response.objects.create(
            survey=survey,
            department_id=employee.department_id,
            tenure_band=tenure_band(employee.hire_date, today),
            submitted_on=today,
        )
        for answer in cleaned:
            answer.response = response
        Answer.objects.bulk_create(cleaned)
        texts = [a.pk for a in cleaned if a.question.kind == Question.Kind.FREE_TEXT]
        if texts:
            from .analysis import answers_enqueue_analysis

            transaction.on_commit(lambda: answers_enqueue_analysis(answer_ids=texts))
    return response
