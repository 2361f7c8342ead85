"""Interviews: schedule, reschedule and cancel, each e-mailing an iCalendar invitation (or
cancellation) to the candidate and every interviewer through recorded e-mails.

One calendar event per interview: its UID never changes, SEQUENCE goes up on every
reschedule and cancellation, so calendar clients update or remove the event they have.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from audit.services import audit_record
from core.roles import signed_in
from core.text import NOTE_MAX_CHARS, ensure_length

from ..errors import InvalidInterview
from ..models import Application, EmailTemplate, Interview, OutboundEmail
from ..permissions import can_act_on_application, ensure_can_act_on_application
from ..pipeline import Stage
from .emails import email_send, interview_values, outbound_email_queue

if TYPE_CHECKING:
    from core.roles import AnyUser

MIN_MINUTES, MAX_MINUTES = 5, 8 * 60
CLOSED_STAGES = frozenset({Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN})


@dataclass(frozen=True)
class Slot:
    """When and where, as a person typed it: `starts_at` naive means wall time in `time_zone`."""

    starts_at: datetime
    time_zone: str
    duration_minutes: int
    interviewers: Sequence[Any]
    location: str = ""
    video_url: str = ""


def _zone(name: str) -> ZoneInfo:
    name = (name or "").strip()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInterview(
            f"'{name}' is not a time zone; use a name such as Europe/Paris or America/New_York.",
            field="time_zone",
        ) from exc


def _check_interviewers(application: Application, people: Sequence[Any]) -> list[Any]:
    if not people:
        raise InvalidInterview("Choose at least one interviewer.", field="interviewers")
    for person in people:
        if not person.is_active:
            raise InvalidInterview(
                f"{person.get_username()} is no longer active and cannot interview.",
                field="interviewers",
            )
        # An interviewer opens the application and scores it: recruiters, the hiring team.
        if not can_act_on_application(person, application):
            raise InvalidInterview(
                f"{person.get_full_name() or person.get_username()} has no access to "
                f"'{application.job}': interviewers are recruiters, or hiring managers on "
                "its hiring team.",
                field="interviewers",
            )
    return list({p.pk: p for p in people}.values())


def _clean(application: Application, slot: Slot) -> tuple[datetime, Slot]:
    zone = _zone(slot.time_zone)
    starts_at = slot.starts_at
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=zone)
    if starts_at <= timezone.now():
        raise InvalidInterview("An interview cannot start in the past.", field="starts_at")
    if not MIN_MINUTES <= slot.duration_minutes <= MAX_MINUTES:
        raise InvalidInterview(
            f"An interview lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.",
            field="duration_minutes",
        )
    location = ensure_length(slot.location, limit=300, what="A place", field="location")
    video = (slot.video_url or "").strip()
    if video and not video.lower().startswith(("https://", "http://")):
        raise InvalidInterview(
            "A video link must start with https:// (or http://).", field="video_url"
        )
    if not location and not video:
        raise InvalidInterview("Give a place, a video link, or both.", field="location")
    people = _check_interviewers(application, slot.interviewers)
    clean = Slot(starts_at, str(zone.key), slot.duration_minutes, people, location, video)
    return starts_at.astimezone(ZoneInfo("UTC")), clean


def _ensure_open(application: Application) -> None:
    if application.stage in CLOSED_STAGES:
        raise InvalidInterview(
            f"This application is {Stage(application.stage).label.lower()}; "
            "interviews are for open applications."
        )


def interview_ics(interview: Interview, *, method: str, attendee: tuple[str, str]) -> str:
    """The iCalendar text for one recipient (only they are listed as attendee, so nobody
    learns another's address; under blind screening an interviewer's copy names no one)."""
    calendar = Calendar()
    calendar.add("prodid", "-//SmartHR//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", interview.ical_uid)
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now())
    start = interview.starts_at.astimezone(ZoneInfo(interview.time_zone))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=interview.duration_minutes))
    event.add("summary", f"Interview: {interview.application.job.title}")
    event.add("location", interview.location or interview.video_url)
    if interview.video_url:
        event.add("url", interview.video_url)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(settings.COMPANY_NAME)
    event.add("organizer", organizer)
    person = vCalAddress(f"mailto:{attendee[0]}")
    person.params["cn"] = vText(attendee[1])
    person.params["role"] = vText("REQ-PARTICIPANT")
    person.params["rsvp"] = vText("TRUE" if method == "REQUEST" else "FALSE")
    event.add("attendee", person)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return str(calendar.to_ical().decode())


_WORDS: dict[str, tuple[str, str]] = {
    OutboundEmail.Kind.INTERVIEW_INVITATION: ("Interview", "You are invited to interview"),
    OutboundEmail.Kind.INTERVIEW_UPDATE: ("Rescheduled interview", "The interview has moved"),
    OutboundEmail.Kind.INTERVIEW_CANCELLATION: ("Cancelled interview", "The interview is off"),
}


def _plain_body(interview: Interview, kind: str, about: str) -> str:
    values = interview_values(interview)
    lead = _WORDS[kind][1]
    lines = [
        f"{lead}: {about} for {interview.application.job.title}.",
        "",
        f"When: {values['interview_start']} ({values['interview_time_zone']})",
        f"Duration: {values['interview_duration']}",
        f"Where: {values['interview_location']}",
        f"Video link: {values['interview_video_link']}",
        f"Interviewers: {values['interviewers']}",
    ]
    if kind == OutboundEmail.Kind.INTERVIEW_CANCELLATION and interview.cancel_reason:
        lines += ["", f"Reason: {interview.cancel_reason}"]
    return "\n".join(lines) + "\n"


def _notify(
    interview: Interview, *, kind: str, by: AnyUser, template: EmailTemplate | None = None
) -> list[OutboundEmail]:
    """One e-mail with its own .ics to the candidate and to each interviewer."""
    from ..blind import display_name

    application = interview.application
    candidate = application.candidate
    method = "CANCEL" if kind == OutboundEmail.Kind.INTERVIEW_CANCELLATION else "REQUEST"
    title, _ = _WORDS[kind]
    sent = []
    if candidate.email:
        ics = interview_ics(interview, method=method, attendee=(candidate.email, str(candidate)))
        if template is not None:
            sent.append(
                email_send(
                    application=application, template=template, by=by, interview=interview,
                    ics=ics, kind=kind,
                )
            )  # fmt: skip
        else:
            sent.append(
                outbound_email_queue(
                    application=application, by=by, kind=kind, recipient=candidate.email,
                    subject=f"{title}: {application.job.title} at {settings.COMPANY_NAME}",
                    body=_plain_body(interview, kind, "your interview"),
                    interview=interview, ics=ics,
                )
            )  # fmt: skip
    for person in interview.interviewers.all():
        if not person.email:
            continue
        name = display_name(person, candidate)  # blind screening holds in e-mails too
        ics = interview_ics(interview, method=method, attendee=(person.email, str(person)))
        sent.append(
            outbound_email_queue(
                application=application, by=by, kind=kind, recipient=person.email,
                subject=f"{title}: {name} for {application.job.title}",
                body=_plain_body(interview, kind, f"interview with {name}"),
                to_candidate=False, interview=interview, ics=ics,
            )
        )  # fmt: skip
    return sent


def _invitation_template(template: EmailTemplate | None) -> EmailTemplate | None:
    if template is not None:
        if template.kind != EmailTemplate.Kind.INTERVIEW_INVITATION:
            raise InvalidInterview(
                f"'{template}' is not an interview invitation template.", field="template"
            )
        return template
    return EmailTemplate.objects.filter(
        kind=EmailTemplate.Kind.INTERVIEW_INVITATION, active=True
    ).first()


@transaction.atomic
def interview_schedule(
    *, application: Application, by: AnyUser, slot: Slot, template: EmailTemplate | None = None
) -> Interview:
    """Schedule an interview and e-mail the invitations after commit."""
    ensure_can_act_on_application(by, application)
    application = Application.objects.select_related("job", "candidate").get(pk=application.pk)
    _ensure_open(application)
    template = _invitation_template(template)
    starts_at, clean = _clean(application, slot)
    interview = Interview.objects.create(
        application=application,
        starts_at=starts_at,
        duration_minutes=clean.duration_minutes,
        time_zone=clean.time_zone,
        location=clean.location,
        video_url=clean.video_url,
        scheduled_by=signed_in(by),
    )
    interview.interviewers.set(clean.interviewers)
    audit_record(
        action="interview.scheduled",
        actor=by,
        target=interview,
        details={
            "application_id": application.pk,
            "interviewer_ids": sorted(p.pk for p in clean.interviewers),
            "starts_at": starts_at.isoformat(),
        },
    )
    _notify(interview, kind=OutboundEmail.Kind.INTERVIEW_INVITATION, by=by, template=template)
    return interview


def _locked(interview: Interview, by: AnyUser) -> Interview:
    ensure_can_act_on_application(by, interview.application)
    locked = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("application__job", "application__candidate")
        .get(pk=interview.pk)
    )
    if locked.status == Interview.Status.CANCELLED:
        raise InvalidInterview("This interview was cancelled; schedule a new one.")
    return locked


@transaction.atomic
def interview_reschedule(*, interview: Interview, by: AnyUser, slot: Slot) -> Interview:
    """Move an interview (time, length, zone, people, place): the same calendar event with
    a higher SEQUENCE. Interviewers taken off get a cancellation."""
    interview = _locked(interview, by)
    _ensure_open(interview.application)
    starts_at, clean = _clean(interview.application, slot)
    removed = [p for p in interview.interviewers.all() if p not in clean.interviewers]
    before = interview.starts_at
    interview.starts_at, interview.duration_minutes = starts_at, clean.duration_minutes
    interview.time_zone, interview.location = clean.time_zone, clean.location
    interview.video_url = clean.video_url
    interview.sequence += 1
    interview.save()
    interview.interviewers.set(clean.interviewers)
    audit_record(
        action="interview.rescheduled",
        actor=by,
        target=interview,
        details={
            "application_id": interview.application_id,
            "from": before.isoformat(),
            "to": starts_at.isoformat(),
            "sequence": interview.sequence,
            "interviewer_ids": sorted(p.pk for p in clean.interviewers),
        },
    )
    _notify(interview, kind=OutboundEmail.Kind.INTERVIEW_UPDATE, by=by)
    for person in removed:
        _cancel_for(interview, person, by)
    return interview


def _cancel_for(interview: Interview, person: Any, by: AnyUser) -> None:
    if not person.email:
        return
    from ..blind import display_name

    name = display_name(person, interview.application.candidate)
    outbound_email_queue(
        application=interview.application, by=by,
        kind=OutboundEmail.Kind.INTERVIEW_CANCELLATION, recipient=person.email,
        subject=f"You no longer interview {name} for {interview.application.job.title}",
        body=_plain_body(interview, OutboundEmail.Kind.INTERVIEW_CANCELLATION, name),
        to_candidate=False, interview=interview,
        ics=interview_ics(interview, method="CANCEL", attendee=(person.email, str(person))),
    )  # fmt: skip


@transaction.atomic
def interview_cancel(*, interview: Interview, by: AnyUser, reason: str = "") -> Interview:
    """Cancel: everyone invited gets a METHOD:CANCEL for the same event."""
    interview = _locked(interview, by)
    reason = ensure_length(reason, limit=NOTE_MAX_CHARS, what="A reason", field="reason")
    interview.status = Interview.Status.CANCELLED
    interview.cancelled_at = timezone.now()
    interview.cancel_reason = reason
    interview.sequence += 1
    interview.save()
    audit_record(
        action="interview.cancelled",
        actor=by,
        target=interview,
        details={"application_id": interview.application_id, "sequence": interview.sequence},
    )
    _notify(interview, kind=OutboundEmail.Kind.INTERVIEW_CANCELLATION, by=by)
    return interview
