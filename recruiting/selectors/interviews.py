"""Interview, e-mail and rejection-reason reads: only what the user may see, blind screening
applied to the words people typed and to e-mails about a hidden candidate."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from core.roles import Role

from ..models import (
    Application,
    Candidate,
    EmailTemplate,
    Interview,
    Job,
    OutboundEmail,
    RejectionReason,
)
from ..permissions import visible_applications

if TYPE_CHECKING:
    from core.roles import AnyUser


def interviews_visible(user: AnyUser) -> QuerySet[Interview]:
    """Every interview of an application the user can see (a hiring manager: their jobs')."""
    user_model = get_user_model()
    return (
        Interview.objects.filter(application__in=visible_applications(user))
        .select_related("application__job", "application__candidate", "scheduled_by")
        .prefetch_related(
            Prefetch("interviewers", queryset=user_model.objects.order_by("username"))
        )
    )


def interview_get(*, user: AnyUser, pk: int) -> Interview:
    try:
        return interviews_visible(user).get(pk=pk)
    except Interview.DoesNotExist as exc:
        raise Http404("No such interview, or not one you can see.") from exc


def interviews_shown_to(user: AnyUser, interviews: list[Interview]) -> list[Interview]:
    """`interviews` as `user` may see them: the cancellation reason (typed by a person) is
    scrubbed of the candidate's name and contacts while blind screening hides them. Changed
    in memory only."""
    from ..blind import hidden_candidate_ids, scrub

    hidden = hidden_candidate_ids(user, {i.application.candidate_id for i in interviews})
    for interview in interviews:
        if interview.application.candidate_id in hidden and interview.cancel_reason:
            interview.cancel_reason = scrub(
                interview.application.candidate, interview.cancel_reason
            )
    return interviews


def application_interviews(*, user: AnyUser, application: Application) -> QuerySet[Interview]:
    return interviews_visible(user).filter(application=application)


def candidate_interviews(*, user: AnyUser, candidate: Candidate) -> QuerySet[Interview]:
    return interviews_visible(user).filter(application__candidate=candidate)


def interviewer_choices(*, job: Job) -> QuerySet[Any]:
    """Who may interview for `job`: active recruiters, and hiring managers who own the job or
    are on its hiring team (the people who may act on its applications; the same rule as
    `permissions.can_act_on_application`, which scheduling checks)."""
    user_model = get_user_model()
    team = Q(groups__name=Role.HIRING_MANAGER.value) & (Q(hiring_team_jobs=job) | Q(owned_jobs=job))
    can_see_all = Q(is_superuser=True) | Q(groups__name=Role.RECRUITER.value)
    return (
        user_model.objects.filter(is_active=True)
        .filter(team | can_see_all)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def candidate_emails(*, user: AnyUser, candidate: Candidate) -> list[OutboundEmail]:
    """The e-mails sent to the candidate about applications the user can see, newest first;
    scrubbed of the candidate's identity where blind screening hides it from the user."""
    from ..blind import WITHHELD, identity_hidden, scrub

    emails = list(
        OutboundEmail.objects.filter(
            candidate=candidate,
            to_candidate=True,
            application__in=visible_applications(user),
        ).select_related("application__job", "created_by")
    )
    if emails and identity_hidden(user, candidate):
        for email in emails:  # in memory only, never saved
            email.recipient = WITHHELD
            email.subject = scrub(candidate, email.subject)
            email.body = scrub(candidate, email.body)
    return emails


def outbound_email_get(*, user: AnyUser, pk: int) -> OutboundEmail:
    try:
        return OutboundEmail.objects.select_related("application__job").get(
            pk=pk, application__in=visible_applications(user)
        )
    except OutboundEmail.DoesNotExist as exc:
        raise Http404("No such e-mail, or not one you can see.") from exc


def interviewers_by_id(ids: list[int]) -> list[Any]:
    """The users with these ids (for an API request); an unknown id is a clear error. Whether
    each may interview is the scheduling service's rule."""
    from ..errors import InvalidInterview

    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=set(ids))}
    unknown = sorted(set(ids) - set(people))
    if unknown:
        listed = ", ".join(str(pk) for pk in unknown)
        raise InvalidInterview(f"No user with id {listed}.", field="interviewers")
    return [people[pk] for pk in dict.fromkeys(ids)]


def email_templates(*, kind: str | None = None, active_only: bool = True) -> QuerySet[Any]:
    templates = EmailTemplate.objects.all()
    if kind:
        templates = templates.filter(kind=kind)
    if active_only:
        templates = templates.filter(active=True)
    return templates


def email_template_get(*, pk: int) -> EmailTemplate:
    try:
        return EmailTemplate.objects.get(pk=pk)
    except EmailTemplate.DoesNotExist as exc:
        raise Http404("No such e-mail template.") from exc


def rejection_reasons(*, active_only: bool = True) -> QuerySet[RejectionReason]:
    reasons = RejectionReason.objects.all()
    return reasons.filter(active=True) if active_only else reasons


def rejection_reason_offered(*, pk: int, field: str = "rejection_reason_id") -> RejectionReason:
    """The active standard reason with this id (an API request names it by id); an unknown
    or archived id is a clear error on `field` that lists the ids on offer."""
    from ..errors import InvalidRejection

    reason = RejectionReason.objects.filter(pk=pk).first()
    if reason is not None and reason.active:
        return reason
    offered = ", ".join(f"{r.pk} ({r.code})" for r in rejection_reasons())
    what = f"'{reason.code}' is archived" if reason is not None else f"There is no reason {pk}"
    raise InvalidRejection(
        f"{what}: give one of the active rejection reasons (GET /rejection-reasons/): {offered}.",
        field=field,
    )
