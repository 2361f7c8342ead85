"""API keys: bearer auth, scopes, revocation, the audit trail, the rate limit."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from audit.models import AuditEntry
from integrations.keys import api_key_revoke
from integrations.models import ApiKey

pytestmark = pytest.mark.django_db

JOBS = "/api/v1/jobs/"


def test_a_valid_key_acts_as_its_user(recruiter_api, recruiter):
    response = recruiter_api.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["user"] == recruiter.username


def test_no_credentials_is_401_with_the_error_shape():
    response = APIClient().get(JOBS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()["error"]) == {"code", "message", "fields"}


@pytest.mark.parametrize("token", ["nonsense", "shr_abcd_wrong", "shr__", "Bearer x"])
def test_a_bad_key_is_401(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.get(JOBS)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_the_secret_is_stored_hashed_only(recruiter_api):
    key = ApiKey.objects.get(pk=recruiter_api.key.pk)
    secret = recruiter_api.key_text.split("_", 2)[2]
    assert secret not in key.secret_hash
    assert len(key.secret_hash) == 64


def test_a_revoked_key_stops_working(recruiter_api, recruiter):
    assert recruiter_api.get(JOBS).status_code == 200
    api_key_revoke(key=recruiter_api.key, by=recruiter)
    assert recruiter_api.get(JOBS).status_code == 401
    assert AuditEntry.objects.filter(action="api_key.revoked").count() == 1


def test_a_key_without_the_scope_is_refused(make_client, recruiter):
    client = make_client(recruiter, scopes=["recruiting:read"])
    assert client.get(JOBS).status_code == 200
    response = client.post(JOBS, {"title": "Data Engineer"}, format="json")
    assert response.status_code == 403
    assert "recruiting:write" in response.json()["error"]["message"]


def test_ml_scope_does_not_open_recruiting(make_client, recruiter):
    client = make_client(recruiter, scopes=["ml:invoke"])
    assert client.get(JOBS).status_code == 403


def test_use_is_audited_once_per_minute_and_entries_name_the_key(recruiter_api):
    for _ in range(3):
        assert recruiter_api.get(JOBS).status_code == 200
    used = AuditEntry.objects.filter(action="api_key.used")
    assert used.count() == 1
    assert used.get().api_key_id == str(recruiter_api.key.pk)
    assert used.get().via == "api"


def test_writes_are_attributed_to_the_keys_user(recruiter_api, recruiter):
    from tests.factories import CandidateFactory, JobFactory

    job, candidate = JobFactory(), CandidateFactory()
    response = recruiter_api.post(
        "/api/v1/applications/", {"candidate": candidate.pk, "job": job.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    entry = AuditEntry.objects.get(action="application.created")
    assert entry.actor == recruiter
    assert entry.api_key_id == str(recruiter_api.key.pk)


def test_rate_limit_answers_429_with_retry_after(make_client, recruiter):
    client = make_client(recruiter, rate_limit=2)
    assert client.get(JOBS).status_code == 200
    assert client.get(JOBS).status_code == 200
    response = client.get(JOBS)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "throttled"


def test_the_session_still_works_for_the_portal(recruiter):
    client = APIClient()
    client.force_login(recruiter)
    assert client.get(JOBS).status_code == 200


def test_create_api_key_command_prints_a_working_key_once(recruiter, capsys):
    call_command(
        "create_api_key",
        user=recruiter.username,
        integration="Greenhouse",
        scopes="recruiting:read",
    )
    text = capsys.readouterr().out.strip()
    assert text.startswith("shr_")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    assert client.get(JOBS).status_code == 200
    assert AuditEntry.objects.filter(action="api_key.created", via="command").exists()


def test_create_api_key_command_refuses_an_unknown_scope(recruiter):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown scope"):
        call_command(
            "create_api_key", user=recruiter.username, integration="X", scopes="everything"
        )


def test_admin_creates_a_key_shows_it_once_and_revokes(client, recruiter):
    from django.contrib.auth import get_user_model

    from integrations.keys import integration_get_or_create

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    integration = integration_get_or_create(user=recruiter, name="Lever")
    response = client.post(
        "/admin/integrations/apikey/add/",
        {"integration": integration.pk, "name": "prod", "scopes": '["recruiting:read"]'},
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    text = next(m for m in shown if "shr_" in m).split("The new key is ")[1].split(" ")[0]
    key = ApiKey.objects.get()
    assert text.startswith(f"shr_{key.prefix}_")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    assert api.get(JOBS).status_code == 200
    client.post(
        "/admin/integrations/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    assert api.get(JOBS).status_code == 401
