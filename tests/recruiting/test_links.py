"""Candidate links: only http, https and mailto are stored or rendered as links (stored XSS),
and every page goes out with a Content-Security-Policy that allows no inline script."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from recruiting import services
from recruiting.links import UnsafeLink, clean_link
from recruiting.models import Candidate

from ..factories import ApplicationFactory, CandidateFactory

pytestmark = pytest.mark.django_db

ATTACKS = [
    "javascript:fetch('/privacy/audit.csv')",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_rule_refuses_script_links(attack):
    with pytest.raises(UnsafeLink, match="http://, https:// or mailto:"):
        clean_link(attack)


def test_the_rule_keeps_web_and_mail_links():
    assert clean_link("https://github.com/ana") == "https://github.com/ana"
    assert clean_link("github.com/ana") == "https://github.com/ana"
    assert clean_link("mailto:ana@example.com") == "mailto:ana@example.com"


def test_profile_form_refuses_a_script_link(client, recruiter):
    candidate = CandidateFactory(links=["https://ana.dev"])
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:candidate_profile_edit", args=[candidate.pk]),
        {"full_name": candidate.full_name, "links": "javascript:fetch('/privacy/audit.csv')"},
    )
    assert response.status_code == 400
    assert "links must start with http://, https:// or mailto:" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.links == ["https://ana.dev"]


def test_parsed_links_keep_only_safe_ones():
    candidate = CandidateFactory(links=[])
    services.candidate_fill_from_parse(
        candidate=candidate, parsed={"links": ["github.com/lee", "javascript:alert(1)"]}
    )
    candidate.refresh_from_db()
    assert candidate.links == ["https://github.com/lee"]


def test_a_link_stored_before_the_rule_is_never_an_href(client, recruiter, hr_admin):
    application = ApplicationFactory()
    Candidate.objects.filter(pk=application.candidate_id).update(
        links=["javascript:fetch('/privacy/audit.csv')", "https://ok.example"]
    )
    for user in (recruiter, hr_admin):
        client.force_login(user)
        html = client.get(
            reverse("recruiting:candidate_detail", args=[application.candidate_id])
        ).content.decode()
        assert 'href="javascript:' not in html.lower()
        assert 'href="https://ok.example"' in html


def test_the_migration_drops_stored_script_links():
    candidate = CandidateFactory()
    Candidate.objects.filter(pk=candidate.pk).update(
        links=["javascript:alert(1)", "github.com/ana", "https://ana.dev"]
    )
    migration = importlib.import_module("recruiting.migrations.0010_candidate_links_safe")
    migration.drop_unsafe_links(apps, None)
    candidate.refresh_from_db()
    assert candidate.links == ["https://github.com/ana", "https://ana.dev"]


def test_pages_send_a_policy_without_inline_script(client, recruiter):
    client.force_login(recruiter)
    for url in ("/", "/jobs/", "/login/", "/api/docs/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url


def test_api_docs_load_their_script_from_a_file(client, recruiter):
    client.force_login(recruiter)
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html.replace(" ", "")
