"""Self-identification: the one-time form, and that its answers reach nobody but HR admins."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEntry
from core.errors import NotAllowed
from privacy.errors import InvitationInvalid
from privacy.models import SelfIdentification, SelfIdInvitation
from privacy.services import self_id_invitation_issue, self_identification_submit
from recruiting.models import Resume

from ..factories import CandidateFactory
from .conftest import SELF_ID_TEXTS

pytestmark = pytest.mark.django_db


def _token(url: str) -> str:
    return re.search(r"/self-id/([^/]+)/", url).group(1)


def test_recruiter_sends_invitation_and_candidate_answers_once(
    recruiter, client, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(email="ana@example.org")
    client.force_login(recruiter)
    url = reverse("privacy:self_id_invite", args=[candidate.pk])
    assert b"Send self-ID invitation" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail goes from a task
        response = client.post(url)
    assert response.status_code == 200
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    link = re.search(r"http\S+/self-id/\S+/", message.body).group(0)
    token = _token(link)
    assert token in response.content.decode()  # the recruiter may copy the link
    # Only a hash is stored.
    assert not SelfIdInvitation.objects.filter(token_hash=token).exists()

    client.logout()  # the candidate has no login
    form_url = f"/self-id/{token}/"
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"sex": "female", "race_ethnicity": "prefer_not_to_say"})
    assert response.status_code == 200 and b"Thank you" in response.content
    record = SelfIdentification.objects.get(candidate=candidate)
    assert record.groups() == {
        "sex": "female",
        "race_ethnicity": "prefer_not_to_say",
        "age_band": "unknown",
        "disability": "unknown",
        "veteran": "unknown",
    }
    entry = AuditEntry.objects.get(action="self_id.submitted")
    assert entry.details == {"answered": ["race_ethnicity", "sex"]}  # fields, not answers
    # One-time: the same link cannot be used again.
    assert client.get(form_url).status_code == 404
    assert client.post(form_url, {"sex": "male"}).status_code == 404
    assert SelfIdentification.objects.get(candidate=candidate).sex == "female"


def test_bad_answers_and_bad_tokens_are_refused(recruiter, client):
    candidate = CandidateFactory()
    issued = self_id_invitation_issue(candidate=candidate, by=recruiter)
    response = client.post(f"/self-id/{issued.token}/", {"sex": "robot"})
    assert response.status_code == 400
    with pytest.raises(InvitationInvalid):
        self_identification_submit(token=issued.token, answers={"religion": "x"})
    assert client.get("/self-id/not-a-token/").status_code == 404
    assert not SelfIdentification.objects.exists()


def test_hiring_manager_cannot_send_invitations(hiring_manager, client):
    candidate = CandidateFactory()
    with pytest.raises(NotAllowed):
        self_id_invitation_issue(candidate=candidate, by=hiring_manager)
    client.force_login(hiring_manager)
    assert client.post(reverse("privacy:self_id_invite", args=[candidate.pk])).status_code == 403


def test_answers_are_for_hr_admins_only(candidate, recruiter, hiring_manager, hr_admin, client):
    url = reverse("privacy:candidate_self_id", args=[candidate.pk])
    for user in (recruiter, hiring_manager):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(hr_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert b"Native Hawaiian or Other Pacific Islander" in response.content
    assert AuditEntry.objects.filter(action="self_id.viewed", actor=hr_admin).exists()


def _assert_no_self_id(content: bytes, where: str) -> None:
    text = content.decode()
    for value in SELF_ID_TEXTS:
        assert value.lower() not in text.lower(), f"{value!r} leaked into {where}"


def test_self_id_never_on_recruiter_or_hiring_manager_pages(
    candidate, job, recruiter, hiring_manager, client
):
    job.hiring_team.add(hiring_manager)
    pages = [
        reverse("recruiting:candidate_detail", args=[candidate.pk]),
        reverse("recruiting:job_detail", args=[job.pk]),
        reverse("recruiting:job_ranking", args=[job.pk]),
        reverse("recruiting:job_list"),
        reverse("privacy:self_id_invite", args=[candidate.pk]),
    ]
    for user in (recruiter, hiring_manager):
        client.force_login(user)
        seen = 0
        for url in pages:
            response = client.get(url)
            if response.status_code != 200:
                continue
            seen += 1
            _assert_no_self_id(response.content, f"{url} as {user.username}")
        assert seen >= 3, f"too few pages rendered for {user.username}"
    # The candidate page did render the candidate (so the check above looked at real content).
    client.force_login(recruiter)
    page = client.get(pages[0]).content.decode()
    assert "Python" in page


def _api_get_urls(ids: dict[str, int]) -> list[str]:
    """Every GET-able /api/v1/ URL with no argument or one `pk` we can fill."""
    urls = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                full = "/" + prefix + route
                if not full.startswith("/api/v1/") or "privacy" in full or "(?P" in full:
                    continue
                if "<" not in full:
                    urls.append(full)
                elif full.count("<") == 1 and "<int:pk>" in full:
                    for value in ids.values():
                        urls.append(full.replace("<int:pk>", str(value)))

    walk(get_resolver().url_patterns, "")
    return urls


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _recruiting_key_client(user):
    from rest_framework.test import APIClient

    from integrations.keys import api_key_create, integration_get_or_create

    integration = integration_get_or_create(user=user, name="ATS")
    _, text = api_key_create(
        integration=integration, scopes=["recruiting:read", "recruiting:write"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client


def test_self_id_never_in_recruiting_api_responses(candidate, job, recruiter, client):
    resume = Resume.objects.get(candidate=candidate)
    ids = {"candidate": candidate.pk, "resume": resume.pk, "job": job.pk}
    ids["application"] = candidate.applications.get().pk
    client.force_login(recruiter)
    for api in (_recruiting_key_client(recruiter), client):
        ok = 0
        for url in _api_get_urls(ids):
            response = api.get(url)
            if response.status_code == 200:
                ok += 1
                _assert_no_self_id(_body(response), url)
        assert ok >= 3  # jobs, candidates, resumes at least answered
        detail = api.get(f"/api/v1/candidates/{candidate.pk}/")
        assert detail.status_code == 200 and b"Quentin" in detail.content
        # The bias audit (aggregates of self-ID) refuses a recruiting key and a recruiter.
        assert api.get("/api/v1/privacy/bias-audit/").status_code == 403


def test_recruiting_never_imports_the_privacy_models():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for package in ("recruiting", "mlcore"):
        for path in (root / package).rglob("*.py"):
            source = path.read_text()
            assert "privacy" not in source.replace("privacy/", ""), f"{path} imports privacy"
