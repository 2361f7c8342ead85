"""Bad input: every file a user can upload wrongly gets status "failed" and a clear reason."""

from __future__ import annotations

import io
import random
import time
import zipfile

import pytest

from conftest import make_pdf
from mlcore.parsing import PARSER_VERSION, parse_resume

RESUME_LINES = [
    "Jose Muller",
    "Software Engineer",
    "Berlin, Germany",
    "",
    "EXPERIENCE",
    "Backend Developer | Acme GmbH | 2019 - Present",
    "",
    "SKILLS",
    "Python, PostgreSQL, Docker",
]


def _failed(result, *phrases: str) -> None:
    assert result.status == "failed"
    assert result.parser_version == PARSER_VERSION
    for phrase in phrases:
        assert phrase in result.error
    assert result.skills == [] and result.experience == []


def test_empty_file():
    _failed(parse_resume(b"", "resume.pdf"), "empty file")


def test_corrupt_pdf():
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage \x00\x01\x02"
    result = parse_resume(data, "resume.pdf")
    _failed(result, "corrupt PDF")
    assert result.content_type == "application/pdf"


def test_truncated_real_pdf(data_dir):
    data = (data_dir / "resume_files/pdf/john_doe.pdf").read_bytes()
    result = parse_resume(data[: len(data) // 3], "john_doe.pdf")
    # Half a PDF may still yield its first page; it must never raise or hang.
    assert result.status in {"parsed", "failed"}
    if result.status == "failed":
        assert "PDF" in result.error or "OCR" in result.error


def test_encrypted_pdf():
    data = make_pdf([[(50, 700, "Jane Roe"), (50, 680, "jane@example.com")]], encrypt=True)
    _failed(parse_resume(data, "locked.pdf"), "encrypted PDF", "password")


def test_scanned_pdf_whose_scan_is_blank():
    # No text layer, and the page image (1x1 grey) holds nothing OCR can read.
    data = make_pdf([[]], image_only=True)
    result = parse_resume(data, "scan.pdf")
    assert result.status == "failed"
    assert result.error.startswith("OCR found no text on its page: the scan is blank")
    assert result.pages == 1


def test_docx_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (20 * 1024 * 1024))  # 20 MB -> ~20 KB
    data = buffer.getvalue()
    assert len(data) < 200_000
    started = time.monotonic()
    result = parse_resume(data, "bomb.docx")
    _failed(result, "zip bomb")
    assert time.monotonic() - started < 5


def test_docx_that_is_not_a_zip():
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    _failed(parse_resume(data, "resume.docx"), "not a valid DOCX", "not a zip")


def test_zip_without_document_named_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    _failed(parse_resume(buffer.getvalue(), "resume.docx"), "no word/document.xml")


def test_binary_renamed_pdf():
    gif = b"GIF89a" + b"\x01\x00\x01\x00\x80\x00\x00" + bytes(range(256)) * 4
    _failed(parse_resume(gif, "resume.pdf"), "unsupported file type image/gif")


def test_broken_png_renamed_pdf():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    _failed(parse_resume(png, "resume.pdf"), "corrupt image: the image/png file cannot be read")


def test_oversize_file_default_limit():
    data = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    _failed(parse_resume(data, "big.pdf"), "file too large", "10.0 MB")


def test_oversize_limit_is_configurable():
    data = "\n".join(RESUME_LINES).encode()
    _failed(parse_resume(data, "cv.txt", max_bytes=50), "file too large")
    assert parse_resume(data, "cv.txt", max_bytes=len(data)).status == "parsed"


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252", "utf-8"])
def test_text_in_other_encodings(encoding):
    lines = [*RESUME_LINES]
    lines[0] = "José Müller"
    lines[2] = "Zürich, Switzerland"
    lines.append("Languages: Deutsch, Français, Español")
    data = "\n".join(lines).encode(encoding)
    result = parse_resume(data, "cv.txt")
    assert result.status == "parsed", result.error
    assert result.content_type == "text/plain"
    assert result.name == "José Müller"
    assert "Zürich" in result.text
    assert result.skills[:3] == ["Python", "PostgreSQL", "Docker"]


def test_resume_without_email_parses():
    data = "\n".join(RESUME_LINES).encode()
    result = parse_resume(data, "cv.txt")
    assert result.status == "parsed"
    assert result.error is None
    assert result.email is None
    assert result.name == "Jose Muller"
    assert result.experience[0].employer == "Acme GmbH"


def _forty_pages() -> bytes:
    return make_pdf([[(50, 700, f"Page {n} of a very long document")] for n in range(1, 41)])


def test_forty_page_pdf_refused_by_page_cap():
    started = time.monotonic()
    result = parse_resume(_forty_pages(), "thesis.pdf")
    _failed(result, "too many pages: 40", "limit is 20")
    assert time.monotonic() - started < 5


def test_forty_page_pdf_parsed_when_cap_allows_it():
    started = time.monotonic()
    result = parse_resume(_forty_pages(), "thesis.pdf", max_pages=50)
    assert result.status == "parsed"
    assert result.pages == 40
    assert "Page 40 of" in result.text
    assert time.monotonic() - started < 20


def test_time_budget_stops_a_slow_pdf():
    result = parse_resume(_forty_pages(), "thesis.pdf", max_pages=50, time_budget_s=0.0)
    _failed(result, "took longer than")


def test_bad_files_never_raise_on_random_bytes():
    rng = random.Random(11)
    for size in (1, 10, 100, 5000):
        for prefix in (b"", b"%PDF-1.7\n", b"PK\x03\x04"):
            data = prefix + bytes(rng.randrange(256) for _ in range(size))
            result = parse_resume(data, "x.bin")
            assert result.status in {"parsed", "failed"}
            if result.status == "failed":
                assert result.error
