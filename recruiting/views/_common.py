"""What every recruiting portal page shares: who may open it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from core.errors import NotAllowed
from core.roles import Role, has_role


def portal_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and holding a portal role (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_role(request.user, Role.RECRUITER, Role.HIRING_MANAGER, Role.HR_ADMIN):
            raise NotAllowed("The recruiting portal is for recruiters and hiring managers.")
        return view(request, *args, **kwargs)

    return wrapper
