"""The OpenAPI schema: generated without warnings and served with local docs. Schemathesis
fuzzes it with every check in tests/api/test_schemathesis.py."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any warning or error of drf-spectacular into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/applications/{id}/advance/" in text and "apiKey" in text


def test_docs_page_uses_local_assets():
    client = APIClient()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert client.get("/api/redoc/").status_code == 200


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's database connection at the end
    of each request (as a server does); Django's own test client switches that off too."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
