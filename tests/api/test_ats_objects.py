"""The objects an ATS integrator expects (issue 17): rejecting with a standard reason's id,
the users, the sources, a candidate's tags, and erasing or anonymising a candidate."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from core.roles import Role
from recruiting.models import Application, Candidate, RejectionReason, StageEvent
from recruiting.pipeline import Stage
from tests.factories import ApplicationFactory, CandidateFactory, JobFactory, UserFactory

from .test_interviews_api import _check_against_schema

pytestmark = pytest.mark.django_db


# --- reject with a standard reason's id -------------------------------------------------


def test_reject_takes_a_rejection_reason_id_and_a_note(recruiter_api, recruiter):
    application = ApplicationFactory(stage=Stage.SCREENING)
    filled = RejectionReason.objects.get(code="position_filled")
    response = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/reject/",
        {"rejection_reason_id": filled.pk, "reason": "hired internally", "note": "Call them"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "rejected" and body["rejection_reason_id"] == filled.pk
    assert body["rejection_reason"] == f"{filled.label}: hired internally"
    application.refresh_from_db()
    assert application.rejection_category == filled  # counted in the analytics
    event = StageEvent.objects.filter(application=application).last()
    assert event.by == recruiter and event.note.endswith("Call them")
    listed = recruiter_api.get(f"/api/v1/applications/?candidate={application.candidate_id}")
    assert listed.json()["results"][0]["rejection_reason_id"] == filled.pk


def test_an_unknown_or_archived_reason_id_is_a_clear_400(recruiter_api):
    application = ApplicationFactory(stage=Stage.SCREENING)
    url = f"/api/v1/applications/{application.pk}/reject/"
    unknown = recruiter_api.post(url, {"rejection_reason_id": 999_999}, format="json")
    assert unknown.status_code == 400
    error = unknown.json()["error"]
    assert error["code"] == "invalid_rejection"
    assert list(error["fields"]) == ["rejection_reason_id"]
    assert "There is no reason 999999" in error["message"]
    assert "GET /rejection-reasons/" in error["message"]
    archived = RejectionReason.objects.get(code="no_response")
    archived.active = False
    archived.save()
    refused = recruiter_api.post(url, {"rejection_reason_id": archived.pk}, format="json")
    assert refused.status_code == 400
    assert "'no_response' is archived" in refused.json()["error"]["message"]
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING  # nothing moved


def test_reject_without_an_id_still_takes_free_text_and_needs_it(recruiter_api):
    application = ApplicationFactory(stage=Stage.SCREENING)
    url = f"/api/v1/applications/{application.pk}/reject/"
    empty = recruiter_api.post(url, {}, format="json")
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "reason_required"
    assert list(empty.json()["error"]["fields"]) == ["reason"]
    done = recruiter_api.post(url, {"reason": "Not a fit"}, format="json")
    assert done.status_code == 200
    assert done.json()["rejection_reason"] == "Not a fit"
    assert done.json()["rejection_reason_id"] is None
    assert Application.objects.get(pk=application.pk).rejection_category is None


def test_a_closed_application_is_not_rejected_by_id(recruiter_api):
    application = ApplicationFactory(stage=Stage.HIRED)
    filled = RejectionReason.objects.get(code="position_filled")
    response = recruiter_api.post(
        f"/api/v1/applications/{application.pk}/reject/",
        {"rejection_reason_id": filled.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_transition"


# --- users ------------------------------------------------------------------------------


def test_users_lists_the_people_who_recruit_with_their_roles(
    recruiter_api, recruiter, hiring_manager, hr_admin, no_role_user, django_assert_max_num_queries
):
    gone = UserFactory(roles=[Role.RECRUITER], is_active=False)
    both = UserFactory(roles=[Role.RECRUITER, Role.HIRING_MANAGER])
    for _ in range(5):
        UserFactory(roles=[Role.HIRING_MANAGER])
    with django_assert_max_num_queries(8):  # not one per user
        body = recruiter_api.get("/api/v1/users/").json()
    _check_against_schema("/api/v1/users/", body)
    rows = {u["id"]: u for u in body["results"]}
    assert no_role_user.pk not in rows  # no role, not a recruiting user
    assert rows[recruiter.pk]["roles"] == ["recruiter"]
    assert rows[recruiter.pk]["email"] == recruiter.email
    assert rows[recruiter.pk]["name"] == recruiter.get_full_name()
    assert rows[hr_admin.pk]["roles"] == ["hr_admin"]
    assert rows[both.pk]["roles"] == ["recruiter", "hiring_manager"]
    assert rows[gone.pk]["active"] is False and rows[hiring_manager.pk]["active"] is True
    managers = recruiter_api.get("/api/v1/users/?role=hiring_manager&active=true").json()
    ids = {u["id"] for u in managers["results"]}
    assert hiring_manager.pk in ids and both.pk in ids
    assert recruiter.pk not in ids and gone.pk not in ids


def test_a_hiring_manager_sees_users_without_e_mail_addresses(manager_api, recruiter):
    body = manager_api.get("/api/v1/users/").json()
    assert body["results"] and {u["email"] for u in body["results"]} == {""}
    assert recruiter.pk in {u["id"] for u in body["results"]}


def test_users_need_a_role_and_the_read_scope(make_client, no_role_user, recruiter):
    refused = make_client(no_role_user).get("/api/v1/users/")
    assert refused.status_code == 403
    assert "Only recruiters, hiring managers and HR admins" in refused.json()["error"]["message"]
    assert make_client(recruiter, scopes=["hr:read"]).get("/api/v1/users/").status_code == 403
    bad = make_client(recruiter).get("/api/v1/users/?role=boss")
    assert bad.status_code == 400 and "role" in bad.json()["error"]["fields"]
    null = make_client(recruiter).get("/api/v1/users/?active=null")  # was read as no filter
    assert null.status_code == 400
    assert null.json()["error"]["fields"]["active"] == ["Give true or false."]
    inactive = make_client(recruiter).get("/api/v1/users/?active=false").json()["results"]
    assert inactive == []


# --- sources ----------------------------------------------------------------------------


def test_sources_are_those_the_analytics_count(recruiter_api, manager_api, hiring_manager):
    mine = JobFactory(owner=hiring_manager)
    ApplicationFactory(job=mine, source="LinkedIn")
    ApplicationFactory(source="Referral")
    ApplicationFactory(source="", candidate=CandidateFactory(source="Career site"))
    ApplicationFactory(source="")  # no source at all: not listed
    body = recruiter_api.get("/api/v1/sources/").json()
    assert body == [{"name": "Career site"}, {"name": "LinkedIn"}, {"name": "Referral"}]
    analytics = recruiter_api.get("/api/v1/analytics/recruiting/?source=Referral")
    assert analytics.status_code == 200
    # A hiring manager: the sources of their jobs' applications only.
    assert manager_api.get("/api/v1/sources/").json() == [{"name": "LinkedIn"}]


# --- tags -------------------------------------------------------------------------------


def test_tags_are_added_and_removed_through_the_service(recruiter_api, recruiter):
    candidate = CandidateFactory(tags=["Python"])
    url = f"/api/v1/candidates/{candidate.pk}/tags/"
    body = recruiter_api.get(url).json()
    _check_against_schema("/api/v1/candidates/{id}/tags/", body)
    assert body == {"candidate": candidate.pk, "tags": ["Python"]}
    added = recruiter_api.post(
        url, {"tags": ["  senior   dev ", "python", "Remote"]}, format="json"
    )
    assert added.status_code == 200, added.json()
    assert added.json()["tags"] == ["Python", "senior dev", "Remote"]
    edit = AuditEntry.objects.filter(action="candidate.profile_edited").last()
    assert edit.details == {"fields": ["tags"], "added": 2} and edit.actor == recruiter
    removed = recruiter_api.post(f"{url}remove/", {"tags": ["PYTHON", "never had"]}, format="json")
    assert removed.status_code == 200
    assert removed.json()["tags"] == ["senior dev", "Remote"]
    assert Candidate.objects.get(pk=candidate.pk).tags == ["senior dev", "Remote"]
    again = recruiter_api.post(f"{url}remove/", {"tags": ["python"]}, format="json")
    assert again.status_code == 200 and again.json()["tags"] == ["senior dev", "Remote"]
    listed = recruiter_api.get(f"/api/v1/candidates/{candidate.pk}/").json()
    assert listed["tags"] == ["senior dev", "Remote"]


def test_tags_have_limits_with_clear_messages(recruiter_api):
    candidate = CandidateFactory(tags=[f"t{i}" for i in range(99)])
    url = f"/api/v1/candidates/{candidate.pk}/tags/"
    over = recruiter_api.post(url, {"tags": ["a", "b"]}, format="json")
    assert over.status_code == 400
    assert over.json()["error"]["code"] == "invalid_candidate"
    assert "at most 100 tags; they have 99, so 1 more at most" in over.json()["error"]["message"]
    empty = recruiter_api.post(url, {"tags": []}, format="json")
    assert empty.status_code == 400 and "tags" in empty.json()["error"]["fields"]


def test_only_recruiters_tag_and_an_unseen_candidate_is_404(manager_api, hiring_manager):
    mine = ApplicationFactory(job=JobFactory(owner=hiring_manager)).candidate
    other = CandidateFactory()
    assert manager_api.get(f"/api/v1/candidates/{mine.pk}/tags/").status_code == 200
    refused = manager_api.post(
        f"/api/v1/candidates/{mine.pk}/tags/", {"tags": ["x"]}, format="json"
    )
    assert refused.status_code == 403
    assert "Only recruiters" in refused.json()["error"]["message"]
    unseen = manager_api.post(
        f"/api/v1/candidates/{other.pk}/tags/", {"tags": ["x"]}, format="json"
    )
    assert unseen.status_code == 404
    assert Candidate.objects.get(pk=mine.pk).tags == []


# --- erase and anonymise (GDPR) ---------------------------------------------------------


def test_an_hr_admin_key_erases_a_candidate_with_audit_and_tombstone(hr_api, hr_admin):
    application = ApplicationFactory(external_id="ats-1", rejection_reason="Zqelina was late")
    candidate = application.candidate
    response = hr_api.post(
        f"/api/v1/privacy/candidates/{candidate.pk}/erase/",
        {"reason": "Request #4711"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["candidate"] == candidate.pk and body["kind"] == "erased"
    assert body["reason"] == "Request #4711" and body["by"] == hr_admin.pk
    assert "full_name" in body["removed"]["profile_fields"]
    candidate.refresh_from_db()
    assert candidate.full_name == "" and candidate.email == ""
    application.refresh_from_db()
    assert application.rejection_reason == "" and application.external_id == ""
    entry = AuditEntry.objects.get(action="candidate.erased")
    assert entry.actor == hr_admin and entry.via == "api"
    assert entry.api_key_id == str(hr_api.key.pk)
    deletions = hr_api.get("/api/v1/deletions/").json()["results"]
    assert {"object_type": "candidate", "object_id": candidate.pk, "kind": "erased"}.items() <= (
        deletions[0].items()
    )
    again = hr_api.post(
        f"/api/v1/privacy/candidates/{candidate.pk}/erase/", {"reason": "twice"}, format="json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_erased"


def test_anonymise_records_the_reason_and_the_tombstone(hr_api, hr_admin):
    candidate = CandidateFactory()
    url = f"/api/v1/privacy/candidates/{candidate.pk}/anonymise/"
    response = hr_api.post(url, {"reason": "ATS retention: 2 years"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["kind"] == "anonymised"
    assert response.json()["reason"] == "ATS retention: 2 years"
    entry = AuditEntry.objects.get(action="candidate.anonymised")
    assert entry.actor == hr_admin and entry.details["reason"] == "ATS retention: 2 years"
    tombstone = hr_api.get("/api/v1/deletions/?object_type=candidate").json()["results"][0]
    assert tombstone["object_id"] == candidate.pk and tombstone["kind"] == "anonymised"
    other = CandidateFactory()
    plain = hr_api.post(f"/api/v1/privacy/candidates/{other.pk}/anonymise/", {}, format="json")
    assert plain.status_code == 200
    assert plain.json()["reason"] == "anonymised early by an HR admin"


def test_erasure_needs_the_hr_admin_role_the_scope_and_a_reason(
    make_client, recruiter, hiring_manager, hr_admin
):
    mine = ApplicationFactory(job=JobFactory(owner=hiring_manager)).candidate
    other = CandidateFactory()
    manager = make_client(hiring_manager)
    for action in ("erase", "anonymise"):
        seen = manager.post(
            f"/api/v1/privacy/candidates/{mine.pk}/{action}/", {"reason": "x"}, format="json"
        )
        assert seen.status_code == 403
        assert "Only HR admins can" in seen.json()["error"]["message"]
        unseen = manager.post(
            f"/api/v1/privacy/candidates/{other.pk}/{action}/", {"reason": "x"}, format="json"
        )
        assert unseen.status_code == 404
        refused = make_client(recruiter).post(
            f"/api/v1/privacy/candidates/{other.pk}/{action}/", {"reason": "x"}, format="json"
        )
        assert refused.status_code == 403
    scopes = ["recruiting:read", "recruiting:write"]
    no_scope = make_client(hr_admin, scopes=scopes).post(
        f"/api/v1/privacy/candidates/{other.pk}/erase/", {"reason": "x"}, format="json"
    )
    assert no_scope.status_code == 403
    assert "privacy:erase" in no_scope.json()["error"]["message"]
    blank = make_client(hr_admin).post(
        f"/api/v1/privacy/candidates/{other.pk}/erase/", {"reason": "  "}, format="json"
    )
    assert blank.status_code == 400 and "reason" in blank.json()["error"]["fields"]
    assert Candidate.objects.get(pk=other.pk).full_name != ""
    assert not AuditEntry.objects.filter(action__in=["candidate.erased", "candidate.anonymised"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_integrations_adding_tags_at_once_both_count(make_client, recruiter):
    """Each add reads the tags and writes them back: the candidate's row lock makes the second
    wait for the first, so neither overwrites the other's tag (a lost update without it)."""
    import contextlib
    import threading

    from django.db.models.signals import pre_save

    from .test_upsert_race import GATE_TIMEOUT_S, _post_together, _statuses

    candidate = CandidateFactory(tags=["Python"])
    barrier = threading.Barrier(2)

    def hold(sender, instance, **kwargs) -> None:
        # Both requests have read the tags before either writes (unless one waits on the lock).
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(GATE_TIMEOUT_S)

    pre_save.connect(hold, sender=Candidate, weak=False, dispatch_uid="tags-race-gate")
    try:
        clients = [make_client(recruiter), make_client(recruiter)]
        url = f"/api/v1/candidates/{candidate.pk}/tags/"
        bodies = [{"tags": ["Django"]}, {"tags": ["Remote"]}]
        responses = _post_together(clients, url, bodies)
    finally:
        pre_save.disconnect(sender=Candidate, dispatch_uid="tags-race-gate")
    assert _statuses(responses) == [200, 200]
    assert sorted(Candidate.objects.get(pk=candidate.pk).tags) == ["Django", "Python", "Remote"]
