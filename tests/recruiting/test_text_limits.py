"""Free text people type has a limit, said in words, on the portal and the API alike; nothing
too long is stored, and what was typed stays in the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.text import NOTE_MAX_CHARS
from recruiting import services
from recruiting.errors import InvalidScorecard
from recruiting.models import Note, Scorecard
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory

pytestmark = pytest.mark.django_db

LONG = "word " * 19_200  # 96,000 characters, as the outside check pasted


def test_a_96000_character_note_is_refused_on_the_page(client, recruiter):
    application = ApplicationFactory()
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:note_add", args=[application.candidate_id]), {"body": LONG}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"at most {NOTE_MAX_CHARS:,} characters; this one has 95,999" in html
    assert not Note.objects.exists()


def test_scorecard_comment_and_move_reason_have_the_same_limit(recruiter):
    application = ApplicationFactory(stage=Stage.SCREENING)
    with pytest.raises(InvalidScorecard, match="A comment can be at most"):
        services.scorecard_submit(
            application=application, by=recruiter, recommendation="yes", comment=LONG
        )
    with pytest.raises(Exception, match="A reason can be at most"):
        services.application_move(
            application=application, to_stage=Stage.REJECTED, by=recruiter, reason=LONG
        )
    assert not Scorecard.objects.exists()
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


def test_the_api_refuses_a_long_note_in_the_error_body(recruiter_api_client):
    application = ApplicationFactory()
    response = recruiter_api_client.post(
        f"/api/v1/candidates/{application.candidate_id}/notes/", {"body": LONG}, format="json"
    )
    assert response.status_code == 400
    assert "error" in response.json()
    assert not Note.objects.exists()


@pytest.fixture
def recruiter_api_client(recruiter):
    from rest_framework.test import APIClient

    from integrations.keys import api_key_create, integration_get_or_create

    integration = integration_get_or_create(user=recruiter, name="ATS")
    _key, text = api_key_create(integration=integration, scopes=["recruiting:write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {text}")
    return client
