"""Candidate e-mails: templates with {placeholders}, their rendering, and sending through a
recorded `OutboundEmail` so a failed send is kept with its reason and retried, never lost.

Sending is at most once, as for stage e-mails (docs/decisions.md, "Tasks"): the row is
claimed (`sending`, committed) before the mail goes out; an error from the send marks it
`failed` with the reason and the task retries it a few times; the sweeper queues again what
stayed `queued` or `failed` (a lost message, the task's retries used up) every
PENDING_WORK_DEADLINE_S until it is PENDING_MAIL_MAX_AGE_S old. After that it stays
`failed`, with its reason, on the candidate's page, where a person may send it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.errors import NotAllowed
from core.roles import Role, has_role, signed_in
from core.tasks import enqueue, enqueue_on_commit

from ..errors import InvalidEmailTemplate
from ..models import Application, Candidate, EmailTemplate, Interview, OutboundEmail
from ..permissions import ensure_can_act_on_application
from ..tasks import send_outbound_email

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from core.roles import AnyUser

# What each kind of template may use; an interview's details only in an invitation.
COMMON_PLACEHOLDERS = (
    "candidate_name",
    "candidate_first_name",
    "job_title",
    "company_name",
    "sender_name",
)
INTERVIEW_PLACEHOLDERS = (
    "interview_start",
    "interview_time_zone",
    "interview_duration",
    "interview_location",
    "interview_video_link",
    "interviewers",
)
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    EmailTemplate.Kind.ACKNOWLEDGEMENT: COMMON_PLACEHOLDERS,
    EmailTemplate.Kind.REJECTION: COMMON_PLACEHOLDERS,
    EmailTemplate.Kind.INTERVIEW_INVITATION: COMMON_PLACEHOLDERS + INTERVIEW_PLACEHOLDERS,
}
# Anything between braces is a placeholder; only bare names are accepted, so a template
# cannot reach attributes ({x.__class__}) the way str.format would let it.
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SUBJECT_MAX_CHARS = 200
BODY_MAX_CHARS = 20_000


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def _check_text(kind: str, text: str, field: str) -> None:
    allowed = PLACEHOLDERS[kind]
    for name in placeholders_in(text):
        if name not in allowed:
            options = ", ".join("{" + p + "}" for p in allowed)
            raise InvalidEmailTemplate(
                f"Unknown placeholder {{{name}}} in the {field}. "
                f"A {EmailTemplate.Kind(kind).label.lower()} e-mail can use: {options}.",
                field=field,
            )
    stray = _PLACEHOLDER.sub("", text)
    if "{" in stray or "}" in stray:
        raise InvalidEmailTemplate(
            f"The {field} has a brace that opens or closes no placeholder; "
            "write placeholders as {candidate_name}.",
            field=field,
        )


def email_template_check(*, kind: str, subject: str, body: str) -> tuple[str, str]:
    """(subject, body) cleaned, or InvalidEmailTemplate naming the field and the problem."""
    if kind not in EmailTemplate.Kind.values:
        options = ", ".join(EmailTemplate.Kind.values)
        raise InvalidEmailTemplate(f"'{kind}' is not a kind of e-mail; use one of: {options}.")
    subject, body = " ".join((subject or "").split()), (body or "").strip()
    if not subject:
        raise InvalidEmailTemplate("An e-mail needs a subject.", field="subject")
    if not body:
        raise InvalidEmailTemplate("An e-mail needs a body.", field="body")
    if len(subject) > SUBJECT_MAX_CHARS or len(body) > BODY_MAX_CHARS:
        field = "subject" if len(subject) > SUBJECT_MAX_CHARS else "body"
        raise InvalidEmailTemplate(
            f"The subject can be at most {SUBJECT_MAX_CHARS} characters and the body "
            f"{BODY_MAX_CHARS:,}.",
            field=field,
        )
    _check_text(kind, subject, "subject")
    _check_text(kind, body, "body")
    return subject, body


@transaction.atomic
def email_template_save(
    *,
    by: AnyUser,
    kind: str,
    name: str,
    subject: str,
    body: str,
    active: bool = True,
    template: EmailTemplate | None = None,
) -> EmailTemplate:
    """Create (template None) or edit a template; recruiters only."""
    if not has_role(by, Role.RECRUITER):
        raise NotAllowed("Only recruiters can create or edit e-mail templates.")
    name = " ".join((name or "").split())
    if not name:
        raise InvalidEmailTemplate("A template needs a name.", field="name")
    clash = EmailTemplate.objects.filter(name__iexact=name)
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise InvalidEmailTemplate(f"A template named '{name}' already exists.", field="name")
    subject, body = email_template_check(kind=kind, subject=subject, body=body)
    if template is None:
        template = EmailTemplate(kind=kind)
    elif template.kind != kind:
        raise InvalidEmailTemplate("A template's kind cannot change; make a new one.", field="kind")
    template.name, template.subject, template.body, template.active = name, subject, body, active
    template.updated_by = signed_in(by)
    template.save()
    audit_record(action="email_template.saved", actor=by, target=template, details={"kind": kind})
    return template


def _person(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def interview_values(interview: Interview) -> dict[str, str]:
    zone = ZoneInfo(interview.time_zone)
    start = interview.starts_at.astimezone(zone)
    return {
        "interview_start": f"{start:%A %d %B %Y, %H:%M}",
        "interview_time_zone": interview.time_zone,
        "interview_duration": f"{interview.duration_minutes} minutes",
        "interview_location": interview.location or "online",
        "interview_video_link": interview.video_url or "(none)",
        "interviewers": ", ".join(_person(u) for u in interview.interviewers.all()),
    }


def placeholder_values(
    *,
    application: Application,
    by: AnyUser,
    interview: Interview | None = None,
    candidate_name: str | None = None,
) -> dict[str, str]:
    """What each placeholder stands for; `candidate_name` overrides the real name (a preview
    for someone blind screening hides the candidate from)."""
    name = candidate_name if candidate_name is not None else str(application.candidate)
    values = {
        "candidate_name": name,
        "candidate_first_name": name.split()[0] if name.split() else name,
        "job_title": application.job.title,
        "company_name": settings.COMPANY_NAME,
        "sender_name": _person(signed_in(by)) or settings.COMPANY_NAME,
    }
    if interview is not None:
        values.update(interview_values(interview))
    return values


def render(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass(frozen=True)
class RenderedEmail:
    recipient: str
    subject: str
    body: str


def email_preview(
    *,
    application: Application,
    template: EmailTemplate,
    by: AnyUser,
    interview: Interview | None = None,
    hidden: bool = False,
) -> RenderedEmail:
    """The e-mail as it would go out; with `hidden` (blind screening) the name and address
    are shown as the viewer may see them."""
    ensure_can_act_on_application(by, application)
    _check_use(application=application, template=template, interview=interview)
    from ..blind import WITHHELD, display_name_for

    name = display_name_for(application.candidate_id) if hidden else None
    values = placeholder_values(
        application=application, by=by, interview=interview, candidate_name=name
    )
    recipient = WITHHELD if hidden else application.candidate.email
    return RenderedEmail(recipient, render(template.subject, values), render(template.body, values))


def _check_use(
    *, application: Application, template: EmailTemplate, interview: Interview | None
) -> None:
    if not template.active:
        raise InvalidEmailTemplate(f"The template '{template}' is archived.", field="template")
    if interview is not None and interview.application_id != application.pk:
        raise InvalidEmailTemplate("That interview belongs to another application.")
    if template.kind == EmailTemplate.Kind.INTERVIEW_INVITATION and interview is None:
        raise InvalidEmailTemplate(
            "An interview invitation is sent by scheduling the interview.", field="template"
        )
    if not application.candidate.email:
        raise InvalidEmailTemplate(
            "This candidate has no e-mail address; add one to their profile first.",
            field="template",
        )


@transaction.atomic
def email_send(
    *,
    application: Application,
    template: EmailTemplate,
    by: AnyUser,
    interview: Interview | None = None,
    ics: str = "",
    kind: str | None = None,
) -> OutboundEmail:
    """Record the candidate's e-mail from `template` and send it after commit (a task)."""
    ensure_can_act_on_application(by, application)
    _check_use(application=application, template=template, interview=interview)
    values = placeholder_values(application=application, by=by, interview=interview)
    return outbound_email_queue(
        application=application,
        by=by,
        kind=kind or template.kind,
        recipient=application.candidate.email,
        subject=render(template.subject, values),
        body=render(template.body, values),
        template=template,
        interview=interview,
        ics=ics,
    )


def outbound_email_queue(
    *,
    application: Application,
    by: AnyUser,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    to_candidate: bool = True,
    template: EmailTemplate | None = None,
    interview: Interview | None = None,
    ics: str = "",
) -> OutboundEmail:
    """Record one e-mail as queued and hand it to the task after commit; callers check who
    may send it."""
    email = OutboundEmail.objects.create(
        candidate_id=application.candidate_id,
        application=application,
        interview=interview,
        template=template,
        kind=kind,
        to_candidate=to_candidate,
        recipient=recipient,
        subject=subject[:300],
        body=body,
        ics=ics,
        created_by=signed_in(by),
    )
    audit_record(
        action="email.queued",
        actor=by,
        target=email,
        details={
            "kind": kind,
            "application_id": application.pk,
            "interview_id": interview.pk if interview else None,
            "template_id": template.pk if template else None,
            "to_candidate": to_candidate,
        },
    )
    enqueue_on_commit(send_outbound_email, email.pk)
    return email


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(email.subject, email.body, None, [email.recipient])
    if email.ics:
        method = "CANCEL" if email.kind == OutboundEmail.Kind.INTERVIEW_CANCELLATION else "REQUEST"
        # As an alternative part (what calendar clients read as an invitation) and as a file.
        message.attach_alternative(email.ics, f"text/calendar; method={method}")
        message.attach("invite.ics", email.ics, "application/ics")
    return message


def outbound_email_deliver(*, email_id: int) -> bool:
    """Send one recorded e-mail, at most once; True if it went out now.

    Claimed (`sending`, committed) before the send; an error marks it `failed` with the
    reason and is raised again so the task retries (transient errors) or stops (others).
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:  # erased with the candidate's data before it was sent
            return False
        if email.status not in (OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED):
            return False
        email.status = OutboundEmail.Status.SENDING
        email.attempts += 1
        email.save(update_fields=["status", "attempts", "updated_at"])
    try:
        _message(email).send()
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED, error=reason, updated_at=timezone.now()
        )
        audit_record(
            action="email.failed",
            target=email,
            details={"attempt": email.attempts, "error": type(exc).__name__},
        )
        raise
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        error="",
        updated_at=timezone.now(),
    )
    audit_record(action="email.sent", target=email, details={"attempt": email.attempts})
    return True


def outbound_emails_requeue_pending(
    *, older_than: timedelta | None = None, max_age: timedelta | None = None, limit: int = 1000
) -> int:
    """Queue again the e-mails still `queued` or `failed` `older_than` after their last try
    (their message was lost, or the task's retries ran out), unless they were written more
    than `max_age` ago. Returns how many were queued."""
    now = timezone.now()
    if older_than is None:
        older_than = timedelta(seconds=settings.PENDING_WORK_DEADLINE_S)
    if max_age is None:
        max_age = timedelta(seconds=settings.PENDING_MAIL_MAX_AGE_S)
    pending = list(
        OutboundEmail.objects.filter(
            status__in=(OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED),
            updated_at__lt=now - older_than,
            created_at__gte=now - max_age,
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for pk in pending:
        # Touched first, so the next sweep waits a deadline again.
        OutboundEmail.objects.filter(pk=pk).update(updated_at=timezone.now())
        if not enqueue(send_outbound_email, pk):
            break
        queued += 1
    return queued


def outbound_email_retry(*, email: OutboundEmail, by: AnyUser) -> OutboundEmail:
    """A person asks to send a failed e-mail again now (the attempts count goes on)."""
    if email.application is not None:
        ensure_can_act_on_application(by, email.application)
    if email.status != OutboundEmail.Status.FAILED:
        raise InvalidEmailTemplate("Only an e-mail that failed can be sent again.")
    audit_record(action="email.queued", actor=by, target=email, details={"retry": True})
    enqueue_on_commit(send_outbound_email, email.pk)
    return email


def candidate_correspondence_erase(*, candidate: Candidate) -> dict[str, int]:
    """For an erasure on request (GDPR): delete the e-mails about the candidate (their text and
    addresses name them; queued ones are then never sent) and empty the interviews'
    cancellation reasons. The interviews themselves (times, interviewers) stay, as the
    applications do. Returns counts for the erasure record."""
    emails = OutboundEmail.objects.filter(candidate=candidate).delete()[0]
    reasons = (
        Interview.objects.filter(application__candidate=candidate)
        .exclude(cancel_reason="")
        .update(cancel_reason="")
    )
    return {"emails": emails, "interview_cancel_reasons": reasons}
