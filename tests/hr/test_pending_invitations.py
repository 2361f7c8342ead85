"""Survey links and answers when the broker is down: committed actions answer success, an
unsent link is issued afresh by the sweeper, and every link e-mail is claimed before it goes."""

from __future__ import annotations

import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail

from hr import services
from hr.models import Answer, Invitation, Response
from hr.services.surveys import invitation_send, invitations_resend_unsent, token_hash

from ..broker_faults import broker_down  # noqa: F401 - fixture
from .conftest import questions

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})/")
NOW = timedelta(0)


def test_invite_answers_success_when_the_broker_is_down_and_links_go_later(
    client,
    hr_admin,
    survey,
    org,
    broker_down,  # noqa: F811
):
    client.force_login(hr_admin)
    response = client.post(f"/hr/surveys/{survey.pk}/invite/", {"departments": [org["sales"].pk]})
    assert response.status_code == 302  # the invitations are committed: no 500
    assert broker_down.refused == ["hr.tasks.send_survey_link"]  # one try, then skipped
    assert Invitation.objects.filter(sent_at=None).count() == 2 and not mail.outbox

    broker_down.back()
    assert invitations_resend_unsent(older_than=timedelta(hours=1)) == 0  # not overdue
    assert invitations_resend_unsent(older_than=NOW) == 2
    assert invitations_resend_unsent(older_than=NOW) == 0  # sent: nothing pending
    assert sorted(m.to[0] for m in mail.outbox) == ["sales0@example.com", "sales1@example.com"]
    # The fresh link is the one stored: it opens the survey.
    token = LINK.search(mail.outbox[0].body).group(1)
    assert Invitation.objects.filter(token_hash=token_hash(token)).exists()
    assert client.get(f"/s/{token}/").status_code == 200


def test_answer_is_thanked_when_the_broker_is_down(client, hr_admin, survey, org, broker_down):  # noqa: F811
    broker_down.back()
    with mock.patch("hr.services.surveys.enqueue_on_commit"):
        services.survey_invite(by=hr_admin, survey=survey, departments=[org["sales"]])
    invitation = Invitation.objects.first()
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash("a-known-token-123"))
    broker_down.down()
    enps, likert, choice, text = questions(survey)
    answers = {
        f"q{enps.pk}": "8",
        f"q{likert.pk}": "5",
        f"q{choice.pk}": "Growth",
        f"q{text.pk}": "The new build pipeline saves me an hour a day.",
    }
    response = client.post("/s/a-known-token-123/", answers)
    assert response.status_code == 302 and response["Location"] == "/s/thanks/"
    assert broker_down.refused == ["hr.tasks.analyze_answers"]
    assert Response.objects.count() == 1 and Answer.objects.filter(question=text).exists()
    assert Invitation.objects.get(pk=invitation.pk).used


def _one_invitation(hr_admin, survey, org) -> tuple[Invitation, str]:
    with mock.patch("hr.services.surveys.enqueue_on_commit") as enqueue:
        services.survey_invite(by=hr_admin, survey=survey, departments=[org["sales"]])
    _task, pk, token = enqueue.call_args_list[0].args
    return Invitation.objects.get(pk=pk), token


def test_survey_link_is_claimed_before_it_is_sent(hr_admin, survey, org):
    invitation, token = _one_invitation(hr_admin, survey, org)
    seen = []

    def send(*args, **kwargs):
        seen.append(Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists())
        return 1

    with mock.patch("hr.services.surveys.send_mail", side_effect=send):
        assert invitation_send(invitation_id=invitation.pk, token=token) is True
        assert invitation_send(invitation_id=invitation.pk, token=token) is False
    assert seen == [True]


def test_a_failed_link_send_gives_the_claim_back(hr_admin, survey, org):
    invitation, token = _one_invitation(hr_admin, survey, org)
    refused = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with (
        mock.patch("hr.services.surveys.send_mail", side_effect=refused),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        invitation_send(invitation_id=invitation.pk, token=token)
    assert Invitation.objects.get(pk=invitation.pk).sent_at is None
    assert invitation_send(invitation_id=invitation.pk, token=token) is True
    assert len(mail.outbox) == 1
