"""Small things a new user tripped over: a favicon, empty lists that read as empty, an erase
button that does not look like export."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from ..factories import ApplicationFactory, CandidateFactory

pytestmark = pytest.mark.django_db


def test_every_page_names_a_favicon_that_is_served(client, recruiter):
    client.force_login(recruiter)
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert finders.find("favicon.svg")


def test_empty_ranking_lists_say_so_without_a_number(client, recruiter):
    application = ApplicationFactory()
    client.force_login(recruiter)
    html = client.get(reverse("recruiting:job_ranking", args=[application.job_id])).content
    text = html.decode()
    assert '<p class="empty">No other candidates with a parsed resume yet.</p>' in text
    assert "<li>No other candidates" not in text and "<li>No employees" not in text


def test_erase_looks_dangerous(client, hr_admin):
    candidate = CandidateFactory()
    client.force_login(hr_admin)
    html = client.get(f"/privacy/candidates/{candidate.pk}/").content.decode()
    assert '<button type="submit" class="danger">Erase candidate</button>' in html
    with open(finders.find("css/app.css")) as css:
        assert "button.danger" in css.read()
