"""The differencing attack on an open survey finds nothing: results appear once, at close.

The attack from the outside review: invite every department but one two-person team, read the
dashboard (10 responses, all 9s), invite the team, read again after one answer (11 responses,
one 0). Suppression protects one snapshot; two snapshots of an open survey gave the answer."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail

from hr import services
from hr.models import Question, Survey

from ..factories import DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"/s/([^/\s]+)/")


def _tokens_sent_to(emails: set[str]) -> list[str]:
    return [TOKEN.search(m.body).group(1) for m in mail.outbox if set(m.to) & emails]


def _read(client, survey, fmt="json", **params):
    return client.get(f"/hr/surveys/{survey.pk}/results.{fmt}", params)


def test_two_snapshots_of_an_open_survey_differ_only_in_the_count(
    client, hr_admin, django_capture_on_commit_callbacks
):
    big, team = DepartmentFactory(name="Everyone else"), DepartmentFactory(name="Two-person team")
    others = [EmployeeFactory(department=big, email=f"e{i}@example.com") for i in range(10)]
    pair = [EmployeeFactory(department=team, email=f"t{i}@example.com") for i in range(2)]
    survey = services.survey_create(by=hr_admin, title="Pulse", min_group_size=5)
    enps = services.question_add(by=hr_admin, survey=survey, kind=Question.Kind.ENPS, text="?")
    services.survey_open(by=hr_admin, survey=survey)
    client.force_login(hr_admin)

    with django_capture_on_commit_callbacks(execute=True):
        services.survey_invite(by=hr_admin, survey=survey, departments=[big])
    for token in _tokens_sent_to({e.email for e in others}):
        services.response_submit(token=token, answers={enps.pk: 9})
    before = _read(client, survey).json()

    with django_capture_on_commit_callbacks(execute=True):
        services.survey_invite(by=hr_admin, survey=survey, departments=[team])
    (first, _second) = _tokens_sent_to({e.email for e in pair})
    services.response_submit(token=first, answers={enps.pk: 0})
    after = _read(client, survey).json()

    assert before["overview"]["responses"] == 10 and after["overview"]["responses"] == 11
    # Everything but the count is the same: no figure of any answer in either snapshot.
    for snapshot in (before, after):
        assert snapshot["results_available"] is False
        assert all(q["suppressed"] for q in snapshot["questions"])
        assert "enps" not in snapshot["overview"]
    strip = {"overview", "survey"}
    assert {k: v for k, v in before.items() if k not in strip} == {
        k: v for k, v in after.items() if k not in strip
    }
    csv_text = _read(client, survey, fmt="csv").content.decode()
    assert "score" not in csv_text and "count:0" not in csv_text
    # Asking for the team's group while open is refused in words.
    refused = _read(client, survey, department=team.pk)
    assert refused.status_code == 400
    assert "appear when the survey closes" in json.dumps(refused.json())

    services.survey_close(by=hr_admin, survey=survey)
    closed = _read(client, survey).json()
    assert closed["results_available"] is True and closed["overview"]["responses"] == 11
    # The team's one answer is still a group of one: hidden in the one snapshot there is.
    team_view = _read(client, survey, department=team.pk).json()
    assert team_view["suppressed"] is True


def test_the_results_page_of_an_open_survey_says_when_results_come(client, hr_admin):
    survey = services.survey_create(by=hr_admin, title="Pulse", min_group_size=5)
    services.question_add(by=hr_admin, survey=survey, kind=Question.Kind.ENPS, text="?")
    services.survey_open(by=hr_admin, survey=survey)
    client.force_login(hr_admin)
    page = client.get(f"/hr/surveys/{survey.pk}/results/").content.decode()
    assert "Results appear when the survey closes" in page
    assert "hr-dashboard.js" not in page  # no charts to draw
    assert Survey.objects.get(pk=survey.pk).status == Survey.Status.OPEN
