"""Interviews: scheduling rules, iCalendar invitations e-mailed to everyone, reschedule and
cancel on the same calendar event, scorecards tied to an interview, and who sees what."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEntry
from core.errors import NotAllowed
from core.roles import Role
from recruiting import selectors, services
from recruiting.errors import InvalidInterview, InvalidScorecard
from recruiting.models import Interview, OutboundEmail, Scorecard
from recruiting.pipeline import Stage
from recruiting.services import Slot

from ..factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory

pytestmark = pytest.mark.django_db

PARIS = "Europe/Paris"


def _next_monday_10() -> datetime:
    """A wall time a week or more ahead (naive: read in the slot's time zone)."""
    day = (timezone.now() + timedelta(days=8)).date()
    day += timedelta(days=(7 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 10, 0)


@pytest.fixture
def setting(recruiter):
    job = JobFactory(owner=recruiter, title="Data Engineer")
    manager = UserFactory(roles=[Role.HIRING_MANAGER], email="manager@example.com")
    job.hiring_team.add(manager)
    candidate = CandidateFactory(full_name="Zqelina Vexkyle", email="zqelina@example.com")
    application = ApplicationFactory(job=job, candidate=candidate, stage=Stage.INTERVIEW)
    return application, manager


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Call a service and run what it queued after commit (the e-mails), as a request would."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def _slot(people, **changes) -> Slot:
    values = {
        "starts_at": _next_monday_10(),
        "time_zone": PARIS,
        "duration_minutes": 45,
        "interviewers": people,
        "location": "Room 4, 12 rue de la Paix",
        "video_url": "https://meet.example.com/abc",
    }
    values.update(changes)
    return Slot(**values)


def _event(message):
    """The VEVENT of the .ics attached to an e-mail, and the calendar's METHOD."""
    ics = [a for a in message.attachments if a[0] == "invite.ics"]
    assert len(ics) == 1, "every interview e-mail carries its .ics"
    calendar = Calendar.from_ical(ics[0][1])
    return calendar, calendar.walk("VEVENT")[0]


def test_schedule_emails_an_ics_request_to_candidate_and_interviewers(sent, setting, recruiter):
    application, manager = setting
    interview = sent(
        services.interview_schedule,
        application=application,
        by=recruiter,
        slot=_slot([manager, recruiter]),
    )
    assert interview.sequence == 0 and interview.status == Interview.Status.SCHEDULED
    # 10:00 in Paris is stored as the instant it is.
    expected = _next_monday_10().replace(tzinfo=ZoneInfo(PARIS))
    assert interview.starts_at == expected
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["zqelina@example.com", manager.email, recruiter.email])
    to_candidate = next(m for m in mail.outbox if m.to == ["zqelina@example.com"])
    assert to_candidate.subject == "Interview for Data Engineer at SmartHR"  # the template's
    assert "Dear Zqelina Vexkyle" in to_candidate.body and "45 minutes" in to_candidate.body
    calendar, event = _event(to_candidate)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{interview.uid}@smarthr"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == expected
    assert event["DTSTART"].params["TZID"] == PARIS
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert str(event["ATTENDEE"]) == "mailto:zqelina@example.com"
    # Recorded, sent, audited.
    emails = OutboundEmail.objects.filter(interview=interview)
    assert emails.count() == 3
    assert set(emails.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    assert emails.get(to_candidate=True).kind == OutboundEmail.Kind.INTERVIEW_INVITATION
    entry = AuditEntry.objects.get(action="interview.scheduled")
    assert entry.actor == recruiter and entry.target_id == str(interview.pk)
    assert AuditEntry.objects.filter(action="email.sent").count() == 3


def test_reschedule_keeps_the_uid_bumps_sequence_and_uninvites_who_was_removed(
    sent, setting, recruiter
):
    application, manager = setting
    interview = sent(
        services.interview_schedule,
        application=application,
        by=recruiter,
        slot=_slot([manager, recruiter]),
    )
    mail.outbox.clear()
    later = _next_monday_10() + timedelta(days=1, hours=4)
    interview = sent(
        services.interview_reschedule,
        interview=interview,
        by=recruiter,
        slot=_slot([recruiter], starts_at=later, time_zone="America/New_York"),
    )
    assert interview.sequence == 1
    assert interview.starts_at == later.replace(tzinfo=ZoneInfo("America/New_York"))
    assert list(interview.interviewers.all()) == [recruiter]
    by_recipient = {m.to[0]: m for m in mail.outbox}
    calendar, event = _event(by_recipient["zqelina@example.com"])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"{interview.uid}@smarthr" and int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert by_recipient["zqelina@example.com"].subject.startswith("Rescheduled interview")
    calendar, event = _event(by_recipient[manager.email])
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["UID"]) == f"{interview.uid}@smarthr"
    entry = AuditEntry.objects.get(action="interview.rescheduled")
    assert entry.details["sequence"] == 1


def test_cancel_sends_method_cancel_for_the_same_event_and_cannot_be_undone(
    sent, setting, recruiter
):
    application, manager = setting
    interview = sent(
        services.interview_schedule, application=application, by=recruiter, slot=_slot([manager])
    )
    mail.outbox.clear()
    interview = sent(services.interview_cancel, interview=interview, by=recruiter, reason="Filled")
    assert interview.status == Interview.Status.CANCELLED and interview.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["zqelina@example.com", manager.email])
    for message in mail.outbox:
        calendar, event = _event(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
        assert str(event["UID"]) == f"{interview.uid}@smarthr"
    assert AuditEntry.objects.filter(action="interview.cancelled").count() == 1
    with pytest.raises(InvalidInterview, match="was cancelled"):
        sent(services.interview_cancel, interview=interview, by=recruiter)
    with pytest.raises(InvalidInterview, match="was cancelled"):
        sent(
            services.interview_reschedule, interview=interview, by=recruiter, slot=_slot([manager])
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone", "'Mars/Olympus' is not a time zone"),
        ({"starts_at": datetime(2020, 1, 6, 10)}, "starts_at", "cannot start in the past"),
        ({"duration_minutes": 2}, "duration_minutes", "lasts 5 to 480 minutes"),
        ({"interviewers": []}, "interviewers", "at least one interviewer"),
        ({"location": "", "video_url": ""}, "location", "a place, a video link"),
        ({"video_url": "javascript:alert(1)"}, "video_url", "must start with https://"),
    ],
)
def test_a_bad_slot_is_refused_with_a_clear_message(
    sent, setting, recruiter, changes, field, message
):
    application, manager = setting
    with pytest.raises(InvalidInterview, match=message) as caught:
        sent(
            services.interview_schedule,
            application=application,
            by=recruiter,
            slot=_slot([manager], **changes),
        )
    assert caught.value.field == field
    assert not Interview.objects.exists() and not mail.outbox


def test_an_interviewer_without_access_to_the_job_cannot_be_invited(sent, setting, recruiter):
    application, manager = setting
    outsider = UserFactory(roles=[Role.HIRING_MANAGER], first_name="Ola", last_name="Outside")
    with pytest.raises(InvalidInterview, match="Ola Outside has no access to 'Data Engineer'"):
        sent(
            services.interview_schedule,
            application=application,
            by=recruiter,
            slot=_slot([outsider]),
        )
    # HR admins read every job but do not act on applications (no scorecard): not offered.
    hr_only = UserFactory(roles=[Role.HR_ADMIN], first_name="Hana", last_name="Read")
    with pytest.raises(InvalidInterview, match="Hana Read has no access"):
        sent(
            services.interview_schedule,
            application=application,
            by=recruiter,
            slot=_slot([hr_only]),
        )
    choices = set(selectors.interviewer_choices(job=application.job))
    assert manager in choices and recruiter in choices
    assert outsider not in choices and hr_only not in choices


def test_closed_applications_and_other_managers_cannot_schedule(sent, setting, recruiter):
    application, manager = setting
    other_manager = UserFactory(roles=[Role.HIRING_MANAGER])
    with pytest.raises(NotAllowed):
        sent(
            services.interview_schedule,
            application=application,
            by=other_manager,
            slot=_slot([manager]),
        )
    # The job's own hiring manager may.
    sent(services.interview_schedule, application=application, by=manager, slot=_slot([manager]))
    services.application_reject(application=application, by=recruiter, reason="Filled")
    application.refresh_from_db()
    with pytest.raises(InvalidInterview, match="is rejected"):
        sent(
            services.interview_schedule,
            application=application,
            by=recruiter,
            slot=_slot([manager]),
        )


def test_who_sees_an_interview_follows_the_job(sent, setting, recruiter):
    application, manager = setting
    interview = sent(
        services.interview_schedule, application=application, by=recruiter, slot=_slot([manager])
    )
    other_manager = UserFactory(roles=[Role.HIRING_MANAGER])
    assert list(selectors.interviews_visible(manager)) == [interview]
    assert list(selectors.interviews_visible(other_manager)) == []
    # Taken off the hiring team, the interviewer no longer sees the interview.
    application.job.hiring_team.remove(manager)
    assert list(selectors.interviews_visible(manager)) == []


def test_a_scorecard_belongs_to_an_interview_of_its_application(sent, setting, recruiter):
    application, manager = setting
    interview = sent(
        services.interview_schedule, application=application, by=recruiter, slot=_slot([manager])
    )
    scorecard = services.scorecard_submit(
        application=application, by=manager, recommendation="yes", interview=interview
    )
    assert scorecard.interview == interview
    assert list(interview.scorecards.all()) == [scorecard]
    # Without an interview, as before.
    plain = services.scorecard_submit(application=application, by=manager, recommendation="no")
    assert plain.interview is None
    other = ApplicationFactory(job=application.job, stage=Stage.INTERVIEW)
    with pytest.raises(InvalidScorecard, match="another application"):
        services.scorecard_submit(
            application=other, by=manager, recommendation="yes", interview=interview
        )
    assert Scorecard.objects.count() == 2


def test_blind_screening_holds_in_an_interviewers_invitation(sent, recruiter):
    job = JobFactory(owner=recruiter, title="Analyst", blind_screening=True)
    manager = UserFactory(roles=[Role.HIRING_MANAGER])
    job.hiring_team.add(manager)
    candidate = CandidateFactory(full_name="Zqelina Vexkyle", email="zq@example.com")
    application = ApplicationFactory(job=job, candidate=candidate, stage=Stage.SCREENING)
    sent(services.interview_schedule, application=application, by=recruiter, slot=_slot([manager]))
    to_manager = next(m for m in mail.outbox if m.to == [manager.email])
    shown = to_manager.subject + to_manager.body + str(to_manager.attachments)
    assert "Zqelina" not in shown and "zq@example.com" not in shown
    assert f"Candidate #{candidate.pk}" in to_manager.subject
    # The candidate's own invitation names them.
    to_candidate = next(m for m in mail.outbox if m.to == ["zq@example.com"])
    assert "Zqelina Vexkyle" in to_candidate.body
