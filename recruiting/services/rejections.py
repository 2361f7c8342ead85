"""Rejecting with a standard reason (kept for analytics) and, if asked, the rejection e-mail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ..errors import InvalidRejection
from ..models import Application, EmailTemplate, OutboundEmail, RejectionReason
from .applications import application_move
from .emails import email_send

if TYPE_CHECKING:
    from core.roles import AnyUser


def rejection_reason_get(code: str) -> RejectionReason:
    try:
        return RejectionReason.objects.get(code=code, active=True)
    except RejectionReason.DoesNotExist:
        options = ", ".join(
            RejectionReason.objects.filter(active=True).values_list("code", flat=True)
        )
        raise InvalidRejection(
            f"'{code}' is not a rejection reason; use one of: {options}.", field="category"
        ) from None


@transaction.atomic
def application_reject_with_reason(
    *,
    application: Application,
    by: AnyUser,
    category: RejectionReason,
    details: str = "",
    note: str = "",
    email_template: EmailTemplate | None = None,
) -> tuple[Application, OutboundEmail | None]:
    """Reject with a standard reason (and the person's words), and queue the rejection
    e-mail from `email_template` in the same transaction: both happen or neither."""
    if not category.active:
        raise InvalidRejection(f"'{category}' is no longer offered as a reason.", field="category")
    if email_template is not None and email_template.kind != EmailTemplate.Kind.REJECTION:
        raise InvalidRejection(f"'{email_template}' is not a rejection e-mail.", field="template")
    details = " ".join((details or "").split())
    reason = f"{category.label}: {details}" if details else category.label
    application = application_move(
        application=application, to_stage="rejected", by=by, reason=reason, note=note
    )
    application.rejection_category = category
    application.save(update_fields=["rejection_category", "updated_at"])
    email = None
    if email_template is not None:
        email = email_send(application=application, template=email_template, by=by)
    return application, email
