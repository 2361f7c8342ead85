"""The base of SmartHR's domain errors: a message a recruiter or HR admin can read, and how
a portal form shows one."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule said no. `code` is stable for API clients; the message is for people."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(PermissionDenied):
    """The user's role does not allow this action (HTTP 403)."""

    code = "permission_denied"

    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message)
        self.message = message


def show_form_error(form: forms.BaseForm, exc: DomainError) -> None:
    """A service's refusal, shown beside the field it is about (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
