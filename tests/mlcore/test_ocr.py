"""OCR of scans and photos: rendered scans (200 dpi, rotated, blurred, speckled) read by the real
engine (Tesseract through tesserocr), and bad images refused with a reason."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest
from PIL import Image

from mlcore.cli import main as cli_main
from mlcore.parsing import detect_content_type, parse_resume
from mlcore.parsing import ocr as ocr_module
from tests import scans


@pytest.fixture(scope="module")
def png_result():
    return parse_resume(scans.scanned_png(), "photo.png")


@pytest.fixture(scope="module")
def pdf_result():
    return parse_resume(scans.scanned_pdf(), "scan.pdf")


def _assert_read(result, pages: int) -> None:
    assert result.status == "parsed", result.error
    assert result.pages == pages
    assert result.name == scans.NAME
    assert result.email == scans.EMAIL
    assert result.phone == scans.PHONE
    assert [job.employer for job in result.experience] == scans.EMPLOYERS
    assert [job.start for job in result.experience] == ["2019-06", "2016-03"]
    assert result.education[0].institution == scans.INSTITUTION
    assert {"JavaScript", "React", "CSS"} <= set(result.skills)
    assert result.ocr is True
    assert scans_confident(result)


def scans_confident(result) -> bool:
    return result.ocr_confidence >= ocr_module.CHECK_BELOW and result.needs_check is False


def test_png_photo_of_a_resume_is_read(png_result):
    assert png_result.content_type == "image/png"
    _assert_read(png_result, pages=1)


def test_scanned_pdf_without_text_layer_is_read_page_by_page(pdf_result):
    assert pdf_result.content_type == "application/pdf"
    _assert_read(pdf_result, pages=2)
    # Page two (education, skills) comes after page one, as in the file.
    assert pdf_result.text.index("EXPERIENCE") < pdf_result.text.index("EDUCATION")


def test_pdf_with_text_then_a_scanned_page_reads_both():
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(scans.text_pdf_page_one())
    scan = pdfium.PdfDocument(scans.scanned_pdf())
    document.import_pages(scan, [1])  # page two of the scan: education and skills
    buffer = io.BytesIO()
    document.save(buffer)
    result = parse_resume(buffer.getvalue(), "mixed.pdf")
    assert result.status == "parsed" and result.pages == 2
    assert result.email == scans.EMAIL  # from the text layer
    assert result.education[0].institution == scans.INSTITUTION  # from OCR
    assert result.ocr is True and result.ocr_confidence is not None


def test_jpeg_and_tiff_are_detected_by_content():
    assert detect_content_type(scans.scanned_jpeg(), "cv.pdf") == "image/jpeg"
    assert detect_content_type(scans.scanned_tiff(), "cv") == "image/tiff"


def test_text_pdf_is_not_ocrd(data_dir):
    result = parse_resume((data_dir / "resume_files/pdf/john_doe.pdf").read_bytes(), "j.pdf")
    assert result.ok and result.ocr is False and result.ocr_confidence is None


def test_skew_is_measured_and_undone():
    page = scans.one_page_image()
    for angle in (-2.0, 1.5):
        tilted = page.convert("L").rotate(angle, expand=True, fillcolor=255)
        assert abs(ocr_module.skew_angle(tilted) + angle) <= 0.3


def test_hard_to_read_scan_is_marked_for_a_person_to_check():
    from PIL import ImageFilter

    page = scans.one_page_image().convert("L")
    small = page.resize((page.width // 3, page.height // 3)).filter(ImageFilter.GaussianBlur(1.6))
    buffer = io.BytesIO()
    small.save(buffer, "PNG")
    result = parse_resume(buffer.getvalue(), "blurry.png")
    assert result.status == "parsed", result.error
    assert result.ocr and result.ocr_confidence < ocr_module.CHECK_BELOW
    assert result.needs_check is True


def test_cli_adds_ocr_keys_and_keeps_the_shape(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(scans.scanned_png())
    out = io.StringIO()
    assert cli_main(["parse", str(path)], out=out) == 0
    row = json.loads(out.getvalue())
    for key in ("file", "status", "error", "name", "email", "phone", "location", "links",
                "skills", "experience", "education", "years_experience", "text_chars",
                "parser_version"):  # fmt: skip
        assert key in row
    assert row["status"] == "parsed" and row["email"] == scans.EMAIL
    assert row["ocr"] is True and 0 < row["ocr_confidence"] <= 1 and row["needs_check"] is False


# --- bad images: a failed status and a reason, never an exception --------------------------


def _png_of_size(width: int, height: int) -> bytes:
    """A PNG whose header says width x height (its pixel data is never decoded)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


def test_blank_image_fails_with_a_reason():
    buffer = io.BytesIO()
    Image.new("L", (1200, 1600), 255).save(buffer, "PNG")
    result = parse_resume(buffer.getvalue(), "blank.png")
    assert result.status == "failed"
    assert result.error.startswith("OCR found no text on its page")


def test_truncated_png_fails_as_corrupt():
    data = scans.scanned_png()
    result = parse_resume(data[: len(data) // 2], "half.png")
    assert result.status == "failed" and result.error.startswith("corrupt image")


@pytest.mark.parametrize("side", [9500, 30000])  # over our limit; over Pillow's bomb limit too
def test_huge_image_is_refused_before_decoding(side):
    result = parse_resume(_png_of_size(side, side), "huge.png")
    assert result.status == "failed" and result.error.startswith("image too large"), result.error


def test_too_many_tiff_pages():
    frames = [Image.new("L", (50, 50), 255) for _ in range(4)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    result = parse_resume(buffer.getvalue(), "many.tiff", max_pages=3)
    assert result.status == "failed"
    assert result.error.startswith("too many pages: 4 (the limit is 3)")


def test_time_budget_stops_ocr():
    result = parse_resume(scans.scanned_pdf(), "scan.pdf", time_budget_s=0.001)
    assert result.status == "failed"
    assert result.error.startswith("OCR took longer than 0.001 s") or "longer than" in result.error
