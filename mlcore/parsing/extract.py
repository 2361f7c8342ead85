"""Text extraction from PDF (pdfminer.six, column-aware), DOCX (python-docx) and plain text."""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from .archives import archive_inflation_problem, member_inflation_problem
from .errors import ParseError
from .filetypes import decode_text

# pdfminer logs a warning for every odd font descriptor; resumes are full of them.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass
class Extracted:
    """Raw text of a document and its page count (None where pages do not apply).

    PDF: `page_texts` holds each page's text and `page_images` the share of the page that
    images cover, so pages that are scans (an image, next to no text) can be OCR'd."""

    text: str
    pages: int | None
    page_texts: list[str] | None = None
    page_images: list[float] | None = None


# --------------------------------------------------------------------------- PDF


def _text_boxes(layout: object) -> Iterator[tuple[float, float, float, float, str]]:
    from pdfminer.layout import LTFigure, LTTextBox

    for element in layout:  # type: ignore[attr-defined]
        if isinstance(element, LTTextBox):
            text = element.get_text()
            if text.strip():
                x0, y0, x1, y1 = element.bbox
                yield x0, y0, x1, y1, text
        elif isinstance(element, LTFigure):
            yield from _text_boxes(element)


def _image_share(layout: object, area: float) -> float:
    """The share of the page that images cover (a scan: about all of it)."""
    from pdfminer.layout import LTFigure, LTImage

    covered = 0.0
    for element in layout:  # type: ignore[attr-defined]
        if isinstance(element, LTImage):
            covered += max(0.0, element.width) * max(0.0, element.height)
        elif isinstance(element, LTFigure):
            covered += _image_share(element, area) * area
    return min(1.0, covered / area) if area > 0 else 0.0


def _find_gutter(boxes: list[tuple[float, float, float, float, str]], width: float) -> float | None:
    """An x between two text columns that (almost) no box crosses, or None for one column.

    Only the middle half of the page is searched: a narrow left strip of dates is not a
    column of its own and must stay on the same line as the entry it dates.
    """
    if len(boxes) < 6:
        return None
    best: tuple[int, float] | None = None
    x = width * 0.25
    while x <= width * 0.75:
        crossing = sum(1 for b in boxes if b[0] < x < b[2])
        left = sum(1 for b in boxes if b[2] <= x)
        right = sum(1 for b in boxes if b[0] >= x)
        if left >= 3 and right >= 3 and (best is None or crossing < best[0]):
            best = (crossing, x)
        x += 4
    if best is None:
        return None
    crossing, gutter = best
    # A few full-width boxes (the name, a title) above or between the columns are fine.
    if crossing > max(2, len(boxes) // 10):
        return None
    # A table is not two columns: its cells on the right are one-line boxes, each on the
    # baseline of a one-line box on the left (they are joined row by row instead).
    left_lines = [b for b in boxes if b[2] <= gutter and "\n" not in b[4].strip()]
    right_boxes = [b for b in boxes if b[0] >= gutter]
    aligned = sum(
        1
        for b in right_boxes
        if "\n" not in b[4].strip() and any(abs(a[3] - b[3]) <= 2 for a in left_lines)
    )
    return None if right_boxes and aligned >= 0.7 * len(right_boxes) else gutter


def _join_rows(boxes: list[tuple[float, float, float, float, str]]) -> list[str]:
    """Boxes top to bottom; one-line boxes sharing a baseline band are joined left to right."""
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for box in sorted(boxes, key=lambda b: (-b[3], b[0])):
        single = "\n" not in box[4].strip()
        previous = rows[-1] if rows else None
        if (
            single
            and previous is not None
            and "\n" not in previous[0][4].strip()
            and abs(previous[0][3] - box[3]) <= 3
        ):
            previous.append(box)
        else:
            rows.append([box])
    return ["   ".join(b[4].strip() for b in sorted(row, key=lambda b: b[0])) for row in rows]


def _page_text(layout: object, width: float) -> str:
    return boxes_text(list(_text_boxes(layout)), width)


def boxes_text(boxes: list[tuple[float, float, float, float, str]], width: float) -> str:
    """A page's text boxes (x0, y0, x1, y1, text; y upwards, in points) in reading order:
    columns left then right, one-line boxes on one baseline joined. OCR'd lines use it too."""
    gutter = _find_gutter(boxes, width)
    if gutter is None:
        return "\n".join(_join_rows(boxes))
    # Walk down the page; a box crossing the gutter ends the current column band, so a
    # full-width heading between two-column parts keeps its place.
    parts: list[str] = []
    left: list[tuple[float, float, float, float, str]] = []
    right: list[tuple[float, float, float, float, str]] = []
    for box in sorted(boxes, key=lambda b: -b[3]):
        if box[0] < gutter < box[2]:
            parts += _join_rows(left) + _join_rows(right)
            left, right = [], []
            parts.append(box[4].rstrip())
        elif box[2] <= gutter:
            left.append(box)
        else:
            right.append(box)
    parts += _join_rows(left) + _join_rows(right)
    return "\n".join(parts)


def extract_pdf(data: bytes, *, max_pages: int, time_budget_s: float) -> Extracted:
    """Text of a PDF in reading order, refusing encrypted, huge or slow documents."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    started = time.monotonic()
    try:
        pages = list(PDFPage.get_pages(io.BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ParseError("encrypted PDF: it needs a password to open") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"corrupt PDF: {exc or type(exc).__name__}") from exc
    except Exception as exc:  # pdfminer raises bare Exceptions on some broken files
        if "encrypt" in str(exc).lower():
            raise ParseError("encrypted PDF: it needs a password to open") from exc
        raise ParseError(f"corrupt PDF: {exc or type(exc).__name__}") from exc
    if not pages:
        raise ParseError("corrupt PDF: no pages")
    if len(pages) > max_pages:
        raise ParseError(
            f"too many pages: {len(pages)} (the limit is {max_pages}); a resume is rarely longer"
        )
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    texts: list[str] = []
    images: list[float] = []
    for number, page in enumerate(pages, start=1):
        if time.monotonic() - started > time_budget_s:
            raise ParseError(
                f"PDF took longer than {time_budget_s:g} s to read (stopped at page {number})"
            )
        try:
            interpreter.process_page(page)
        except (PSException, ValueError, KeyError, TypeError) as exc:
            raise ParseError(f"corrupt PDF: page {number}: {exc or type(exc).__name__}") from exc
        layout = device.get_result()
        texts.append(_page_text(layout, layout.width))
        images.append(_image_share(layout, layout.width * layout.height))
    return Extracted(
        text="\n\f".join(texts), pages=len(pages), page_texts=texts, page_images=images
    )


# --------------------------------------------------------------------------- DOCX


def _check_zip_bomb(data: bytes) -> None:
    # The same limits as an uploaded zip archive of resumes (archives.py): one rule.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            for info in infos:
                problem = member_inflation_problem(info)
                if problem is not None:
                    raise ParseError(f"DOCX refused: {problem}")
            problem = archive_inflation_problem(infos)
            if problem is not None:
                raise ParseError(f"DOCX refused: {problem}")
    except zipfile.BadZipFile as exc:
        raise ParseError(f"corrupt DOCX: {exc}") from exc


def _table_lines(table: object) -> Iterator[str]:
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in row.cells:
            text = cell.text.strip()
            # Merged cells repeat the same text once per grid column.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def _block_lines(container: object) -> Iterator[str]:
    """Paragraphs and tables in document order (python-docx lists them apart)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield from _table_lines(block)


def extract_docx(data: bytes) -> Extracted:
    """Text of a DOCX: header, body paragraphs and tables in order, text boxes, footer."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    _check_zip_bomb(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ParseError(f"corrupt DOCX: {exc or type(exc).__name__}") from exc
    except Exception as exc:  # lxml raises XMLSyntaxError subclasses of Exception
        raise ParseError(f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    lines: list[str] = []
    seen_headers: set[str] = set()
    for section in document.sections:
        # Contact details often sit in the page header; sections usually share one.
        for part in (section.header, section.first_page_header):
            if part.is_linked_to_previous:
                continue
            text = "\n".join(_block_lines(part)).strip()
            if text and text not in seen_headers:
                seen_headers.add(text)
                lines.append(text)
    lines.extend(_block_lines(document))
    # Text boxes (floating shapes) are not in the body's paragraph list.
    for box in document.element.body.iter(qn("w:txbxContent")):
        for para in box.iter(qn("w:p")):
            text = "".join(t.text or "" for t in para.iter(qn("w:t")))
            if text.strip():
                lines.append(text)
    for section in document.sections:
        if not section.footer.is_linked_to_previous:
            lines.extend(_block_lines(section.footer))
    return Extracted(text="\n".join(lines), pages=None)


# --------------------------------------------------------------------------- text


def extract_plain(data: bytes) -> Extracted:
    text = decode_text(data)
    if text is None:
        raise ParseError("unreadable text: no known character encoding fits")
    return Extracted(text=text, pages=None)


# --------------------------------------------------------------------------- clean-up

# UTF-8 punctuation that was decoded as Windows-1252 somewhere upstream (common in exports).
_MOJIBAKE = {
    "â\x80¢": "•",
    "â€¢": "•",
    "â\x80\x93": "–",
    "â€“": "–",
    "â\x80\x94": "—",
    "â€”": "—",
    "â\x80\x99": "'",
    "â€™": "'",
    "â\x80\x9c": '"',
    "â\x80\x9d": '"',
    "â\x80¦": "...",
    "Â ": " ",
}
_CID = re.compile(r"\(cid:\d+\)")
_SPACED_WORD = re.compile(r"^(?:[A-Za-z&] ){2,}[A-Za-z&]$")
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-\n(?=[a-z])")
_INLINE_BULLET = re.compile(r"\s+[•●▪■◦]\s+")


def _unspace(line: str) -> str:
    """ "S E N I O R   D E V" -> "SENIOR DEV": letter-spaced headings as words."""
    stripped = line.strip()
    words = re.split(r"\s{2,}", stripped)
    if words and all(_SPACED_WORD.match(w) for w in words):
        return " ".join(w.replace(" ", "") for w in words)
    return line


def clean_text(text: str) -> str:
    """Normalise whitespace, bullets, hyphenation and extraction artefacts."""
    for bad, good in _MOJIBAKE.items():
        text = text.replace(bad, good)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = text.replace("\u2212", "-")  # the minus sign some PDFs use in phone numbers
    text = _CID.sub("", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _INLINE_BULLET.sub("\n• ", text)
    lines = [_unspace(line).rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
