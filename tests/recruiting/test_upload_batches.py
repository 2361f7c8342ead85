"""Uploads sent one by one into a batch (issue 20): zip archives open into their files, each
bad file or member is refused with its reason while the rest go on, and the same file sent
twice to a batch (a double click, a form sent again) is taken once."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import Role
from recruiting import services
from recruiting.errors import UploadRefused
from recruiting.models import Resume, UploadBatch, UploadItem
from tests.zips import build_zip, mark_encrypted, text_resume

from ..factories import JobFactory, UserFactory

ADA = text_resume("Ada Lovelace", "ada@example.com")
GRACE = text_resume("Grace Hopper", "grace@example.com", "COBOL, Fortran")


def _batch(by, job=None) -> UploadBatch:
    return services.upload_batch_open(
        by=by, batch_id=uuid.uuid4(), source=UploadBatch.Source.PORTAL, job=job
    )


@pytest.mark.django_db
def test_a_zip_becomes_one_item_per_file_and_bad_members_say_why(recruiter):
    archive = mark_encrypted(
        build_zip(
            {
                "cvs/ada.txt": ADA,
                "cvs/grace.txt": GRACE,
                "cvs/locked.txt": b"a resume behind a password",
                "cvs/photo.gif": b"GIF89a" + b"\x00" * 200,
                "cvs/inner.zip": build_zip({"x.txt": b"x"}),
                "cvs/bomb.txt": b" " * (5 * 1024 * 1024),
                "../../etc/passwd": b"root",
                "__MACOSX/cvs/._ada.txt": b"junk",
            }
        ),
        "cvs/locked.txt",
    )
    batch = _batch(recruiter)
    items = services.upload_receive(batch=batch, data=archive, filename="cvs.zip")
    by_name = {i.filename: i for i in items}
    assert list(by_name) == [
        "cvs.zip › cvs/ada.txt",
        "cvs.zip › cvs/grace.txt",
        "cvs.zip › cvs/locked.txt",
        "cvs.zip › cvs/photo.gif",
        "cvs.zip › cvs/inner.zip",
        "cvs.zip › cvs/bomb.txt",
        "cvs.zip › ../../etc/passwd",
    ]
    assert by_name["cvs.zip › cvs/ada.txt"].outcome == UploadItem.Outcome.ACCEPTED
    assert by_name["cvs.zip › cvs/grace.txt"].outcome == UploadItem.Outcome.ACCEPTED
    reasons = {name: i.message for name, i in by_name.items() if i.outcome == "refused"}
    assert (
        "locked.txt was not read: it is password-protected" in reasons["cvs.zip › cvs/locked.txt"]
    )
    assert "unsupported file type image/gif" in reasons["cvs.zip › cvs/photo.gif"]
    assert "zip inside the zip" in reasons["cvs.zip › cvs/inner.zip"]
    assert "would inflate" in reasons["cvs.zip › cvs/bomb.txt"]
    assert "looks like a zip bomb" in reasons["cvs.zip › cvs/bomb.txt"]
    assert "points outside it" in reasons["cvs.zip › ../../etc/passwd"]
    # The stored resumes keep the member's own name; nothing of the archive is stored.
    assert sorted(Resume.objects.values_list("original_name", flat=True)) == [
        "ada.txt",
        "grace.txt",
    ]
    assert batch.items.count() == 7


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("archive", "reason"),
    [
        (build_zip({f"{i}.txt": b"x" for i in range(201)}), "holds 201 files (the limit is 200)"),
        (b"PK\x03\x04" + b"\x00" * 64, "is not a readable zip archive"),
    ],
)
def test_an_archive_refused_whole_is_one_refused_item_and_the_batch_goes_on(
    recruiter, archive, reason
):
    batch = _batch(recruiter)
    (refused,) = services.upload_receive(batch=batch, data=archive, filename="all.zip")
    (good,) = services.upload_receive(batch=batch, data=ADA, filename="ada.txt")
    assert refused.outcome == "refused" and refused.filename == "all.zip"
    assert refused.message.startswith("all.zip was not opened: ") and reason in refused.message
    assert good.outcome == "accepted"


@pytest.mark.django_db
def test_the_same_file_sent_twice_to_a_batch_is_taken_once(recruiter):
    batch = _batch(recruiter)
    first = services.upload_receive(batch=batch, data=ADA, filename="ada.txt")
    again = services.upload_receive(batch=batch, data=ADA, filename="ada.txt")
    assert [i.pk for i in again] == [i.pk for i in first]
    archive = build_zip({"g.txt": GRACE, "bad.gif": b"GIF89a" + b"\x00" * 50})
    zipped = services.upload_receive(batch=batch, data=archive, filename="more.zip")
    zipped_again = services.upload_receive(batch=batch, data=archive, filename="more.zip")
    assert [i.pk for i in zipped_again] == [i.pk for i in zipped] and len(zipped) == 2
    refused = services.upload_receive(batch=batch, data=b"", filename="empty.txt")
    assert services.upload_receive(batch=batch, data=b"", filename="empty.txt") == refused
    assert batch.items.count() == 4 and Resume.objects.count() == 2
    # Another batch is another upload: the known file is a duplicate there, as before.
    (duplicate,) = services.upload_receive(batch=_batch(recruiter), data=ADA, filename="ada.txt")
    assert duplicate.outcome == "duplicate"


@pytest.mark.django_db
def test_a_batch_is_only_its_senders(recruiter):
    batch = _batch(recruiter)
    other = UserFactory(roles=[Role.RECRUITER])
    with pytest.raises(UploadRefused, match="started by someone else"):
        services.upload_batch_open(by=other, batch_id=batch.pk, source="portal")
    same = services.upload_batch_open(by=recruiter, batch_id=batch.pk, source="portal")
    assert same == batch and UploadBatch.objects.count() == 1


@pytest.mark.django_db
def test_an_oversize_file_is_refused_unread_and_once(recruiter, settings):
    settings.MAX_UPLOAD_SIZE = 100
    batch = _batch(recruiter)
    big = SimpleUploadedFile("big.txt", b"x" * 500)
    (item,) = services.upload_receive_file(batch=batch, file=big)
    big.seek(0)
    assert services.upload_receive_file(batch=batch, file=big) == [item]
    assert item.outcome == "refused" and "the limit is 100" in item.message


@pytest.mark.django_db
def test_the_api_refuses_a_zip_with_a_message(client, recruiter):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(recruiter)
    archive = SimpleUploadedFile("cvs.zip", build_zip({"ada.txt": ADA}))
    response = api.post("/api/v1/resumes/", {"file": archive}, format="multipart")
    assert response.status_code == 415, response.content
    assert "is a zip archive" in response.content.decode()
    assert UploadBatch.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_import_resumes_opens_a_zip_too(recruiter, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    (tmp_path / "ada.txt").write_bytes(ADA)
    (tmp_path / "team.zip").write_bytes(
        build_zip({"grace.txt": GRACE, "bad.gif": b"GIF89a" + b"\x00" * 50})
    )
    out = StringIO()
    call_command("import_resumes", str(tmp_path), stdout=out, stderr=StringIO())
    summary = out.getvalue()
    assert "3 files: 2 parsed, 0 duplicates, 0 failed, 1 refused" in summary, summary
    assert "team.zip › bad.gif" in summary and "unsupported file type image/gif" in summary


# ----------------------------------------------------------------------------- portal doors


@pytest.mark.django_db(transaction=True)
def test_files_sent_one_by_one_join_one_batch_and_report_their_status(client, recruiter):
    client.force_login(recruiter)
    job = JobFactory()
    page = client.get(reverse("recruiting:upload_new"))
    batch_id = page.context["batch_id"]
    assert f'name="batch" value="{batch_id}"' in page.content.decode()
    url = reverse("recruiting:upload_file", args=[batch_id])
    one = client.post(url, {"job": job.pk, "file": SimpleUploadedFile("ada.txt", ADA)})
    archive = build_zip({"grace.txt": GRACE, "notes.gif": b"GIF89a" + b"\x00" * 50})
    two = client.post(url, {"job": job.pk, "file": SimpleUploadedFile("more.zip", archive)})
    assert one.status_code == two.status_code == 200
    assert [i["filename"] for i in two.json()["items"]] == [
        "more.zip › grace.txt",
        "more.zip › notes.gif",
    ]
    status = client.get(one.json()["status_url"]).json()
    assert status["finished"] and status["total"] == 3
    assert [i["status"] for i in status["items"]] == ["parsed", "parsed", "refused"]
    assert UploadBatch.objects.get().job == job
    # The batch page shows all of them.
    html = client.get(one.json()["batch_url"]).content.decode()
    assert "3 of 3" in html and "more.zip › notes.gif" in html


@pytest.mark.django_db
def test_sending_a_file_without_one_or_into_someone_elses_batch_says_why(client, recruiter):
    client.force_login(recruiter)
    url = reverse("recruiting:upload_file", args=[uuid.uuid4()])
    response = client.post(url, {})
    assert response.status_code == 400
    assert response.json() == {"error": "Choose a file to upload."}
    theirs = _batch(UserFactory(roles=[Role.RECRUITER]))
    url = reverse("recruiting:upload_file", args=[theirs.pk])
    response = client.post(url, {"file": SimpleUploadedFile("ada.txt", ADA)})
    assert response.status_code == 400 and "started by someone else" in response.json()["error"]
    bad_job = client.post(
        reverse("recruiting:upload_file", args=[uuid.uuid4()]),
        {"job": "abc", "file": SimpleUploadedFile("ada.txt", ADA)},
    )
    assert bad_job.json() == {"error": "Choose a job from the list."}
    assert UploadItem.objects.count() == 0


@pytest.mark.django_db
def test_only_recruiters_send_files_or_read_a_batch_status(client, recruiter, hiring_manager):
    batch = _batch(recruiter)
    client.force_login(hiring_manager)
    sent = client.post(
        reverse("recruiting:upload_file", args=[batch.pk]),
        {"file": SimpleUploadedFile("ada.txt", ADA)},
    )
    assert sent.status_code == 403
    assert sent.json() == {"error": "Only recruiters can add candidates or applications."}
    assert client.get(reverse("recruiting:upload_status", args=[batch.pk])).status_code == 404
    assert client.get(reverse("recruiting:upload_file", args=[batch.pk])).status_code == 405


@pytest.mark.django_db
def test_the_plain_form_sent_twice_uploads_once(client, recruiter):
    client.force_login(recruiter)
    batch_id = str(uuid.uuid4())
    for _ in range(2):  # a double click without JavaScript
        files = [SimpleUploadedFile("ada.txt", ADA), SimpleUploadedFile("grace.txt", GRACE)]
        response = client.post(
            reverse("recruiting:upload_new"), {"batch": batch_id, "files": files}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("recruiting:upload_detail", args=[batch_id])
    assert UploadItem.objects.count() == 2 and Resume.objects.count() == 2


@pytest.mark.django_db
def test_status_polling_costs_the_same_queries_for_many_items(
    client, recruiter, django_assert_max_num_queries
):
    batch = _batch(recruiter)
    archive = build_zip({f"{i}.txt": text_resume(f"P{i}", f"p{i}@example.com") for i in range(20)})
    services.upload_receive(batch=batch, data=archive, filename="many.zip")
    client.force_login(recruiter)
    with django_assert_max_num_queries(8):
        status = client.get(reverse("recruiting:upload_status", args=[batch.pk])).json()
    assert status["total"] == 20 and not status["finished"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_on_postgresql_is_taken_once(recruiter):
    """Two requests with the same file for the same batch at the same moment (a double click
    that beat the disabled button): the batch row's lock lets one check-and-write at a time."""
    import threading

    from django.db import connections

    batch_id = uuid.uuid4()
    start = threading.Barrier(2)
    results: list[list[int]] = []

    def send() -> None:
        try:
            start.wait(10)
            batch = services.upload_batch_open(by=recruiter, batch_id=batch_id, source="portal")
            items = services.upload_receive(batch=batch, data=ADA, filename="ada.txt")
            results.append([i.pk for i in items])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2 and results[0] == results[1]
    assert UploadItem.objects.count() == 1 and UploadBatch.objects.count() == 1
