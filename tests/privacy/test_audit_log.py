"""The audit log viewer (HR admins, read-only) and permission changes in the log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse

from audit.models import AuditEntry
from audit.services import audit_record
from core.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_viewer_is_for_hr_admins_only(recruiter, hiring_manager, no_role_user, client):
    for user in (recruiter, hiring_manager, no_role_user):
        client.force_login(user)
        assert client.get(reverse("privacy:audit_log")).status_code == 403
        assert client.get(reverse("privacy:audit_log_csv")).status_code == 403
    client.logout()
    assert client.get(reverse("privacy:audit_log")).status_code == 302  # to login


def test_viewer_filters_and_pages(hr_admin, recruiter, client):
    for i in range(60):
        audit_record(action="api_key.used", actor=recruiter, target_type="key", target_id=i)
    audit_record(action="candidate.exported", actor=hr_admin, target_type="c", target_id=7)
    client.force_login(hr_admin)
    page = client.get(reverse("privacy:audit_log"))
    assert page.status_code == 200
    assert "Page 1 of 2" in page.content.decode()
    filtered = client.get(reverse("privacy:audit_log"), {"action": "candidate.exported"})
    body = filtered.content.decode()
    assert "candidate.exported" in body and "api_key.used</td>" not in body
    by_actor = client.get(reverse("privacy:audit_log"), {"actor": recruiter.username, "page": 2})
    assert "Page 2 of 2" in by_actor.content.decode()
    csv = client.get(reverse("privacy:audit_log_csv"), {"target_type": "c", "target_id": "7"})
    lines = csv.content.decode().strip().splitlines()
    assert len(lines) == 2 and "candidate.exported" in lines[1]


def test_no_edit_or_delete_routes(hr_admin, client):
    entry = audit_record(action="candidate.exported", actor=hr_admin)
    for name in ("audit_entry_edit", "audit_entry_delete", "audit_edit", "audit_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"privacy:{name}", args=[entry.pk])
    client.force_login(hr_admin)
    # The viewer itself refuses writes.
    for method in (client.post, client.put, client.delete):
        response = method(reverse("privacy:audit_log"), {"id": entry.pk})
        assert response.status_code in (403, 405)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_group_changes_are_recorded_with_who(hr_admin, client):
    user = UserFactory()
    recruiter_group, _ = Group.objects.get_or_create(name=Role.RECRUITER.value)
    user.groups.add(recruiter_group)
    entry = AuditEntry.objects.filter(action="permission.changed", target_id=str(user.pk)).first()
    assert entry.details == {
        "user_id": user.pk,
        "what": "groups",
        "change": "added",
        "names": ["recruiter"],
    }
    recruiter_group.user_set.remove(user)  # from the other side
    removed = AuditEntry.objects.filter(action="permission.changed", target_id=str(user.pk))
    assert removed.first().details["change"] == "removed"
    # Through the admin: the signed-in user is the actor, with the request's address.
    hr_admin.is_staff = hr_admin.is_superuser = True
    hr_admin.save()
    client.force_login(hr_admin)
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "groups": [recruiter_group.pk],
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    last = AuditEntry.objects.filter(action="permission.changed", target_id=str(user.pk)).first()
    assert last.actor == hr_admin and last.via == "portal" and last.ip == "127.0.0.1"


def test_superuser_flag_change_is_recorded():
    user = UserFactory()
    user.is_superuser = True
    user.save()
    entry = AuditEntry.objects.filter(action="permission.changed", target_id=str(user.pk)).first()
    assert entry.details["names"] == ["is_superuser=True"]
