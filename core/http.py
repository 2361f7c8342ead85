"""Request types for type hints: a request that went through django-htmx's middleware, and
one behind `login_required`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class HtmxHttpRequest(HttpRequest):
    """`request.htmx` is set on every request by `django_htmx.middleware.HtmxMiddleware`."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required`: `request.user` is a signed-in `User`, so it can be
    passed where a service records who acted (`by: User`)."""

    user: User
