"""parse_resume: a PDF, DOCX or text resume's bytes -> ParsedResume (never raises on bad input)."""

from __future__ import annotations

import datetime as dt
import time

from . import contact, education, experience, ocr
from .errors import ParseError
from .extract import Extracted, clean_text, extract_docx, extract_pdf, extract_plain
from .filetypes import DOCX, IMAGES, PDF, describe_unsupported, detect_content_type
from .nlp import entities
from .phone_region import candidate_regions
from .results import ParsedResume
from .sections import split_sections
from .skills import find_skills

PARSER_VERSION = "smarthr-parser/1.0"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PAGES = 20
DEFAULT_TIME_BUDGET_S = 30.0
# The name, contact line and location sit at the top; spaCy reads only these lines.
_TOP_LINES = 10
# A PDF page that images cover for the most part, with less text than this, is a scan (its
# text layer at most a scanner's stamp): it is read by OCR.
_SCANNED_PAGE_CHARS = 200
_SCANNED_PAGE_IMAGE_SHARE = 0.4


def _failed(error: str, **extra: object) -> ParsedResume:
    return ParsedResume(status="failed", parser_version=PARSER_VERSION, error=error, **extra)  # type: ignore[arg-type]


def _extract(
    data: bytes, content_type: str, max_pages: int, time_budget_s: float
) -> tuple[Extracted, ocr.OcrText | None]:
    """The document's text, and what OCR read of it (scans, PDF pages without text)."""
    started = time.monotonic()
    if content_type in IMAGES:
        why_not = ocr.available()
        if why_not:
            raise ParseError(f"a scan needs OCR, and {why_not}")
        read = ocr.ocr_image(data, max_pages=max_pages, time_budget_s=time_budget_s)
        return Extracted(text=read.text, pages=len(read.pages)), read
    if content_type == PDF:
        extracted = extract_pdf(data, max_pages=max_pages, time_budget_s=time_budget_s)
        return _ocr_scanned_pages(data, extracted, started, time_budget_s)
    if content_type == DOCX:
        return extract_docx(data), None
    return extract_plain(data), None


def _ocr_scanned_pages(
    data: bytes, extracted: Extracted, started: float, time_budget_s: float
) -> tuple[Extracted, ocr.OcrText | None]:
    """OCR the pages of a PDF that have no text layer (all of a scan's, some of a mixed one)."""
    texts = extracted.page_texts or []
    images = extracted.page_images or [0.0] * len(texts)
    # No text at all: every page is read (a scan, or text drawn as outlines).
    no_text = not clean_text(extracted.text)
    scanned = [
        i
        for i, (text, share) in enumerate(zip(texts, images, strict=True))
        if no_text
        or (share >= _SCANNED_PAGE_IMAGE_SHARE and len("".join(text.split())) < _SCANNED_PAGE_CHARS)
    ]
    if not scanned:
        return extracted, None
    why_not = ocr.available()
    if why_not:
        if no_text:
            raise ParseError(f"no text layer: needs OCR, and {why_not}")
        return extracted, None  # the pages with text are enough to go on
    read = ocr.ocr_pdf_pages(data, scanned, started=started, time_budget_s=time_budget_s)
    merged = list(texts)
    for number, text in zip(scanned, read.pages, strict=True):
        if text.strip():
            merged[number] = text
    return Extracted(text="\n\f".join(merged), pages=extracted.pages, page_texts=merged), read


def _places(texts: list[str]) -> list[bool]:
    return [bool(found) for found in entities(texts, {"GPE", "LOC"})]


def structure(text: str, *, today: dt.date | None = None, region: str = "US") -> ParsedResume:
    """Fields of a resume from its (clean) text; `parse_resume` without the file handling."""
    sections = split_sections(text)
    top = [line for line in text.split("\n") if line.strip()][:_TOP_LINES]
    header_lines = [line for line in sections.get("header", "").split("\n") if line.strip()]
    # Where the resume has a heading, only the lines above it can hold the name and place.
    # A resume that opens with a heading ("Education Details") has no name block at all.
    top = top[: len(header_lines)]
    header = "\n".join(top)
    head_area = "\n".join(
        s for s in (sections.get("header", ""), sections.get("contact", ""), header) if s
    )
    found = entities(top, {"PERSON", "GPE"}) if top else []
    persons = [t for ents in found for t, label in ents if label == "PERSON"]
    places = [t for ents in found for t, label in ents if label == "GPE"]

    jobs = experience.parse_experience_section(sections.get("experience", ""), _places)
    jobs = experience.merge_entries(jobs, experience.parse_keyed_jobs(text))
    ranges = [(j.start, j.end) for j in jobs if j.start and j.end]
    degrees = education.parse_education_section(sections.get("education", ""))
    return ParsedResume(
        status="parsed",
        parser_version=PARSER_VERSION,
        text=text,
        sections=sections,
        name=contact.find_name(top, persons),
        email=contact.find_email(head_area) or contact.find_email(text),
        phone=_phone(head_area, text, region),
        location=contact.find_location(top, places),
        links=contact.find_links(head_area),
        skills=find_skills(text),
        experience=jobs,
        education=degrees,
        years_experience=experience_years(ranges, today),
    )


def _phone(head_area: str, text: str, default_region: str) -> str | None:
    """National numbers are read in the region the resume points at (its address, country,
    other +codes), the default region after that, and common regions last."""
    regions, trusted = candidate_regions(head_area + "\n" + text[:3000], default_region)
    return contact.find_phone_in(head_area, regions, trusted=trusted) or contact.find_phone_in(
        text[:3000], regions, trusted=trusted
    )


def experience_years(ranges: list[tuple[str, str]], today: dt.date | None) -> float | None:
    from .dates import total_years

    return total_years(ranges, today)


def parse_resume(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    time_budget_s: float = DEFAULT_TIME_BUDGET_S,
    today: dt.date | None = None,
) -> ParsedResume:
    """Parse one resume file. Bad input gives status "failed" and a readable `error`."""
    if not data:
        return _failed("empty file")
    if len(data) > max_bytes:
        return _failed(
            f"file too large: {len(data) / 1048576:.1f} MB (the limit is "
            f"{max_bytes / 1048576:.1f} MB)"
        )
    content_type = detect_content_type(data, filename)
    if content_type is None:
        return _failed(describe_unsupported(data, filename))
    try:
        extracted, read = _extract(data, content_type, max_pages, time_budget_s)
    except ParseError as exc:
        return _failed(str(exc), content_type=content_type)
    text = clean_text(ocr.clean_ocr_text(extracted.text) if read else extracted.text)
    if not text.strip():
        if read is not None:
            return _failed(
                f"OCR found no text on {_pages(extracted.pages)}: the scan is blank or "
                "unreadable (a sharper scan or photo, at 200 dpi or more, may be read)",
                content_type=content_type,
                pages=extracted.pages,
            )
        return _failed("no text in the document", content_type=content_type)
    result = structure(text, today=today)
    result.content_type = content_type
    result.pages = extracted.pages
    if read is not None and read.confidence is not None:
        result.ocr = True
        result.ocr_confidence = round(read.confidence, 3)
        result.needs_check = read.confidence < ocr.CHECK_BELOW
    return result


def _pages(count: int | None) -> str:
    return "its page" if count in (None, 1) else f"its {count} pages"
