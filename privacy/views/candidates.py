"""A candidate's privacy panel, for HR admins: find them, export or erase their data, read
their self-identification answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audit.services import audit_record
from core.errors import DomainError
from core.http import AuthenticatedHttpRequest
from recruiting.models import Candidate

from .. import selectors, services
from ..forms import EraseForm
from ..models import CATEGORIES, SelfIdentification
from ..permissions import ensure_hr_admin
from ._common import AUDIT_PAGE_SIZE


def _panel(
    request: HttpRequest, candidate: Candidate, *, erase_form: EraseForm | None = None, status=200
) -> HttpResponse:
    return render(
        request,
        "privacy/candidate_privacy.html",
        {
            "candidate": candidate,
            "summary": selectors.candidate_privacy_summary(candidate),
            "erase_form": erase_form or EraseForm(),
        },
        status=status,
    )


@login_required
@require_GET
def candidate_lookup(request: HttpRequest) -> HttpResponse:
    """Find a candidate by name, e-mail or id, to open their privacy panel."""
    ensure_hr_admin(request.user, "open a candidate's privacy panel")
    q = request.GET.get("q", "").strip()
    candidates = selectors.candidate_search(q) if q else Candidate.objects.none()
    page = Paginator(candidates, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/candidate_lookup.html", {"q": q, "page": page})


@login_required
@require_GET
def candidate_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_hr_admin(request.user, "open a candidate's privacy panel")
    return _panel(request, get_object_or_404(Candidate, pk=pk))


@login_required
@require_POST
def candidate_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ensure_hr_admin(request.user, "export candidate data")
    candidate = get_object_or_404(Candidate, pk=pk)
    archive = services.candidate_export(candidate=candidate, by=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="candidate-{pk}-{stamp}.zip"'
    return response


@login_required
@require_POST
def candidate_erase(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ensure_hr_admin(request.user, "erase candidates")
    candidate = get_object_or_404(Candidate, pk=pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _panel(request, candidate, erase_form=form, status=400)
    try:
        services.candidate_erase(
            candidate=candidate, by=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:candidate_privacy", pk=pk)
    messages.success(request, f"Candidate #{pk} was erased. The audit log records it.")
    return redirect("privacy:candidate_privacy", pk=pk)


@login_required
@require_GET
def candidate_self_id(request: HttpRequest, pk: int) -> HttpResponse:
    """HR admins only: the candidate's answers (recruiters and hiring managers never)."""
    ensure_hr_admin(request.user, "see self-identification answers")
    candidate = get_object_or_404(Candidate, pk=pk)
    record = SelfIdentification.objects.filter(candidate=candidate).first()
    audit_record(action="self_id.viewed", actor=request.user, target=candidate)
    rows = []
    for name, choices in CATEGORIES.items():
        value = getattr(record, name, "") if record else ""
        rows.append((name.replace("_", " "), choices(value).label if value else "Not answered"))
    return render(
        request,
        "privacy/self_id_detail.html",
        {"candidate": candidate, "record": record, "rows": rows},
    )
