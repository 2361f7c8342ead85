"""Interview pages: an application's interviews with the schedule form (from the board and
the candidate page), one interview with reschedule, cancel and its scorecards. Thin: the
rules (who, when, which interviewers, the invitations) are `services.interviews`'.

A refused form re-renders with the message by its field and everything typed (HTTP 400).
"""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError, show_form_error

from .. import blind, selectors, services
from ..models import Application, EmailTemplate, Interview, Scorecard
from ..permissions import can_act_on_application
from ._common import portal_view

TIME_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Starts at (in the time zone below)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    time_zone = forms.ChoiceField(choices=[(z, z) for z in ["UTC", *TIME_ZONES]])
    duration_minutes = forms.IntegerField(label="Duration (minutes)", initial=45)
    interviewers = PersonChoice(
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    location = forms.CharField(required=False, label="Place", max_length=300)
    video_url = forms.CharField(required=False, label="Video link", max_length=500)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = cast(PersonChoice, self.fields["interviewers"])
        people.queryset = selectors.interviewer_choices(job=application.job)
        self.fields["time_zone"].initial = settings.TIME_ZONE

    def slot(self) -> services.Slot:
        data = self.cleaned_data
        # The wall time as typed: the service reads it in the chosen zone.
        naive = data["starts_at"].replace(tzinfo=None)
        return services.Slot(
            starts_at=naive,
            time_zone=data["time_zone"],
            duration_minutes=data["duration_minutes"],
            interviewers=list(data["interviewers"]),
            location=data["location"],
            video_url=data["video_url"],
        )


class ScheduleForm(SlotForm):
    template = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.none(),
        label="Invitation to the candidate",
        empty_label="The standard invitation",
        required=False,
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, application=application, **kwargs)
        cast(forms.ModelChoiceField, self.fields["template"]).queryset = selectors.email_templates(
            kind=EmailTemplate.Kind.INTERVIEW_INVITATION
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reason (optional)"
    )


class InterviewScorecardForm(forms.Form):
    recommendation = forms.ChoiceField(choices=Scorecard.Recommendation.choices)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _names(request: HttpRequest, application: Application) -> str:
    return blind.display_name(request.user, application.candidate)


def _hub(request: HttpRequest, application: Application, form: ScheduleForm | None = None) -> Any:
    interviews = list(selectors.application_interviews(user=request.user, application=application))
    context = {
        "application": application,
        "name": _names(request, application),
        "interviews": interviews,
        "form": form or ScheduleForm(application=application),
        "can_act": can_act_on_application(request.user, application),
        "open": application.stage not in services.interviews.CLOSED_STAGES,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "recruiting/application_interviews.html", context, status=status)


@portal_view
def application_interviews(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the application's interviews and the schedule form; POST: schedule one."""
    application = selectors.application_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _hub(request, application)
    form = ScheduleForm(request.POST, application=application)
    if form.is_valid():
        try:
            interview = services.interview_schedule(
                application=application,
                by=request.user,
                slot=form.slot(),
                template=form.cleaned_data["template"],
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, "Interview scheduled; the invitations are being sent.")
            return redirect("recruiting:interview_detail", pk=interview.pk)
    messages.error(request, "The interview was not scheduled: see the messages by the fields.")
    return _hub(request, application, form)


def _detail(
    request: HttpRequest,
    interview: Interview,
    *,
    reschedule: SlotForm | None = None,
    cancel: CancelForm | None = None,
    scorecard: InterviewScorecardForm | None = None,
) -> HttpResponse:
    application = interview.application
    if reschedule is None:
        initial = {
            "starts_at": interview.starts_at.astimezone(ZoneInfo(interview.time_zone)).replace(
                tzinfo=None
            ),
            "time_zone": interview.time_zone,
            "duration_minutes": interview.duration_minutes,
            "interviewers": list(interview.interviewers.all()),
            "location": interview.location,
            "video_url": interview.video_url,
        }
        reschedule = SlotForm(initial=initial, application=application)
    scorecards = blind.shown_to(
        request.user, list(interview.scorecards.select_related("interviewer"))
    )
    emails = list(interview.emails.order_by("created_at", "id"))
    context = {
        "interview": interview,
        "application": application,
        "name": _names(request, application),
        "hidden": blind.identity_hidden(request.user, application.candidate),
        "reschedule_form": reschedule,
        "cancel_form": cancel or CancelForm(),
        "scorecard_form": scorecard or InterviewScorecardForm(),
        "scorecards": scorecards,
        "emails": emails,
        "can_act": can_act_on_application(request.user, application),
    }
    failed = any(f is not None and f.errors for f in (reschedule, cancel, scorecard))
    return render(
        request, "recruiting/interview_detail.html", context, status=400 if failed else 200
    )


@portal_view
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.interview_get(user=request.user, pk=pk))


@portal_view
@require_POST
def interview_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_get(user=request.user, pk=pk)
    form = SlotForm(request.POST, application=interview.application)
    if form.is_valid():
        try:
            services.interview_reschedule(interview=interview, by=request.user, slot=form.slot())
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(
                request, "Interview rescheduled; everyone gets the updated invitation."
            )
            return redirect("recruiting:interview_detail", pk=pk)
    messages.error(request, "The interview was not rescheduled: see the messages by the fields.")
    return _detail(request, interview, reschedule=form)


@portal_view
@require_POST
def interview_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_get(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.interview_cancel(
                interview=interview, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, "Interview cancelled; everyone invited is told.")
            return redirect("recruiting:interview_detail", pk=pk)
    messages.error(request, "The interview was not cancelled: see the message by the form.")
    return _detail(request, interview, cancel=form)


@portal_view
@require_POST
def interview_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_get(user=request.user, pk=pk)
    form = InterviewScorecardForm(request.POST)
    if form.is_valid():
        try:
            services.scorecard_submit(
                application=interview.application,
                by=request.user,
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                interview=interview,
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, "Scorecard added to this interview.")
            return redirect("recruiting:interview_detail", pk=pk)
    messages.error(request, "The scorecard was not added: see the messages by the fields.")
    return _detail(request, interview, scorecard=form)
