"""Surveys, for HR admins: the list, one survey, its questions and participation totals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from ..models import Question, Survey
from ..permissions import ensure_hr_admin

if TYPE_CHECKING:
    from core.roles import AnyUser


def survey_list(*, user: AnyUser) -> QuerySet[Survey]:
    ensure_hr_admin(user)
    return Survey.objects.annotate(
        n_questions=Count("questions", distinct=True),
        n_responses=Count("responses", distinct=True),
    )


def survey_get(*, user: AnyUser, pk: int) -> Survey:
    ensure_hr_admin(user)
    return get_object_or_404(Survey, pk=pk)


def survey_questions(*, survey: Survey) -> list[Question]:
    return list(survey.questions.all())


def question_get(*, user: AnyUser, pk: int) -> Question:
    ensure_hr_admin(user)
    return get_object_or_404(Question.objects.select_related("survey"), pk=pk)


def survey_participation(*, user: AnyUser, survey: Survey) -> dict[str, int]:
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
