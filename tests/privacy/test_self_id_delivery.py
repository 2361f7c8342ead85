"""The self-identification e-mail: after the commit, never an error when the broker is down,
and claimed before it is sent (a task delivered twice sends one e-mail)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail

from privacy.models import SelfIdInvitation
from privacy.services import self_id_invitation_issue
from privacy.services.selfid import self_id_invitation_send

from ..broker_faults import broker_down  # noqa: F401 - fixture
from ..factories import CandidateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_is_issued_when_the_broker_is_down(client, recruiter, broker_down):  # noqa: F811
    candidate = CandidateFactory(email="cand@example.com")
    client.force_login(recruiter)
    response = client.post(f"/privacy/candidates/{candidate.pk}/self-id/invite/")
    assert response.status_code in (200, 302)
    assert broker_down.refused == ["privacy.tasks.send_self_id_invitation"]
    assert SelfIdInvitation.objects.get().sent_at is None


def test_self_id_mail_is_claimed_before_it_is_sent(recruiter):
    candidate = CandidateFactory(email="cand@example.com")
    with mock.patch("privacy.services.selfid.enqueue_on_commit"):
        issued = self_id_invitation_issue(candidate=candidate, by=recruiter)
    pk = issued.invitation.pk
    seen = []

    def send(*args, **kwargs):
        seen.append(SelfIdInvitation.objects.filter(pk=pk, sent_at__isnull=False).exists())
        return 1

    with mock.patch("django.core.mail.send_mail", side_effect=send):
        for _ in range(2):  # delivered twice
            self_id_invitation_send(candidate_id=candidate.pk, url=issued.url, invitation_id=pk)
    assert seen == [True]


def test_self_id_mail_goes_once_after_the_commit(recruiter):
    candidate = CandidateFactory(email="cand@example.com")
    issued = self_id_invitation_issue(candidate=candidate, by=recruiter)
    assert len(mail.outbox) == 1 and issued.url in mail.outbox[0].body
    assert SelfIdInvitation.objects.get().sent_at is not None
