"""The OpenAPI schema: generated without warnings, served with local docs, and fuzzed with
Schemathesis against the app (no server error, every answer matching the schema)."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from integrations.keys import api_key_create, integration_get_or_create
from tests.factories import ApplicationFactory, CandidateFactory, DepartmentFactory

from .conftest import ALL_SCOPES

pytestmark = pytest.mark.django_db

# Bounded so CI stays fast; SCHEMATHESIS_MAX_EXAMPLES raises it for a longer local run.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))


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


@pytest.mark.fuzz
@pytest.mark.usefixtures("keep_test_connection")
def test_schemathesis_finds_no_server_error_or_schema_violation(settings):
    import schemathesis
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hsettings
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
    )

    from config.wsgi import application

    settings.ALLOWED_HOSTS = ["*"]
    admin = get_user_model().objects.create_superuser("fuzz", "fuzz@example.com", "pw")
    integration = integration_get_or_create(user=admin, name="Fuzzer")
    _, key = api_key_create(integration=integration, scopes=ALL_SCOPES, rate_limit=1_000_000)
    # Something for the path ids to find.
    application_ = ApplicationFactory(candidate=CandidateFactory(), job__department=None)
    DepartmentFactory()
    assert application_.pk

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    # The model endpoints are covered by tests/api/test_ml.py; fuzzing them would spend the
    # example budget loading models.
    schema = schema.exclude(path_regex=r"^/api/v1/ml/")
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    failures: list[str] = []
    calls: list[int] = []
    ran = 0

    def fuzz(operation, mode):
        @given(case=operation.as_strategy(generation_mode=mode))
        @hsettings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {key}"})
            calls.append(response.status_code)
            case.validate_response(response, checks=checks)

        return run

    for result in schema.get_all_operations():
        operation = result.ok()
        # Valid requests, and invalid ones (which must get a 4xx, never a 500).
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode)()
            except Exception as exc:  # collect every operation's failure, then report all
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:1500]}")
        ran += 1
    assert ran > 20
    assert len(calls) > ran and any(200 <= c < 300 for c in calls)
    assert not failures, "\n\n".join(failures)
