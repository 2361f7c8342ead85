"""A candidate's attachments other than resumes over the API (issue 17): upload, list,
download, delete; who may; blind screening; and erasure and export take them too."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from recruiting.models import CandidateAttachment
from recruiting.pipeline import Stage
from tests.factories import ApplicationFactory, CandidateFactory, JobFactory

from .test_interviews_api import _check_against_schema

pytestmark = pytest.mark.django_db

LETTER = b"Dear team,\nI would love to build your data platform.\nZqora Vexhollow\n"


def _upload(api, candidate, data=LETTER, name="Zqora_cover_letter.txt", kind="cover_letter"):
    return api.post(
        f"/api/v1/candidates/{candidate.pk}/attachments/",
        {"file": SimpleUploadedFile(name, data), "kind": kind},
        format="multipart",
    )


def test_a_recruiter_adds_lists_downloads_and_deletes_an_attachment(
    recruiter_api, recruiter, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory()
    added = _upload(recruiter_api, candidate)
    assert added.status_code == 201, added.json()
    body = added.json()
    assert body["kind"] == "cover_letter" and body["content_type"] == "text/plain"
    assert body["original_name"] == "Zqora_cover_letter.txt" and body["size"] == len(LETTER)
    assert body["candidate"] == candidate.pk and body["uploaded_by"] == recruiter.pk
    stored = CandidateAttachment.objects.get(pk=body["id"])
    assert "Zqora" not in stored.file.name  # the stored path never carries the name
    listed = recruiter_api.get(f"/api/v1/candidates/{candidate.pk}/attachments/").json()
    _check_against_schema("/api/v1/candidates/{id}/attachments/", listed)
    assert [a["id"] for a in listed["results"]] == [body["id"]]
    assert recruiter_api.get(f"/api/v1/attachments/{body['id']}/").json() == body
    download = recruiter_api.get(f"/api/v1/attachments/{body['id']}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "text/plain"
    assert b"".join(download.streaming_content) == LETTER
    assert AuditEntry.objects.filter(action="attachment.downloaded").count() == 1
    added_entry = AuditEntry.objects.get(action="attachment.added")
    assert added_entry.details == {"candidate_id": candidate.pk, "kind": "cover_letter"}
    storage, name = stored.file.storage, stored.file.name
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        gone = recruiter_api.delete(f"/api/v1/attachments/{body['id']}/")
    assert gone.status_code == 204
    assert not CandidateAttachment.objects.exists() and not storage.exists(name)
    assert AuditEntry.objects.filter(action="attachment.deleted").count() == 1
    assert recruiter_api.get(f"/api/v1/attachments/{body['id']}/").status_code == 404


def test_a_file_is_judged_by_its_content_and_the_kind_must_be_known(recruiter_api):
    candidate = CandidateFactory()
    binary = _upload(recruiter_api, candidate, data=b"\x00\x01\x02MZ" * 50, name="tool.pdf")
    assert binary.status_code == 415
    assert binary.json()["error"]["code"] == "upload_refused"
    assert "not a format SmartHR keeps" in binary.json()["error"]["message"]
    unknown = _upload(recruiter_api, candidate, kind="selfie")
    assert unknown.status_code == 400 and "kind" in unknown.json()["error"]["fields"]
    empty = _upload(recruiter_api, candidate, data=b"")
    assert empty.status_code == 400
    assert not CandidateAttachment.objects.exists()


def test_only_recruiters_add_and_an_unseen_candidate_is_404(
    manager_api, hiring_manager, recruiter_api
):
    mine = ApplicationFactory(job=JobFactory(owner=hiring_manager)).candidate
    other = CandidateFactory()
    assert _upload(recruiter_api, mine).status_code == 201
    refused = _upload(manager_api, mine)
    assert refused.status_code == 403 and "Only recruiters" in refused.json()["error"]["message"]
    assert _upload(manager_api, other).status_code == 404
    listed = manager_api.get(f"/api/v1/candidates/{mine.pk}/attachments/")
    assert listed.status_code == 200 and len(listed.json()["results"]) == 1
    pk = listed.json()["results"][0]["id"]
    assert manager_api.delete(f"/api/v1/attachments/{pk}/").status_code == 403
    assert manager_api.get(f"/api/v1/candidates/{other.pk}/attachments/").status_code == 404


def test_blind_screening_hides_the_name_and_withholds_the_file(
    make_client, recruiter, hiring_manager
):
    job = JobFactory(blind_screening=True, owner=recruiter)
    job.hiring_team.add(hiring_manager)
    candidate = ApplicationFactory(job=job, stage=Stage.SCREENING).candidate
    assert _upload(make_client(recruiter), candidate).status_code == 201
    manager = make_client(hiring_manager)
    (row,) = manager.get(f"/api/v1/candidates/{candidate.pk}/attachments/").json()["results"]
    assert row["original_name"] == f"Attachment #{row['id']}"
    download = manager.get(f"/api/v1/attachments/{row['id']}/download/")
    assert download.status_code == 403
    assert "withheld during blind screening" in download.json()["error"]["message"]


def test_erasure_deletes_attachments_and_the_export_carries_them(hr_api, recruiter_api):
    candidate = CandidateFactory()
    _upload(recruiter_api, candidate, kind="portfolio", name="work.txt")
    from privacy.services import candidate_export

    archive = candidate_export(candidate=candidate, by=hr_api.key.integration.user)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert any(n.startswith("files/attachment-") and n.endswith("work.txt") for n in names)
    stored = CandidateAttachment.objects.get(candidate=candidate)
    storage, name = stored.file.storage, stored.file.name
    erased = hr_api.post(
        f"/api/v1/privacy/candidates/{candidate.pk}/erase/", {"reason": "Request 9"}, format="json"
    )
    assert erased.status_code == 200
    assert erased.json()["removed"]["attachments"] == 1
    assert not CandidateAttachment.objects.filter(candidate=candidate).exists()
    assert not storage.exists(name)
