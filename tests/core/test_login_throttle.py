"""Password guessing is throttled: sign-in locks per username and per address (django-axes)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"  # tests.factories.UserFactory
LIMIT = 5


@pytest.fixture(autouse=True)
def axes_on(settings):
    """The test settings switch axes off for Client.login(); here it runs as in production."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.TRUSTED_PROXY_COUNT = 0


def _sign_in(
    username: str, password: str, *, ip: str = "127.0.0.1", path: str = "/login/", **extra
):
    client = Client()
    response = client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )
    return client, response


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _assert_locked(client: Client, response) -> None:
    assert response.status_code == 429, response.status_code
    assert not _signed_in(client)
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert "15 minutes" in page  # how long
    assert "axes_reset_username" in page and "Admin" in page  # who can unlock, and how


def test_the_production_settings_turn_the_throttle_on():
    import config.settings as production

    assert getattr(production, "AXES_ENABLED", True) is True
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert production.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert production.AXES_FAILURE_LIMIT == LIMIT
    assert production.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_25_wrong_passwords_then_the_right_one_is_refused():
    user = UserFactory(roles=[Role.RECRUITER])
    for _ in range(25):
        _sign_in(user.username, "wrong")
    client, response = _sign_in(user.username, PASSWORD)
    _assert_locked(client, response)


def test_the_lock_comes_at_the_limit_not_before():
    user = UserFactory(roles=[Role.RECRUITER])
    for _ in range(LIMIT - 1):
        _, response = _sign_in(user.username, "wrong")
        assert response.status_code == 200  # the form again, with its error
    client, response = _sign_in(user.username, PASSWORD)
    assert response.status_code == 302 and _signed_in(client)
    _sign_in(user.username, "wrong")  # the limit-th failure (a success does not reset them)
    _assert_locked(*_sign_in(user.username, PASSWORD))


def test_one_username_is_locked_whatever_the_address():
    user = UserFactory(roles=[Role.RECRUITER])
    for n in range(LIMIT):
        _sign_in(user.username, "wrong", ip=f"198.51.100.{n + 1}")
    _assert_locked(*_sign_in(user.username, PASSWORD, ip="192.0.2.77"))
    other = UserFactory(roles=[Role.RECRUITER])  # others are not affected
    client, response = _sign_in(other.username, PASSWORD, ip="192.0.2.77")
    assert response.status_code == 302 and _signed_in(client)


def test_one_address_is_locked_whatever_the_username():
    for n in range(LIMIT):
        _sign_in(f"guess{n}", "wrong", ip="203.0.113.7")
    user = UserFactory(roles=[Role.RECRUITER])
    _assert_locked(*_sign_in(user.username, PASSWORD, ip="203.0.113.7"))
    client, response = _sign_in(user.username, PASSWORD, ip="198.51.100.9")
    assert response.status_code == 302 and _signed_in(client)


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings):
    """X-Forwarded-For's left part is the client's to write: only the proxy's entry counts."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(LIMIT):
        _sign_in(
            f"guess{n}",
            "wrong",
            ip="10.0.0.2",  # the load balancer
            HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.7",
        )
    user = UserFactory(roles=[Role.RECRUITER])
    _assert_locked(
        *_sign_in(user.username, PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    )
    # Another client behind the same balancer is not locked out with the guesser.
    client, response = _sign_in(
        user.username, PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.3"
    )
    assert response.status_code == 302 and _signed_in(client)


def test_the_reset_command_unlocks_a_username():
    user = UserFactory(roles=[Role.RECRUITER])
    for _ in range(LIMIT):
        _sign_in(user.username, "wrong")
    call_command("axes_reset_username", user.username)
    client, response = _sign_in(user.username, PASSWORD)
    assert response.status_code == 302 and _signed_in(client)


def test_an_administrator_unlocks_in_the_admin():
    from axes.models import AccessAttempt

    user = UserFactory(roles=[Role.HR_ADMIN])
    for n in range(LIMIT):
        _sign_in(user.username, "wrong", ip=f"198.51.100.{n + 1}")
    assert AccessAttempt.objects.filter(username=user.username).exists()
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert staff.get(changelist).status_code == 200
    pks = list(AccessAttempt.objects.filter(username=user.username).values_list("pk", flat=True))
    response = staff.post(
        changelist, {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    client, response = _sign_in(user.username, PASSWORD, ip="198.51.100.1")
    assert response.status_code == 302 and _signed_in(client)


def test_the_admin_login_is_throttled_too():
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(25):
        _sign_in(staff.username, "wrong", path="/admin/login/")
    _assert_locked(*_sign_in(staff.username, PASSWORD, path="/admin/login/"))
    # and the lock holds on the portal's sign-in as well
    _assert_locked(*_sign_in(staff.username, PASSWORD))


def test_api_keys_are_not_affected_by_a_locked_sign_in():
    from integrations.keys import api_key_create, integration_get_or_create

    user = UserFactory(roles=[Role.RECRUITER])
    for _ in range(LIMIT):
        _sign_in(user.username, "wrong")
    _assert_locked(*_sign_in(user.username, PASSWORD))
    integration = integration_get_or_create(user=user, name="ATS")
    _, text = api_key_create(integration=integration, scopes=["recruiting:read"])
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {text}")
    assert response.status_code == 200


def test_client_login_works_in_other_tests(settings):
    """The test settings keep Client.login() usable (it passes no request to authenticate)."""
    settings.AXES_ENABLED = False
    user = UserFactory(roles=[Role.RECRUITER])
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
