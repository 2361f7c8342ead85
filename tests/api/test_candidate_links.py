"""The API refuses candidate links that are not http, https or mailto (stored XSS)."""

from __future__ import annotations

import pytest

from recruiting.models import Candidate

from ..factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_api_refuses_a_script_link(recruiter_api):
    candidate = CandidateFactory()
    url = f"/api/v1/candidates/{candidate.pk}/"
    response = recruiter_api.patch(
        url, {"links": ["javascript:fetch('/privacy/audit.csv')"]}, format="json"
    )
    assert 400 <= response.status_code < 500
    assert "mailto" in response.json()["error"]["message"]
    created = recruiter_api.post(
        "/api/v1/candidates/", {"full_name": "Lee", "links": ["JaVaScRiPt:alert(1)"]}, format="json"
    )
    assert 400 <= created.status_code < 500
    assert not Candidate.objects.filter(full_name="Lee").exists()
    candidate.refresh_from_db()
    assert candidate.links == []
