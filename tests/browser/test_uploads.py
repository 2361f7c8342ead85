"""A recruiter uploads two resumes and a zip in Chromium: each file goes up on its own with a
byte progress bar, each file (and each file of the zip) shows its parse status as it happens,
and a double click on Upload sends nothing twice (issue 20)."""

from __future__ import annotations

import pytest

from core.roles import Role
from recruiting.models import UploadBatch, UploadItem
from tests.zips import build_zip, text_resume

from ..factories import UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_files_go_up_one_by_one_and_show_their_parse_status(page, tmp_path):
    from playwright.sync_api import expect

    recruiter = UserFactory(roles=[Role.RECRUITER])
    ada, grace, archive = tmp_path / "ada.txt", tmp_path / "grace.txt", tmp_path / "team.zip"
    ada.write_bytes(text_resume("Ada Lovelace", "ada@example.com"))
    grace.write_bytes(text_resume("Grace Hopper", "grace@example.com", "COBOL, Fortran"))
    archive.write_bytes(
        build_zip(
            {
                "team/alan.txt": text_resume("Alan Turing", "alan@example.com", "Math"),
                "team/photo.gif": b"GIF89a" + b"\x00" * 64,
            }
        )
    )
    # The live server runs in this process: load the parser's model now, not inside a request.
    from mlcore.parsing.nlp import get_nlp

    get_nlp()

    login(page, recruiter)
    page.goto("/uploads/new/")
    page.set_input_files("#files", [str(ada), str(grace), str(archive)])
    page.locator("#upload-button").dblclick()
    live = page.locator("#upload-live")
    expect(live).to_be_visible()
    expect(page.locator("#upload-button")).to_be_disabled()
    files = live.locator(".upload-file")
    expect(files).to_have_count(3)
    # Every file was sent whole (its bar full) and answered.
    for name in ("ada.txt", "grace.txt", "team.zip"):
        row = live.locator(f'.upload-file[data-file="{name}"]')
        expect(row.locator(".upload-file-sent")).to_have_text("Sent", timeout=120_000)
        bar = row.locator("progress")
        assert bar.evaluate("b => b.value === b.max && b.max > 0")
        # The bar followed the request's upload progress events (bytes of the whole body).
        sent = int(row.get_attribute("data-sent-bytes") or 0)
        assert sent > (tmp_path / name).stat().st_size
    expect(page.locator("#upload-summary")).to_contain_text("4 of 4 files done — finished")
    items = live.locator(".upload-item")
    expect(items).to_have_count(4)
    for name in ("ada.txt", "grace.txt", "team.zip › team/alan.txt"):
        item = live.locator(".upload-item", has_text=name)
        expect(item).to_have_attribute("data-status", "parsed")
        expect(item.locator(".badge")).to_have_text("Parsed")
    gif = live.locator(".upload-item", has_text="team.zip › team/photo.gif")
    expect(gif).to_have_attribute("data-status", "refused")
    expect(gif).to_contain_text("unsupported file type image/gif")
    screenshot(page, "upload-live")

    # The double click sent nothing twice: one batch, one item per file.
    assert UploadBatch.objects.count() == 1
    assert UploadItem.objects.count() == 4
    page.locator("#upload-batch-link").click()
    expect(page.locator("#upload-progress")).to_contain_text("4 of 4")


def test_a_file_whose_request_fails_stays_and_can_be_sent_again(page, tmp_path):
    from playwright.sync_api import expect

    recruiter = UserFactory(roles=[Role.RECRUITER])
    ada, grace = tmp_path / "ada.txt", tmp_path / "grace.txt"
    ada.write_bytes(text_resume("Ada Lovelace", "ada@example.com"))
    grace.write_bytes(text_resume("Grace Hopper", "grace@example.com", "COBOL, Fortran"))
    from mlcore.parsing.nlp import get_nlp

    get_nlp()
    login(page, recruiter)
    page.goto("/uploads/new/")
    failures = {"left": 1}

    def drop_first(route):  # the connection drops while the first file goes up
        if failures["left"]:
            failures["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/uploads/*/files/", drop_first)
    page.set_input_files("#files", [str(ada), str(grace)])
    page.locator("#upload-button").click()
    first = page.locator('.upload-file[data-file="ada.txt"]')
    expect(first.locator(".upload-file-sent")).to_have_text(
        "Not sent: the connection failed", timeout=60_000
    )
    # The batch went on with the next file.
    second = page.locator('.upload-file[data-file="grace.txt"]')
    expect(second.locator(".upload-item")).to_have_attribute("data-status", "parsed")
    assert UploadItem.objects.count() == 1

    first.get_by_role("button", name="Try again").click()
    expect(first.locator(".upload-item")).to_have_attribute("data-status", "parsed")
    expect(page.locator("#upload-summary")).to_contain_text("2 of 2 files done — finished")
    assert UploadItem.objects.count() == 2 and UploadBatch.objects.count() == 1
