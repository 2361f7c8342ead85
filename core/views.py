"""Views of core: the health endpoint and the role-aware home page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
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
    """Recruiters and hiring managers: their open jobs and what waits for them. HR: HR."""
    if has_role(request.user, Role.RECRUITER, Role.HIRING_MANAGER):
        from recruiting import selectors

        new_count, new_applications = selectors.new_applicants(user=request.user)
        waiting_count, waiting_resumes = selectors.resumes_needing_attention(user=request.user)
        context = {
            "jobs": selectors.my_open_jobs(user=request.user),
            "new_count": new_count,
            "new_applications": new_applications,
            "waiting_count": waiting_count,
            "waiting_resumes": waiting_resumes,
        }
        return render(request, "home.html", context)
    if has_role(request.user, Role.HR_ADMIN):
        return redirect("hr:dashboard")
    return redirect("no_role")
