"""Audit entries for permission changes: a user's groups (roles), permissions and flags."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from audit.services import audit_record

from .middleware import current_user

User = get_user_model()
_FLAGS = ("is_superuser", "is_staff", "is_active")
_ACTIONS = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}


def _names(model: Any, pks: set[int] | None) -> list[str]:
    if not pks:
        return []
    field = "name" if hasattr(model, "name") else "codename"
    return sorted(model.objects.filter(pk__in=pks).values_list(field, flat=True))


def _record(user_id: Any, what: str, change: str, names: list[str]) -> None:
    audit_record(
        action="permission.changed",
        actor=current_user(),
        target_type=User._meta.label_lower,
        target_id=user_id,
        summary=f"{what} {change}: {', '.join(names) or '(all)'}"[:300],
        details={"user_id": user_id, "what": what, "change": change, "names": names},
    )


def _on_m2m(what: str, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any):
    if action not in _ACTIONS:
        return
    if not reverse:  # user.groups.add(group)
        _record(instance.pk, what, _ACTIONS[action], _names(model, pk_set))
        return
    # group.user_set.add(user): one entry per user whose roles changed
    label = str(getattr(instance, "name", None) or getattr(instance, "codename", ""))
    for user_id in sorted(pk_set or []):
        _record(user_id, what, _ACTIONS[action], [label])


@receiver(m2m_changed, sender=User.groups.through)
def groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kwargs: Any
) -> None:
    _on_m2m("groups", instance, action, reverse, model, pk_set)


@receiver(m2m_changed, sender=User.user_permissions.through)
def permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kwargs: Any
) -> None:
    _on_m2m("permissions", instance, action, reverse, model, pk_set)


@receiver(pre_save, sender=User)
def _remember_flags(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not set(update_fields) & set(_FLAGS))
    ):
        return
    old = sender.objects.filter(pk=instance.pk).values(*_FLAGS).first()
    instance._privacy_old_flags = old


@receiver(post_save, sender=User)
def flags_changed(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    old = getattr(instance, "_privacy_old_flags", None)
    if raw or created or not old:
        return
    instance._privacy_old_flags = None
    changed = [f"{f}={getattr(instance, f)}" for f in _FLAGS if old[f] != getattr(instance, f)]
    if changed:
        _record(instance.pk, "flags", "changed", changed)
