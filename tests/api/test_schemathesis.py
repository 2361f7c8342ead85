"""Schemathesis with every check it has over the whole API (issue 17), through its pytest
integration against the WSGI app, with an API key of every scope.

Every registered check runs on every answer (`--checks all`): no server error, the status,
content type, headers and body as the schema declares them, valid input accepted and
invalid input refused, a missing required header refused, an undeclared method answered 405
with an `Allow` header, and the same request without the key refused. Deterministic
(Hypothesis derandomized, no example database) and bounded (SCHEMATHESIS_MAX_EXAMPLES per
operation and mode, default 8), so it runs in about a minute.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from schemathesis.specs.openapi.checks import positive_data_acceptance  # registers them all

from .test_schema import keep_test_connection  # noqa: F401 (a fixture)

# Bounded so CI stays fast; SCHEMATHESIS_MAX_EXAMPLES raises it for a longer local run.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))
# A rule the schema cannot state (a candidate needs a name or an e-mail address, a job must be
# open to apply to, a file must be a resume) refuses valid-looking data with its own code, as
# the operation's description says; field validation (`invalid`) must match the schema.
RULE_STATUSES = frozenset({400, 410, 413, 415, 422})


def valid_data_accepted_or_refused_by_a_rule(ctx: Any, response: Any, case: Any) -> None:
    """positive_data_acceptance, where a documented rule's refusal is not the data's fault."""
    if case.meta.generation.mode.is_positive and response.status_code in RULE_STATUSES:
        error = response.json()["error"]
        assert error["code"] != "invalid", (
            f"Schema-valid data refused field by field ({response.status_code}): {error}"
        )
        return
    positive_data_acceptance(ctx, response, case)


ALL_CHECKS = [
    valid_data_accepted_or_refused_by_a_rule if check is positive_data_acceptance else check
    for check in CHECKS.get_all()
]


@pytest.fixture
def api_key(db: Any, keep_test_connection: None, settings: Any) -> str:  # noqa: F811
    from django.contrib.auth import get_user_model

    from integrations.keys import api_key_create, integration_get_or_create
    from tests.factories import ApplicationFactory, CandidateFactory, DepartmentFactory

    from .conftest import ALL_SCOPES

    settings.ALLOWED_HOSTS = ["*"]
    admin = get_user_model().objects.create_superuser("fuzz", "fuzz@example.com", "pw")
    integration = integration_get_or_create(user=admin, name="Fuzzer")
    _, key = api_key_create(integration=integration, scopes=ALL_SCOPES, rate_limit=1_000_000)
    # Objects for the path ids to find.
    ApplicationFactory(candidate=CandidateFactory(), job__department=None)
    DepartmentFactory()
    return key


def _served_schema() -> Any:
    """The schema as /api/schema/ serves it (read once, at collection; it needs no data)."""
    from config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        deterministic=True,
        database="none",
    )
    # The model endpoints are covered by tests/api/test_ml.py; fuzzing them would spend the
    # budget loading models.
    return schema.exclude(path_regex=r"^/api/v1/ml/")


schema = _served_schema()


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_check_passes(case: Any, api_key: str) -> None:
    assert len(ALL_CHECKS) == len(CHECKS.get_all()) >= 14
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"}, checks=ALL_CHECKS)
