"""Self-identification: the invitation page recruiters use to send the link (they never
see answers), and the candidate's own form (no login, a one-time link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from core.errors import DomainError
from core.http import AuthenticatedHttpRequest
from recruiting.models import Candidate

from .. import services
from ..forms import SelfIdForm
from ..permissions import ensure_can_invite


@login_required
def self_id_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Send a candidate the link to the voluntary self-ID form. Shows the link, never answers."""
    ensure_can_invite(request.user)
    candidate = get_object_or_404(Candidate, pk=pk)
    issued = None
    if request.method == "POST":
        try:
            issued = services.self_id_invitation_issue(candidate=candidate, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("privacy:self_id_invite", pk=pk)
    return render(
        request, "privacy/self_id_invite.html", {"candidate": candidate, "issued": issued}
    )


@never_cache
def self_id_form(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.self_id_invitation_check(token=token)
    except DomainError as exc:
        return render(
            request, "privacy/self_id_unavailable.html", {"message": exc.message}, status=404
        )
    form = SelfIdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_identification_submit(token=token, answers=form.cleaned_data)
        except DomainError as exc:
            return render(
                request, "privacy/self_id_unavailable.html", {"message": exc.message}, status=404
            )
        return render(request, "privacy/self_id_thanks.html")
    return render(
        request, "privacy/self_id_form.html", {"form": form}, status=400 if form.errors else 200
    )
