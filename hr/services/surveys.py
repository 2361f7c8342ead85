"""Surveys: building them, opening and closing, inviting employees and reminding them.

Invitation links are one-time tokens. Only their SHA-256 is stored, so the raw token exists in
two places only: the Celery message that e-mails it (the broker is trusted infrastructure, like
the database) and the employee's inbox. A reminder cannot re-send a link nobody kept, so it
issues a fresh token and the earlier link stops working.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from core.roles import signed_in
from core.tasks import enqueue_on_commit

from ..errors import InvalidQuestion, InvalidSurvey, InvalidSurveyStatus
from ..models import Department, Employee, Invitation, Question, Survey
from ..permissions import ensure_hr_admin
from ..tasks import explain_survey_examples, send_survey_link
from ..tree import DepartmentTree

if TYPE_CHECKING:
    from core.roles import AnyUser

MIN_GROUP_SIZE_FLOOR = 3  # below this no aggregate is anonymous in any useful sense
MAX_CHOICES = 20
ENPS_MIN, ENPS_MAX = 0, 10
LIKERT_MIN, LIKERT_MAX = 1, 5


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _ensure_status(survey: Survey, *allowed: str, action: str) -> None:
    if survey.status not in allowed:
        wanted = " or ".join(Survey.Status(s).label.lower() for s in allowed)
        raise InvalidSurveyStatus(
            f"'{survey}' is {survey.get_status_display().lower()}: a survey can {action} "
            f"only while it is {wanted}."
        )


def _clean_min_group_size(value: Any) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise InvalidSurvey(
            "The minimum group size must be a whole number.", field="min_group_size"
        ) from None
    if not MIN_GROUP_SIZE_FLOOR <= size <= 1000:
        raise InvalidSurvey(
            f"The minimum group size must be between {MIN_GROUP_SIZE_FLOOR} and 1000.",
            field="min_group_size",
        )
    return size


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise InvalidSurvey("A survey needs a title.", field="title")
    if len(title) > 200:
        raise InvalidSurvey("The title is longer than 200 characters.", field="title")
    return title


# --- building --------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *, by: AnyUser, title: str, description: str = "", min_group_size: int = 5
) -> Survey:
    ensure_hr_admin(by)
    return Survey.objects.create(
        title=_clean_title(title),
        description=(description or "").strip(),
        min_group_size=_clean_min_group_size(min_group_size),
        created_by=signed_in(by),
    )


@transaction.atomic
def survey_update(
    *, by: AnyUser, survey: Survey, title: str, description: str = "", min_group_size: int
) -> Survey:
    """Title and description change at any time; the minimum group size may only grow once
    the survey is open (lowering it would weaken the anonymity respondents were promised)."""
    ensure_hr_admin(by)
    size = _clean_min_group_size(min_group_size)
    if survey.status != Survey.Status.DRAFT and size < survey.min_group_size:
        raise InvalidSurvey(
            f"Once a survey is open its minimum group size can only grow "
            f"(it is {survey.min_group_size}).",
            field="min_group_size",
        )
    survey.title = _clean_title(title)
    survey.description = (description or "").strip()
    survey.min_group_size = size
    survey.save(update_fields=["title", "description", "min_group_size", "updated_at"])
    return survey


def _clean_question(kind: str, text: str, choices: Sequence[str] | None) -> tuple[str, list[str]]:
    if kind not in Question.Kind.values:
        known = ", ".join(Question.Kind.values)
        raise InvalidQuestion(f"Unknown question kind '{kind}' (known: {known}).", field="kind")
    text = " ".join((text or "").split())
    if not text:
        raise InvalidQuestion("A question needs its text.", field="text")
    if len(text) > 500:
        raise InvalidQuestion("The question is longer than 500 characters.", field="text")
    cleaned: list[str] = []
    if kind == Question.Kind.SINGLE_CHOICE:
        seen: set[str] = set()
        for choice in choices or []:
            choice = " ".join(str(choice).split())
            if choice and choice.lower() not in seen:
                if len(choice) > 200:
                    raise InvalidQuestion(
                        "A choice is longer than 200 characters.", field="choices"
                    )
                seen.add(choice.lower())
                cleaned.append(choice)
        if not 2 <= len(cleaned) <= MAX_CHOICES:
            raise InvalidQuestion(
                f"A single-choice question needs between 2 and {MAX_CHOICES} different choices.",
                field="choices",
            )
    return text, cleaned


@transaction.atomic
def question_add(
    *,
    by: AnyUser,
    survey: Survey,
    kind: str,
    text: str,
    choices: Sequence[str] | None = None,
    required: bool = True,
) -> Question:
    ensure_hr_admin(by)
    _ensure_status(survey, Survey.Status.DRAFT, action="change its questions")
    text, cleaned = _clean_question(kind, text, choices)
    last = survey.questions.aggregate(last=Max("position"))["last"]
    return Question.objects.create(
        survey=survey,
        position=0 if last is None else last + 1,
        kind=kind,
        text=text,
        choices=cleaned,
        required=required,
    )


@transaction.atomic
def question_update(
    *,
    by: AnyUser,
    question: Question,
    kind: str,
    text: str,
    choices: Sequence[str] | None = None,
    required: bool = True,
) -> Question:
    ensure_hr_admin(by)
    _ensure_status(question.survey, Survey.Status.DRAFT, action="change its questions")
    question.text, question.choices = _clean_question(kind, text, choices)
    question.kind, question.required = kind, required
    question.save(update_fields=["kind", "text", "choices", "required"])
    return question


@transaction.atomic
def question_delete(*, by: AnyUser, question: Question) -> None:
    ensure_hr_admin(by)
    _ensure_status(question.survey, Survey.Status.DRAFT, action="change its questions")
    question.delete()


# --- life cycle ------------------------------------------------------------------------


@transaction.atomic
def survey_open(*, by: AnyUser, survey: Survey) -> Survey:
    ensure_hr_admin(by)
    _ensure_status(survey, Survey.Status.DRAFT, action="be opened")
    if not survey.questions.exists():
        raise InvalidSurveyStatus(f"'{survey}' has no questions yet: add one before opening it.")
    survey.status = Survey.Status.OPEN
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at", "updated_at"])
    audit_record(action="survey.opened", actor=by, target=survey)
    return survey


@transaction.atomic
def survey_close(*, by: AnyUser, survey: Survey) -> Survey:
    """No answers are accepted after this; unused links show a 'survey closed' page."""
    ensure_hr_admin(by)
    _ensure_status(survey, Survey.Status.OPEN, action="be closed")
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(action="survey.closed", actor=by, target=survey)
    # Results are readable from now on: the company-wide example comments get their reasons
    # (answers analysed later queue the same when their last batch is done).
    enqueue_on_commit(explain_survey_examples, survey.pk)
    return survey


# --- invitations -----------------------------------------------------------------------


def _enqueue_link_mail(invitation_id: int, token: str) -> None:
    # The raw token travels in the task's arguments: it is stored nowhere else. If the broker
    # cannot take it, the invitation stays unsent and `invitations_resend_unsent` issues a
    # fresh link later.
    enqueue_on_commit(send_survey_link, invitation_id, token)


@transaction.atomic
def survey_invite(
    *, by: AnyUser, survey: Survey, departments: Iterable[Department] | None = None
) -> int:
    """Invite the active employees of `departments` (and their sub-departments), or everyone.

    Employees already invited and employees without an e-mail address are skipped. Returns how
    many were invited; each gets a one-time link by e-mail once this transaction commits.
    """
    ensure_hr_admin(by)
    _ensure_status(survey, Survey.Status.OPEN, action="send invitations")
    employees = Employee.objects.filter(status=Employee.Status.ACTIVE).exclude(email="")
    if departments is not None:
        roots = [d.pk for d in departments]
        if not roots:
            raise InvalidSurvey(
                "Choose at least one department, or invite everyone.", field="departments"
            )
        employees = employees.filter(department_id__in=DepartmentTree.load().subtree(roots))
    employees = employees.exclude(invitations__survey=survey)
    tokens: list[str] = []
    invitations: list[Invitation] = []
    now = timezone.now()
    for employee_id in employees.values_list("pk", flat=True):
        token, digest = _new_token()
        tokens.append(token)
        invitations.append(
            Invitation(survey=survey, employee_id=employee_id, token_hash=digest, queued_at=now)
        )
    created = Invitation.objects.bulk_create(invitations)
    for invitation, token in zip(created, tokens, strict=True):
        _enqueue_link_mail(invitation.pk, token)
    # Which departments and how many: never who (HR must not learn who answers).
    audit_record(
        action="survey.invited",
        actor=by,
        target=survey,
        details={
            "departments": None if departments is None else sorted(roots),
            "invited": len(created),
        },
    )
    return len(created)


@transaction.atomic
def survey_remind(*, by: AnyUser, survey: Survey) -> int:
    """E-mail everyone who has not answered yet a fresh link; returns how many.

    HR never sees who that is: the reminder goes out without listing anyone.
    """
    ensure_hr_admin(by)
    _ensure_status(survey, Survey.Status.OPEN, action="send reminders")
    now = timezone.now()
    pending = list(survey.invitations.select_for_update().filter(used=False))
    tokens = []
    for invitation in pending:
        token, invitation.token_hash = _new_token()
        invitation.reminded_at, invitation.sent_at, invitation.queued_at = now, None, now
        tokens.append(token)
    Invitation.objects.bulk_update(pending, ["token_hash", "reminded_at", "sent_at", "queued_at"])
    for invitation, token in zip(pending, tokens, strict=True):
        _enqueue_link_mail(invitation.pk, token)
    audit_record(
        action="survey.reminded", actor=by, target=survey, details={"reminded": len(pending)}
    )
    return len(pending)


def survey_link(token: str) -> str:
    return settings.SITE_URL + reverse("survey:answer", kwargs={"token": token})


def invitation_send(*, invitation_id: int, token: str) -> bool:
    """E-mail one survey link, at most once; True if mail went out.

    Skipped when the link was replaced by a reminder's, was used, or the survey closed. The
    invitation is claimed (marked sent, committed) before the mail goes: a worker killed
    between the two loses this e-mail (a reminder sends a fresh link) rather than sending it
    twice. A send that fails with an error gives the claim back for the retry.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("survey", "employee")
            .filter(pk=invitation_id)
            .first()
        )
        if (
            invitation is None
            or invitation.token_hash != token_hash(token)
            or invitation.used
            or invitation.sent_at is not None
            or invitation.survey.status != Survey.Status.OPEN
            or not invitation.employee.email
        ):
            return False
        claimed_at = timezone.now()
        invitation.sent_at = claimed_at
        invitation.save(update_fields=["sent_at"])
    survey, employee = invitation.survey, invitation.employee
    reminder = invitation.reminded_at is not None
    subject = f"{'Reminder: ' if reminder else ''}{survey.title}"
    body = (
        f"Hello {employee.full_name},\n\n"
        f"{'You have not answered yet: there is still time. ' if reminder else ''}"
        f"Please tell us how things are going in our anonymous survey '{survey.title}'.\n\n"
        f"{survey.description + chr(10) + chr(10) if survey.description else ''}"
        f"Your personal link (it works once, and only for you):\n{survey_link(token)}\n\n"
        f"Your answers cannot be traced back to you: we keep no link between this "
        f"invitation and what you answer, and results are only shown for groups of "
        f"{survey.min_group_size} people or more.\n"
        f"{'This link replaces the one in our earlier e-mail.' + chr(10) if reminder else ''}"
    )
    try:
        send_mail(subject, body, None, [employee.email])
    except Exception:
        Invitation.objects.filter(pk=invitation.pk, sent_at=claimed_at).update(sent_at=None)
        raise
    return True


def invitations_resend_unsent(
    *, older_than: timedelta | None = None, max_age: timedelta | None = None, limit: int = 1000
) -> int:
    """Issue a fresh link to every open survey's invitation still unsent `older_than` after it
    was queued (its message, the only copy of the raw token, was lost), and queue its e-mail.

    Invitations queued longer than `max_age` ago are left to HR's reminder. Returns how many.
    """
    now = timezone.now()
    if older_than is None:
        older_than = timedelta(seconds=settings.PENDING_WORK_DEADLINE_S)
    if max_age is None:
        max_age = timedelta(seconds=settings.PENDING_MAIL_MAX_AGE_S)
    with transaction.atomic():
        pending = list(
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                sent_at=None,
                used=False,
                survey__status=Survey.Status.OPEN,
                queued_at__lt=now - older_than,
                queued_at__gte=now - max_age,
            )
            .exclude(employee__email="")
            .order_by("queued_at")[:limit]
        )
        tokens = []
        for invitation in pending:
            token, invitation.token_hash = _new_token()
            invitation.queued_at = now
            tokens.append(token)
        Invitation.objects.bulk_update(pending, ["token_hash", "queued_at"])
        for invitation, token in zip(pending, tokens, strict=True):
            _enqueue_link_mail(invitation.pk, token)
    return len(pending)
