"""The candidate page and its forms: profile edits, notes, scorecards, score overrides, the
resume preview and blind screening's reveal. Thin: selectors read, services write.

A form that fails re-renders the whole page (HTTP 400) with the message and everything that
was typed, so nothing is lost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotAllowed, show_form_error
from core.roles import Role, has_role

from .. import blind, selectors, services
from ..models import Application, Candidate, Resume, Scorecard
from ..pipeline import Stage
from ..services.scoring import fit_score_override as fit_score_override_service
from .offers import OfferForm, offer_context

# Fields a recruiter sees in the edit form; identity fields are left out while hidden.
IDENTITY_FIELDS = ("full_name", "email", "phone", "location", "links", "summary")
INLINE_TYPES = ("application/pdf",)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class ProfileForm(forms.Form):
    full_name = forms.CharField(max_length=200, required=False, label="Name")
    email = forms.CharField(max_length=254, required=False, label="E-mail")
    phone = forms.CharField(max_length=40, required=False)
    location = forms.CharField(max_length=200, required=False)
    links = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    headline = forms.CharField(max_length=300, required=False)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    skills = forms.CharField(required=False, help_text="Comma-separated.")
    years_experience = forms.DecimalField(
        required=False, min_value=0, max_value=60, max_digits=4, decimal_places=1
    )

    def __init__(self, *args: Any, hidden: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hidden:
            for name in IDENTITY_FIELDS:
                del self.fields[name]

    @staticmethod
    def initial_for(candidate: Candidate) -> dict[str, Any]:
        return {
            "full_name": candidate.full_name,
            "email": candidate.email,
            "phone": candidate.phone,
            "location": candidate.location,
            "links": "\n".join(candidate.links or []),
            "headline": candidate.headline,
            "summary": candidate.summary,
            "skills": ", ".join(candidate.skills or []),
            "years_experience": candidate.years_experience,
        }

    def changes(self, candidate: Candidate) -> dict[str, Any]:
        """Only the fields whose value differs: only those count as edited by a person."""
        data = dict(self.cleaned_data)
        if "links" in data:
            data["links"] = _lines(data["links"])
        if "skills" in data:
            data["skills"] = [s.strip() for s in data["skills"].split(",") if s.strip()]
        changed = {}
        for name, value in data.items():
            current = getattr(candidate, name)
            if isinstance(value, str):
                value = value.strip()
            if name == "years_experience":
                same = (value is None and current is None) or (
                    value is not None and current is not None and Decimal(value) == current
                )
            else:
                same = value == (current if current is not None else "")
            if not same:
                changed[name] = value
        return changed


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note")
    application = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)


class ScorecardForm(forms.Form):
    application = forms.TypedChoiceField(coerce=int)
    stage = forms.ChoiceField(choices=Stage.choices, label="Interview stage")
    recommendation = forms.ChoiceField(choices=Scorecard.Recommendation.choices)
    ratings = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Python: 4\nCommunication: 3"}),
        help_text="One skill per line as “skill: rating”, 1 (weak) to 4 (strong).",
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_ratings(self) -> dict[str, Any]:
        ratings: dict[str, Any] = {}
        for line in _lines(self.cleaned_data.get("ratings") or ""):
            skill, sep, value = line.rpartition(":")
            if not sep or not skill.strip():
                raise forms.ValidationError(f"Write “{line}” as “skill: rating”, e.g. “Python: 4”.")
            value = value.strip()
            # Not a whole number: the service says why, in its own words.
            ratings[skill.strip()] = int(value) if value.isdigit() else value
        return ratings


class OverrideForm(forms.Form):
    score = forms.FloatField(min_value=0, max_value=100, label="Your score (0–100)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class RevealForm(forms.Form):
    application = forms.TypedChoiceField(coerce=int)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


def _offer_applications(form: forms.Form, choices: list[tuple[Any, str]]) -> None:
    """The applications a form may name: its `application` field's choices."""
    cast(forms.ChoiceField, form.fields["application"]).choices = choices


def _application_choices(applications: list[Application]) -> list[tuple[int, str]]:
    return [(a.pk, f"{a.job.title} ({a.get_stage_display()})") for a in applications]


def _resume_preview(candidate: Candidate, resumes: list[Resume], hidden: bool) -> dict[str, Any]:
    resume = selectors.current_resume(resumes)
    preview: dict[str, Any] = {"resume": resume, "kind": "none", "text": ""}
    if resume is not None:
        if hidden:
            preview.update(kind="text", text=blind.masked_resume_text(candidate, resume))
        elif resume.content_type in INLINE_TYPES:
            preview.update(kind="pdf")
        else:
            preview.update(kind="text", text=resume.text)
    return preview


def _interviews_and_emails(request: HttpRequest, candidate: Candidate) -> dict[str, Any]:
    """The candidate's interviews and the e-mails sent to them (blind screening applied)."""
    user = request.user
    return {
        "interviews": list(selectors.candidate_interviews(user=user, candidate=candidate)),
        "emails": selectors.candidate_emails(user=user, candidate=candidate),
    }


def _page(
    request: HttpRequest,
    pk: int,
    *,
    failed: dict[str, forms.Form] | None = None,
    failed_fit: tuple[int, forms.Form] | None = None,
) -> HttpResponse:
    user = request.user
    candidate = selectors.candidate_get(user=user, pk=pk)
    applications = list(candidate.applications.all())
    hidden = blind.identity_hidden(user, candidate, applications)
    # A hiring manager sees only their own jobs' applications, which they may act on.
    can_act = has_role(user, Role.RECRUITER, Role.HIRING_MANAGER)
    actable = applications if can_act else []
    choices = _application_choices(actable)
    failed = failed or {}

    profile_form = failed.get("profile") or ProfileForm(
        initial=ProfileForm.initial_for(candidate), hidden=hidden
    )
    note_form = failed.get("note") or NoteForm()
    _offer_applications(note_form, [("", "The candidate (no application)"), *choices])
    scorecard_form = failed.get("scorecard") or ScorecardForm(
        initial={"stage": actable[0].stage if actable else Stage.INTERVIEW}
    )
    _offer_applications(scorecard_form, choices)
    blind_applications = [
        a for a in applications if a.job.blind_screening and a.stage in blind.BLIND_STAGES
    ]
    reveal_form = failed.get("reveal") or RevealForm()
    _offer_applications(reveal_form, _application_choices(blind_applications))

    fits = selectors.candidate_fit_scores(user=user, candidate=candidate)
    for fit in fits:
        if failed_fit and failed_fit[0] == fit.pk:
            fit.override_form = failed_fit[1]  # type: ignore[attr-defined]
        else:
            fit.override_form = OverrideForm(  # type: ignore[attr-defined]
                initial={"score": fit.override_score}, prefix=f"fit{fit.pk}"
            )

    notes = list(selectors.candidate_notes(user=user, candidate=candidate))
    scorecards = list(selectors.candidate_scorecards(user=user, candidate=candidate))
    resumes = list(candidate.resumes.all())
    preview = _resume_preview(candidate, resumes, hidden)
    if hidden:
        events = [e for a in applications for e in a.stage_events.all()]
        blind.shown_to(user, [*notes, *scorecards, *events])

    context = {
        "candidate": candidate,
        "profile": blind.masked_profile(candidate) if hidden else candidate,
        "hidden": hidden,
        "name": blind.display_name(user, candidate, hidden=hidden),
        "applications": applications,
        "fits": fits,
        "other_jobs": selectors.jobs_for_candidate(user=user, candidate=candidate),
        "notes": notes,
        "scorecards": scorecards,
        "resumes": [] if hidden else resumes,
        "preview": preview,
        "can_edit": has_role(user, Role.RECRUITER),
        "can_act": can_act and bool(actable),
        "can_reveal": hidden and has_role(user, Role.RECRUITER) and bool(blind_applications),
        "profile_form": profile_form,
        "note_form": note_form,
        "scorecard_form": scorecard_form,
        "reveal_form": reveal_form,
        "edited": set(candidate.edited_fields or []),
        **_interviews_and_emails(request, candidate),
        **offer_context(
            request, candidate, applications, cast(OfferForm | None, failed.get("offer"))
        ),
    }
    status = 400 if failed or failed_fit else 200
    return render(request, "recruiting/candidate_detail.html", context, status=status)


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk)


@login_required
@require_POST
def candidate_profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    hidden = blind.identity_hidden(request.user, candidate, candidate.applications.all())
    form = ProfileForm(request.POST, hidden=hidden)
    if form.is_valid():
        changes = form.changes(candidate)
        if not changes:
            messages.info(request, "Nothing changed.")
            return redirect("recruiting:candidate_detail", pk=pk)
        try:
            services.candidate_update_profile(candidate=candidate, by=request.user, **changes)
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            labels = ", ".join(str(form.fields[name].label or name) for name in changes)
            messages.success(request, f"Profile saved ({labels}); re-parsing keeps your edits.")
            return redirect("recruiting:candidate_detail", pk=pk)
    messages.error(request, "The profile was not saved: see the messages by the fields.")
    return _page(request, pk, failed={"profile": form})


def _own_application(request: HttpRequest, candidate: Candidate, pk: int) -> Application:
    application = selectors.application_get(user=request.user, pk=pk)
    if application.candidate_id != candidate.pk:
        raise NotAllowed("That application belongs to another candidate.")
    return application


def _application(request: HttpRequest, candidate: Candidate, pk: int | None) -> Application | None:
    return None if pk is None else _own_application(request, candidate, pk)


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    _offer_applications(form, [("", ""), *_application_choices(list(candidate.applications.all()))])
    if form.is_valid():
        try:
            services.note_create(
                candidate=candidate,
                by=request.user,
                body=form.cleaned_data["body"],
                application=_application(request, candidate, form.cleaned_data["application"]),
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, "Note added.")
            return redirect("recruiting:candidate_detail", pk=pk)
    messages.error(request, "The note was not added: see the message by the form.")
    return _page(request, pk, failed={"note": form})


@login_required
@require_POST
def scorecard_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    form = ScorecardForm(request.POST)
    _offer_applications(form, _application_choices(list(candidate.applications.all())))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.scorecard_submit(
                application=_own_application(request, candidate, data["application"]),
                by=request.user,
                stage=data["stage"],
                recommendation=data["recommendation"],
                ratings=data["ratings"],
                comment=data["comment"],
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, "Scorecard added.")
            return redirect("recruiting:candidate_detail", pk=pk)
    messages.error(request, "The scorecard was not added: see the messages by the fields.")
    return _page(request, pk, failed={"scorecard": form})


@login_required
@require_POST
def fit_override(request: HttpRequest, pk: int) -> HttpResponse:
    fit = selectors.fit_score_get(user=request.user, pk=pk)
    candidate_id = fit.application.candidate_id
    form = OverrideForm(request.POST, prefix=f"fit{fit.pk}")
    if form.is_valid():
        try:
            fit_score_override_service(
                fit_score=fit,
                by=request.user,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, "Score overridden; the model's score stays on record.")
            return redirect("recruiting:candidate_detail", pk=candidate_id)
    messages.error(request, "The score was not overridden: see the messages by the form.")
    return _page(request, candidate_id, failed_fit=(fit.pk, form))


@login_required
@require_POST
def identity_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, pk=pk)
    form = RevealForm(request.POST)
    _offer_applications(form, _application_choices(list(candidate.applications.all())))
    if form.is_valid():
        try:
            blind.identity_reveal(
                candidate=candidate,
                application=_own_application(request, candidate, form.cleaned_data["application"]),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            show_form_error(form, exc)
        else:
            messages.success(request, "Identity revealed; the reveal is in the audit log.")
            return redirect("recruiting:candidate_detail", pk=pk)
    messages.error(request, "The identity was not revealed: see the message by the form.")
    return _page(request, pk, failed={"reveal": form})


@login_required
@xframe_options_sameorigin  # the candidate page previews PDFs in a frame
def resume_download(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file, for people who may see the candidate. `?inline=1` shows a PDF in the
    browser (other types always download). Withheld while blind screening hides who it is."""
    resume: Resume = selectors.resume_get(user=request.user, pk=pk)
    inline = request.GET.get("inline") == "1" and resume.content_type in INLINE_TYPES
    return FileResponse(
        services.resume_file_open(resume=resume, by=request.user, inline=inline),
        as_attachment=not inline,
        filename=resume.original_name,
        content_type=resume.content_type or "application/octet-stream",
    )
