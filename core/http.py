"""Request types for type hints: a request that went through django-htmx's middleware."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """`request.htmx` is set on every request by `django_htmx.middleware.HtmxMiddleware`."""

    htmx: HtmxDetails
