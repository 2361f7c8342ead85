"""Candidate e-mail pages: templates (list, new, edit), writing to a candidate from a
template with a preview before sending, rejecting with a standard reason and the rejection
e-mail (previewed too), and sending a failed e-mail again. Thin: `services.emails` and
`services.rejections` hold the rules.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotAllowed, show_form_error
from core.roles import Role, has_role

from .. import blind, selectors, services
from ..models import Application, EmailTemplate, RejectionReason
from ..services.emails import PLACEHOLDERS
from ._common import portal_view


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(choices=EmailTemplate.Kind.choices)
    name = forms.CharField(max_length=120)
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}))
    active = forms.BooleanField(required=False, initial=True, label="Offered when sending")


def _ensure_recruiter(request: HttpRequest) -> None:
    if not has_role(request.user, Role.RECRUITER):
        raise NotAllowed("Only recruiters can manage e-mail templates.")


@portal_view
def email_template_list(request: HttpRequest) -> HttpResponse:
    _ensure_recruiter(request)
    templates = selectors.email_templates(active_only=False)
    return render(request, "recruiting/email_templates.html", {"templates": templates})


@portal_view
def email_template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """New (no pk) or edit; an unknown placeholder is shown by the field it is in."""
    _ensure_recruiter(request)
    template = selectors.email_template_get(pk=pk) if pk is not None else None
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.email_template_save(
                    by=request.user, template=template, **form.cleaned_data
                )
            except DomainError as exc:
                show_form_error(form, exc)
            else:
                messages.success(request, f"Template '{form.cleaned_data['name']}' saved.")
                return redirect("recruiting:email_template_list")
    elif template is not None:
        form = TemplateForm(
            initial={f: getattr(template, f) for f in ("kind", "name", "subject", "body", "active")}
        )
    else:
        form = TemplateForm()
    context = {"form": form, "template": template, "placeholders": PLACEHOLDERS}
    status = 400 if form.errors else 200
    return render(request, "recruiting/email_template_form.html", context, status=status)


class ComposeForm(forms.Form):
    template = forms.ModelChoiceField(queryset=EmailTemplate.objects.none())

    def __init__(self, *args: Any, kinds: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["template"]
        ).queryset = selectors.email_templates().filter(kind__in=kinds)


class RejectForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=RejectionReason.objects.none(), label="Reason", empty_label=None
    )
    details = forms.CharField(
        required=False,
        label="Details (kept on record, never e-mailed)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    template = forms.ModelChoiceField(
        queryset=EmailTemplate.objects.none(),
        required=False,
        label="Rejection e-mail",
        empty_label="Do not e-mail the candidate",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = cast(forms.ModelChoiceField, self.fields["category"])
        reasons.queryset = selectors.rejection_reasons()
        cast(forms.ModelChoiceField, self.fields["template"]).queryset = selectors.email_templates(
            kind=EmailTemplate.Kind.REJECTION
        )


def _preview(request: HttpRequest, application: Application, template: EmailTemplate) -> Any:
    hidden = blind.identity_hidden(request.user, application.candidate)
    return services.email_preview(
        application=application, template=template, by=request.user, hidden=hidden
    )


def _compose_page(
    request: HttpRequest, application: Application, form: forms.Form, **extra: Any
) -> HttpResponse:
    page = extra.pop("page", "recruiting/application_email.html")
    context = {
        "application": application,
        "name": blind.display_name(request.user, application.candidate),
        "form": form,
        **extra,
    }
    return render(request, page, context, status=400 if form.errors else 200)


@portal_view
def application_email(request: HttpRequest, pk: int) -> HttpResponse:
    """Write to the candidate from a template: "Preview" shows the e-mail as it will go
    out; "Send" records and sends it (a task)."""
    application = selectors.application_get(user=request.user, pk=pk)
    kinds = (EmailTemplate.Kind.ACKNOWLEDGEMENT, EmailTemplate.Kind.REJECTION)
    form = ComposeForm(request.POST or None, kinds=kinds)
    preview = None
    if request.method == "POST" and form.is_valid():
        template = form.cleaned_data["template"]
        try:
            if request.POST.get("action") == "send":
                services.email_send(application=application, template=template, by=request.user)
                messages.success(request, f"E-mail '{template}' is being sent.")
                return redirect("recruiting:candidate_detail", pk=application.candidate_id)
            preview = _preview(request, application, template)
        except DomainError as exc:
            show_form_error(form, exc)
    return _compose_page(request, application, form, preview=preview)


@portal_view
def application_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject with a standard reason; "Preview" shows the rejection e-mail first."""
    application = selectors.application_get(user=request.user, pk=pk)
    form = RejectForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "reject":
                services.application_reject_with_reason(
                    application=application,
                    by=request.user,
                    category=data["category"],
                    details=data["details"],
                    email_template=data["template"],
                )
                sent = " and the rejection e-mail is being sent" if data["template"] else ""
                messages.success(request, f"Application rejected ({data['category']}){sent}.")
                return redirect("recruiting:job_detail", pk=application.job_id)
            if data["template"] is not None:
                preview = _preview(request, application, data["template"])
        except DomainError as exc:
            show_form_error(form, exc)
    return _compose_page(
        request, application, form, preview=preview, page="recruiting/application_reject.html"
    )


@portal_view
@require_POST
def outbound_email_retry(request: HttpRequest, pk: int) -> HttpResponse:
    email = selectors.outbound_email_get(user=request.user, pk=pk)
    try:
        services.outbound_email_retry(email=email, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The e-mail is being sent again.")
    return redirect("recruiting:candidate_detail", pk=email.candidate_id)
