"""Views of core: the health endpoint and the role-aware home page redirect."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import run_checks
from .roles import Role, has_role


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, checks = run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if has_role(request.user, Role.RECRUITER, Role.HIRING_MANAGER):
        return redirect("recruiting:job_list")
    if has_role(request.user, Role.HR_ADMIN):
        return redirect("hr:dashboard")
    return redirect("no_role")
