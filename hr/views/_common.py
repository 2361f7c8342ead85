"""What the HR admin pages share: who may open them, and a form page's status (400 with errors)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..permissions import ensure_hr_admin


def hr_admin_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and an HR admin (else 403), for GET too."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ensure_hr_admin(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def render_form(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)
