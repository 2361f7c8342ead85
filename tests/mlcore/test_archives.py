"""Zip archives of resumes: inflation limits shared with DOCX, and members that are not read."""

from __future__ import annotations

import pytest

from mlcore.parsing import archives, parse_resume
from mlcore.parsing.archives import ArchiveRefused, archive_members, is_resume_archive
from tests.zips import build_zip, mark_encrypted, text_resume

LIMIT = 10 * 1024 * 1024


def _by_path(data: bytes) -> dict[str, archives.ArchiveMember]:
    return {m.path: m for m in archive_members(data, max_member_bytes=LIMIT)}


def test_each_member_is_read_or_says_why_not():
    inner = build_zip({"x.txt": b"inner"})
    data = mark_encrypted(
        build_zip(
            {
                "cvs/ada.txt": text_resume("Ada Lovelace", "ada@example.com"),
                "../escape.txt": b"outside",
                "locked.txt": b"secret resume",
                "more.zip": inner,
                "bomb.txt": b" " * (5 * 1024 * 1024),
                "__MACOSX/._ada.txt": b"junk",
                ".DS_Store": b"junk",
            }
        ),
        "locked.txt",
    )
    members = _by_path(data)
    assert set(members) == {"cvs/ada.txt", "../escape.txt", "locked.txt", "more.zip", "bomb.txt"}
    ada = members["cvs/ada.txt"]
    assert ada.name == "ada.txt" and ada.data.startswith(b"Ada Lovelace") and not ada.problem
    assert "points outside it" in members["../escape.txt"].problem
    assert "password-protected" in members["locked.txt"].problem
    assert "zip inside the zip" in members["more.zip"].problem
    assert "looks like a zip bomb" in members["bomb.txt"].problem
    assert all(not m.data for m in members.values() if m.problem)


def test_too_many_members_refuses_the_archive():
    data = build_zip({f"{i}.txt": b"x" for i in range(archives.ZIP_MAX_MEMBERS + 1)})
    with pytest.raises(ArchiveRefused, match=r"holds 201 files \(the limit is 200\)"):
        archive_members(data, max_member_bytes=LIMIT)


def test_inflating_past_the_total_limit_refuses_the_archive(monkeypatch):
    monkeypatch.setattr(archives, "ZIP_MAX_UNCOMPRESSED", 1024 * 1024)
    data = build_zip({f"{i}.txt": bytes(range(256)) * 1024 for i in range(5)})  # 5 x 256 KB
    with pytest.raises(ArchiveRefused, match="would inflate to 1 MB, over the 1 MB limit"):
        archive_members(data, max_member_bytes=LIMIT)


def test_a_corrupt_or_empty_archive_is_refused_with_its_reason():
    with pytest.raises(ArchiveRefused, match="not a readable zip archive"):
        archive_members(b"PK\x03\x04" + b"\x00" * 100, max_member_bytes=LIMIT)
    with pytest.raises(ArchiveRefused, match="holds no files"):
        archive_members(build_zip({"folder/__MACOSX/": b""}), max_member_bytes=LIMIT)


def test_a_member_larger_than_an_upload_is_not_read():
    data = build_zip({"big.txt": bytes(range(256)) * 8})  # 2 KB
    (member,) = archive_members(data, max_member_bytes=1024)
    assert "the limit is 1 KB" in member.problem and not member.data


def test_a_docx_is_not_an_archive_of_resumes():
    docx = build_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    assert not is_resume_archive(docx)
    assert is_resume_archive(build_zip({"a.txt": b"a"}))
    assert not is_resume_archive(b"%PDF-1.4")


def test_a_docx_has_the_same_member_limit():
    parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}
    parts |= {f"word/media/{i}.png": b"x" for i in range(archives.ZIP_MAX_MEMBERS)}
    result = parse_resume(build_zip(parts), "many.docx")
    assert result.status == "failed"
    assert "DOCX refused: it holds 202 files (the limit is 200)" in (result.error or "")
