"""Rendered scans for the OCR tests: a short resume drawn as a text PDF, then scanned at 200
dpi the way bench/ocr_accuracy.py scans its eval set (rotated, blurred, speckled, JPEG'd),
saved as an image-only PDF, a PNG, a JPEG or a multi-page TIFF. Nothing is stored."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from bench.ocr_accuracy import degrade, pdf_pages_at, scan_image, scan_pdf
from bench.parse_eval_render import B, Block, H, L, R, render_pdf

NAME = "Carmen Okafor"
EMAIL = "carmen.okafor@example.org"
PHONE = "+442079460958"  # written "020 7946 0958" with a London address
EMPLOYERS = ["Brightwave Digital Ltd", "Harbour Analytics Ltd"]
INSTITUTION = "University of Leeds"


def page_one() -> list[Block]:
    return [
        Block("name", NAME),
        L(f"London, United Kingdom | 020 7946 0958 | {EMAIL}"),
        H("EXPERIENCE"),
        R("Front End Engineer", "June 2019 - Present", bold=True),
        L(EMPLOYERS[0]),
        B("Built user interfaces in JavaScript, React, HTML and CSS for retail clients."),
        B("Designed REST APIs with the back-end team; Git and code review every day."),
        R("Web Developer", "March 2016 - May 2019", bold=True),
        L(EMPLOYERS[1]),
        B("Made responsive pages with HTML, CSS and JavaScript; Agile sprints."),
    ]


def page_two() -> list[Block]:
    return [
        H("EDUCATION"),
        L(f"BSc Computer Science, {INSTITUTION}, 2016"),
        H("SKILLS"),
        L("JavaScript, React, HTML, CSS, TypeScript, REST APIs, Git, Agile"),
    ]


@cache
def _pages(seed: int) -> tuple[Any, ...]:
    one = pdf_pages_at(render_pdf(page_one()))[0]
    two = pdf_pages_at(render_pdf(page_two()))[0]
    return degrade(one, seed), degrade(two, seed + 1)


def scanned_pdf(seed: int = 7) -> bytes:
    """A two-page image-only PDF (no text layer), as a scanner writes it."""
    return scan_pdf(list(_pages(seed)))


def one_page_image() -> Any:
    """Page one and page two drawn on one page image (a photo of a one-page resume)."""
    return pdf_pages_at(render_pdf(page_one() + page_two()))[0]


def scanned_png(seed: int = 7) -> bytes:
    """A one-page resume scanned to PNG."""
    data, ext = scan_image([degrade(one_page_image(), seed)])
    assert ext == "png"
    return data


def scanned_jpeg(seed: int = 7) -> bytes:
    buffer = io.BytesIO()
    degrade(one_page_image(), seed).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def scanned_tiff(seed: int = 7) -> bytes:
    data, ext = scan_image(list(_pages(seed)))
    assert ext == "tiff"
    return data


def text_pdf_page_one() -> bytes:
    """Page one with its text layer (for a PDF whose later pages are scans)."""
    return render_pdf(page_one())
