"""The rendered part of the parser's eval set: structured public records -> resumes of many
layouts as PDF, DOCX and TXT, with the labels each rendering implies.

    python -m bench.parse_eval_render --write-records  # rebuild parse_eval_records.jsonl
    python -m bench.parse_eval_render --out /tmp/cvs    # write the rendered files

Records (bench/data/parse_eval_records.jsonl, built once from the shared data): each one
takes the name, e-mail, job titles ("Designation"), employers ("Companies worked at"),
degrees and colleges of one dotin resume (CC0), topped up from the pools of all dotin
resumes, US federal job titles (USAJOBS, MIT) and O*NET alternate titles (CC BY 4.0);
descriptions are O*NET task statements; dates and phone numbers are drawn by a seeded RNG.
Files are rendered in memory at bench time (nothing generated is stored). The PDF writer
below is minimal (standard Helvetica, absolute text positions), so no PDF library is needed.
See bench/data/PARSE_EVAL_PROVENANCE.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RECORDS_PATH = ROOT / "bench" / "data" / "parse_eval_records.jsonl"
FORMATS = ("pdf", "docx", "txt")
# Templates t08-t10 were written before any tuning and never looked at while the parser was
# changed; records from dotin's own "test" split are held out the same way.
HELD_OUT_TEMPLATES = {"t08", "t09", "t10"}

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]

# ----------------------------------------------------------------------------- document model


@dataclass
class Block:
    kind: str  # heading | line | row | table | columns | bullet | name
    text: str = ""
    right: str = ""
    bold: bool = False
    rows: list[list[str]] = field(default_factory=list)
    left_blocks: list[Block] = field(default_factory=list)
    right_blocks: list[Block] = field(default_factory=list)


def H(text: str) -> Block:
    return Block("heading", text, bold=True)


def L(text: str, bold: bool = False) -> Block:
    return Block("line", text, bold=bold)


def R(text: str, right: str, bold: bool = False) -> Block:
    return Block("row", text, right=right, bold=bold)


def B(text: str) -> Block:
    return Block("bullet", text)


def T(rows: list[list[str]]) -> Block:
    return Block("table", rows=rows)


def C(left: list[Block], right: list[Block]) -> Block:
    return Block("columns", left_blocks=left, right_blocks=right)


# ----------------------------------------------------------------------------- TXT


def _txt_lines(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            out += ["", b.text]
        elif b.kind in ("line", "name"):
            out.append(b.text)
        elif b.kind == "bullet":
            out.append(f"• {b.text}")
        elif b.kind == "row":
            out.append(f"{b.text:<60} {b.right}".rstrip() if b.right else b.text)
        elif b.kind == "table":
            widths = [max(len(r[i]) for r in b.rows) for i in range(len(b.rows[0]))]
            out += [
                "   ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                for r in b.rows
            ]
        elif b.kind == "columns":
            out += [*_txt_lines(b.left_blocks), "", *_txt_lines(b.right_blocks)]
    return out


def render_txt(blocks: list[Block]) -> bytes:
    return ("\n".join(_txt_lines(blocks)).strip() + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- DOCX


def render_docx(blocks: list[Block], header: list[Block] | None = None) -> bytes:
    import docx
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Inches, Pt

    document = docx.Document()

    def para(container: Any, block: Block) -> None:
        if block.kind == "table":
            table = container.add_table(rows=len(block.rows), cols=len(block.rows[0]))
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            return
        if block.kind == "columns":
            table = container.add_table(rows=1, cols=2)
            for cell, inner in zip(
                table.rows[0].cells, (block.left_blocks, block.right_blocks), strict=True
            ):
                cell.paragraphs[0].text = ""
                for sub in inner:
                    para(cell, sub)
            return
        p = container.add_paragraph()
        if block.kind == "bullet":
            p.add_run(f"• {block.text}")
        elif block.kind == "row":
            p.paragraph_format.tab_stops.add_tab_stop(Inches(6.0), WD_TAB_ALIGNMENT.RIGHT)
            p.add_run(block.text).bold = block.bold
            if block.right:
                p.add_run(f"\t{block.right}")
        else:
            run = p.add_run(block.text)
            run.bold = block.bold or block.kind in ("heading", "name")
            if block.kind == "name":
                run.font.size = Pt(18)

    if header:
        section_header = document.sections[0].header
        section_header.paragraphs[0].text = header[0].text
        for block in header[1:]:
            section_header.add_paragraph(block.text)
    for block in blocks:
        para(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------- PDF

PAGE_W, PAGE_H, MARGIN, LEADING = 612.0, 792.0, 54.0, 13.0


def _width(text: str, size: float) -> float:
    return len(text) * size * 0.5


def _wrap(text: str, width: float, size: float) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        trial = f"{cur} {w}".strip()
        if cur and _width(trial, size) > width:
            lines.append(cur)
            cur = w
        else:
            cur = trial
    return lines + ([cur] if cur else [])


class _Pdf:
    """Positions text lines on pages; a flow of blocks within [x0, x1]."""

    def __init__(self) -> None:
        self.pages: list[list[tuple[float, float, str, bool, float]]] = [[]]

    def put(self, page: int, x: float, y: float, text: str, bold: bool, size: float) -> None:
        while len(self.pages) <= page:
            self.pages.append([])
        self.pages[page].append((x, y, text, bold, size))

    def flow(
        self, blocks: list[Block], x0: float, x1: float, page: int, y: float
    ) -> tuple[int, float]:
        def advance(n: float = 1.0) -> None:
            nonlocal page, y
            y -= LEADING * n
            if y < MARGIN:
                page, y = page + 1, PAGE_H - MARGIN

        for b in blocks:
            if b.kind == "heading":
                advance(0.6)
                self.put(page, x0, y, b.text, True, 11)
                advance()
            elif b.kind == "name":
                self.put(page, x0, y, b.text, True, 16)
                advance(1.5)
            elif b.kind in ("line", "bullet"):
                indent = 10 if b.kind == "bullet" else 0
                for k, piece in enumerate(_wrap(b.text, x1 - x0 - indent, 10)):
                    prefix = "• " if b.kind == "bullet" and k == 0 else ""
                    self.put(
                        page, x0 + indent - (8 if prefix else 0), y, prefix + piece, b.bold, 10
                    )
                    advance()
            elif b.kind == "row":
                self.put(page, x0, y, b.text, b.bold, 10)
                if b.right:
                    self.put(page, x1 - _width(b.right, 10), y, b.right, False, 10)
                advance()
            elif b.kind == "table":
                n = len(b.rows[0])
                col = (x1 - x0) / n
                for row in b.rows:
                    lines = [_wrap(c, col - 8, 10) or [""] for c in row]
                    for k in range(max(len(x) for x in lines)):
                        for c, cell_lines in enumerate(lines):
                            if k < len(cell_lines):
                                self.put(page, x0 + c * col, y, cell_lines[k], False, 10)
                        advance()
                    advance(0.4)
            elif b.kind == "columns":
                split = x0 + (x1 - x0) * 0.32
                p1, y1 = self.flow(b.left_blocks, x0, split - 14, page, y)
                p2, y2 = self.flow(b.right_blocks, split + 14, x1, page, y)
                page, y = max((p1, y1), (p2, y2), key=lambda t: (t[0], -t[1]))
        return page, y


def _pdf_escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def render_pdf(blocks: list[Block]) -> bytes:
    layout = _Pdf()
    layout.flow(blocks, MARGIN, PAGE_W - MARGIN, 0, PAGE_H - MARGIN)
    objects: list[bytes] = []
    n_pages = len(layout.pages)
    # 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, then (page, content) pairs.
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for font in ("Helvetica", "Helvetica-Bold"):
        objects.append(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{font} "
            "/Encoding /WinAnsiEncoding >>".encode()
        )
    for i, items in enumerate(layout.pages):
        stream = b"".join(
            b"BT /%s %.1f Tf %.2f %.2f Td (%s) Tj ET\n"
            % (b"F2" if bold else b"F1", size, x, y, _pdf_escape(text))
            for x, y, text, bold, size in items
        )
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W:.0f} {PAGE_H:.0f}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            f"/Contents {6 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (k, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


# ----------------------------------------------------------------------------- dates


def _ym(value: list[int] | None) -> tuple[int, int] | None:
    return (value[0], value[1]) if value else None


def date_text(
    style: str, start: tuple[int, int], end: tuple[int, int] | None
) -> tuple[str, str, str]:
    """(text, start label, end label) of a date range in one of the styles resumes use."""
    (sy, sm), e = start, end
    lab_s = f"{sy}-{sm:02d}"
    lab_e = "present" if e is None else f"{e[0]}-{e[1]:02d}"
    if style == "long_to":  # January 2017 to Present
        end_t = "Present" if e is None else f"{MONTHS[e[1] - 1]} {e[0]}"
        return f"{MONTHS[sm - 1]} {sy} to {end_t}", lab_s, lab_e
    if style == "num_year":  # 03/2017 – 2019
        end_t = "Present" if e is None else str(e[0])
        return f"{sm:02d}/{sy} – {end_t}", lab_s, ("present" if e is None else f"{e[0]}-01")
    if style == "years_now":  # 2017–now
        end_t = "now" if e is None else str(e[0])
        return f"{sy}–{end_t}", f"{sy}-01", ("present" if e is None else f"{e[0]}-01")
    if style == "abbr":  # Sept 2012 - Dec 2013
        end_t = "Present" if e is None else f"{ABBR[e[1] - 1]} {e[0]}"
        return f"{ABBR[sm - 1]} {sy} - {end_t}", lab_s, lab_e
    if style == "abbr_dash":  # Jan 2015 – Current
        end_t = "Current" if e is None else f"{ABBR[e[1] - 1][:3]} {e[0]}"
        return f"{ABBR[sm - 1][:3]} {sy} – {end_t}", lab_s, lab_e
    if style == "num_to":  # 05/2019 to 03/2021
        end_t = "Present" if e is None else f"{e[1]:02d}/{e[0]}"
        return f"{sm:02d}/{sy} to {end_t}", lab_s, lab_e
    if style == "years":  # 2015 - 2018
        end_t = "Present" if e is None else str(e[0])
        return f"{sy} - {end_t}", f"{sy}-01", ("present" if e is None else f"{e[0]}-01")
    if style == "iso":  # 2016.04 – 2019.11
        end_t = "present" if e is None else f"{e[0]}.{e[1]:02d}"
        return f"{sy}.{sm:02d} – {end_t}", lab_s, lab_e
    raise ValueError(style)


# ----------------------------------------------------------------------------- templates


@dataclass
class Rendered:
    blocks: list[Block]
    header: list[Block] | None
    expected: dict[str, Any]


def _contact(rec: dict[str, Any], sep: str = " | ") -> str:
    return sep.join(x for x in (rec["email"], rec["phone_display"], rec["location"]) if x)


def _skills_line(rec: dict[str, Any]) -> str:
    return ", ".join(rec["skills"])


def _render(rec: dict[str, Any], template: str) -> Rendered:
    """Blocks of one record in one template, and the labels that rendering implies."""
    jobs_exp: list[dict[str, Any]] = []
    date_style = TEMPLATES[template]["dates"]
    blocks_jobs: list[list[Block]] = []
    for job in rec["jobs"]:
        text, s, e = date_text(date_style, _ym(job["start"]), _ym(job["end"]))  # type: ignore[arg-type]
        jobs_exp.append({"title": job["title"], "employer": job["employer"], "start": s, "end": e})
        blocks_jobs.append(TEMPLATES[template]["job"](job, text))
    edu_blocks = [TEMPLATES[template]["edu"](ed) for ed in rec["education"]]
    expected = {
        "name": rec["name"],
        "email": rec["email"],
        "phone": rec["phone"],
        "skills": rec["skills"],
        "experience": jobs_exp,
        "education": [dict(ed) for ed in rec["education"]],
    }
    blocks, header = TEMPLATES[template]["page"](rec, blocks_jobs, edu_blocks)
    return Rendered(blocks, header, expected)


def _desc(job: dict[str, Any]) -> list[Block]:
    return [B(t) for t in job["bullets"]]


def _flat(parts: list[list[Block]]) -> list[Block]:
    return [b for p in parts for b in p]


# t01: classic one column; "Title    dates" row, company line, bullets; long dates.
def _t01_job(job: dict[str, Any], dates: str) -> list[Block]:
    return [R(job["title"], dates, bold=True), L(f"{job['employer']}, {job['city']}"), *_desc(job)]


def _t01_edu(ed: dict[str, Any]) -> list[Block]:
    return [L(f"{ed['degree']}, {ed['institution']}, {ed['year']}")]


def _t01_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    return [
        Block("name", rec["name"]),
        L(_contact(rec)),
        H("PROFESSIONAL SUMMARY"),
        L(rec["summary"]),
        H("WORK EXPERIENCE"),
        *_flat(jobs),
        H("EDUCATION"),
        *_flat(edus),
        H("SKILLS"),
        L(_skills_line(rec)),
    ], None


# t02: "Title – Company" line, dates on the next line ("03/2017 – 2019").
def _t02_job(job, dates):  # type: ignore[no-untyped-def]
    return [L(f"{job['title']} – {job['employer']}", bold=True), L(dates), *_desc(job)]


def _t02_edu(ed):  # type: ignore[no-untyped-def]
    return [L(ed["institution"], bold=True), L(f"{ed['degree']} ({ed['year']})")]


def _t02_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    return [
        Block("name", rec["name"]),
        L(rec["location"]),
        L(f"Phone: {rec['phone_display']}"),
        L(f"Email: {rec['email']}"),
        H("Experience"),
        *_flat(jobs),
        H("Education"),
        *_flat(edus),
        H("Key Skills"),
        *[B(s) for s in rec["skills"]],
    ], None


# t03: "Company | Title | 2017–now" on one line.
def _t03_job(job, dates):  # type: ignore[no-untyped-def]
    return [L(f"{job['employer']} | {job['title']} | {dates}", bold=True), *_desc(job)]


def _t03_edu(ed):  # type: ignore[no-untyped-def]
    return [L(f"{ed['institution']} | {ed['degree']} | {ed['year']}")]


def _t03_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    return [
        Block("name", rec["name"].upper()),
        L(_contact(rec, " · ")),
        H("EMPLOYMENT HISTORY"),
        *_flat(jobs),
        H("ACADEMIC BACKGROUND"),
        *_flat(edus),
        H("TECHNICAL SKILLS"),
        L(" | ".join(rec["skills"])),
    ], None


# t04: dates first ("Sept 2012 - Dec 2013"), then company line, then title line.
def _t04_job(job, dates):  # type: ignore[no-untyped-def]
    return [L(dates), L(job["employer"], bold=True), L(job["title"]), *_desc(job)]


def _t04_edu(ed):  # type: ignore[no-untyped-def]
    return [L(str(ed["year"])), L(ed["institution"], bold=True), L(ed["degree"])]


def _t04_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    return [
        Block("name", rec["name"]),
        L(rec["email"]),
        L(rec["phone_display"]),
        L(rec["location"]),
        H("Objective"),
        L(rec["summary"]),
        H("Professional Experience"),
        *_flat(jobs),
        H("Education"),
        *_flat(edus),
        H("Skills"),
        L(_skills_line(rec)),
    ], None


# t05: experience and education as tables (dates | title | employer).
def _t05_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    job_rows = [[j[0].text, j[1].text, j[2].text] for j in jobs]
    edu_rows = [[e[0].text, e[1].text, e[2].text] for e in edus]
    return [
        Block("name", rec["name"]),
        L(_contact(rec)),
        H("Work History"),
        T([["Period", "Position", "Employer"], *job_rows]),
        H("Education"),
        T([["Year", "Degree", "Institution"], *edu_rows]),
        H("Skills"),
        L(_skills_line(rec)),
    ], None


def _t05_job(job, dates):  # type: ignore[no-untyped-def]
    return [L(dates), L(job["title"]), L(job["employer"])]


def _t05_edu(ed):  # type: ignore[no-untyped-def]
    return [L(str(ed["year"])), L(ed["degree"]), L(ed["institution"])]


# t06: two columns: a sidebar (contact, skills, education), the main column (experience).
def _t06_job(job, dates):  # type: ignore[no-untyped-def]
    return [L(f"{job['title']} at {job['employer']}", bold=True), L(f"({dates})"), *_desc(job)]


def _t06_edu(ed):  # type: ignore[no-untyped-def]
    return [L(ed["degree"]), L(ed["institution"]), L(str(ed["year"]))]


def _t06_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    side = [
        H("Contact"),
        L(rec["email"]),
        L(rec["phone_display"]),
        L(rec["location"]),
        H("Skills"),
        *[L(s) for s in rec["skills"]],
        H("Education"),
        *_flat(edus),
    ]
    main = [H("Profile"), L(rec["summary"]), H("Experience"), *_flat(jobs)]
    return [Block("name", rec["name"]), C(side, main)], None


# t07: contact in a header block; "EMPLOYER, City — Title" then dates right-aligned.
def _t07_job(job, dates):  # type: ignore[no-untyped-def]
    return [
        R(f"{job['employer'].upper()}, {job['city']}", dates, bold=True),
        L(job["title"]),
        *_desc(job),
    ]


def _t07_edu(ed):  # type: ignore[no-untyped-def]
    return [R(ed["institution"], str(ed["year"]), bold=True), L(ed["degree"])]


def _t07_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    header = [L(rec["name"]), L(_contact(rec))]
    body = [
        H("Summary"),
        L(rec["summary"]),
        H("Career History"),
        *_flat(jobs),
        H("Qualifications"),
        *_flat(edus),
        H("Core Competencies"),
        L(" • ".join(rec["skills"])),
    ]
    return header + body, header


# --- held out: written before tuning, not looked at during development ----------------


# t08: dates first on the same line, "dates  Title, Company".
def _t08_job(job, dates):  # type: ignore[no-untyped-def]
    return [L(f"{dates}   {job['title']}, {job['employer']}", bold=True), *_desc(job)]


def _t08_edu(ed):  # type: ignore[no-untyped-def]
    return [L(f"{ed['year']}   {ed['degree']}, {ed['institution']}")]


def _t08_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    return [
        Block("name", rec["name"]),
        L(f"{rec['location']} • {rec['phone_display']} • {rec['email']}"),
        H("Relevant Experience"),
        *_flat(jobs),
        H("Education and Training"),
        *_flat(edus),
        H("Areas of Expertise"),
        L(_skills_line(rec)),
    ], None


# t09: title line, "Company, City" line, "MM/YYYY to MM/YYYY" line.
def _t09_job(job, dates):  # type: ignore[no-untyped-def]
    return [
        L(job["title"], bold=True),
        L(f"{job['employer']}, {job['city']}"),
        L(dates),
        *_desc(job),
    ]


def _t09_edu(ed):  # type: ignore[no-untyped-def]
    return [L(ed["degree"], bold=True), L(f"{ed['institution']} — {ed['year']}")]


def _t09_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    return [
        Block("name", rec["name"]),
        L(f"{rec['phone_display']}  |  {rec['email']}"),
        L(rec["location"]),
        H("Career Summary"),
        L(rec["summary"]),
        H("Employment"),
        *_flat(jobs),
        H("Education"),
        *_flat(edus),
        H("Skills"),
        *[B(s) for s in rec["skills"]],
    ], None


# t10: two columns, the experience in a left column of dates and a right one of entries.
def _t10_job(job, dates):  # type: ignore[no-untyped-def]
    return [L(dates), L(job["employer"], bold=True), L(job["title"])]


def _t10_edu(ed):  # type: ignore[no-untyped-def]
    return [L(str(ed["year"])), L(ed["institution"], bold=True), L(ed["degree"])]


def _t10_page(rec, jobs, edus):  # type: ignore[no-untyped-def]
    job_rows = [[j[0].text, f"{j[1].text} — {j[2].text}"] for j in jobs]
    edu_rows = [[e[0].text, f"{e[2].text}, {e[1].text}"] for e in edus]
    return [
        Block("name", rec["name"]),
        L(_contact(rec, "  ")),
        H("Experience"),
        T(job_rows),
        H("Education"),
        T(edu_rows),
        H("Skills"),
        L(_skills_line(rec)),
    ], None


TEMPLATES: dict[str, dict[str, Any]] = {
    "t01": {"job": _t01_job, "edu": _t01_edu, "page": _t01_page, "dates": "long_to"},
    "t02": {"job": _t02_job, "edu": _t02_edu, "page": _t02_page, "dates": "num_year"},
    "t03": {"job": _t03_job, "edu": _t03_edu, "page": _t03_page, "dates": "years_now"},
    "t04": {"job": _t04_job, "edu": _t04_edu, "page": _t04_page, "dates": "abbr"},
    "t05": {"job": _t05_job, "edu": _t05_edu, "page": _t05_page, "dates": "num_to"},
    "t06": {"job": _t06_job, "edu": _t06_edu, "page": _t06_page, "dates": "years"},
    "t07": {"job": _t07_job, "edu": _t07_edu, "page": _t07_page, "dates": "abbr_dash"},
    "t08": {"job": _t08_job, "edu": _t08_edu, "page": _t08_page, "dates": "years"},
    "t09": {"job": _t09_job, "edu": _t09_edu, "page": _t09_page, "dates": "num_to"},
    "t10": {"job": _t10_job, "edu": _t10_edu, "page": _t10_page, "dates": "iso"},
}


def render(
    rec: dict[str, Any], template: str | None = None, fmt: str | None = None
) -> tuple[bytes, str, dict[str, Any]]:
    """(file bytes, file name, expected fields) of one record."""
    template = template or rec["template"]
    fmt = fmt or rec["format"]
    out = _render(rec, template)
    if fmt == "pdf":
        data = render_pdf(out.blocks)
    elif fmt == "docx":
        # t07 keeps its contact block in the page header of the DOCX, as Word templates do.
        body = out.blocks[len(out.header) :] if out.header else out.blocks
        data = render_docx(body, out.header)
    else:
        data = render_txt(out.blocks)
    return data, f"{rec['id']}_{template}.{fmt}", out.expected


def load_records() -> list[dict[str, Any]]:
    return [json.loads(x) for x in RECORDS_PATH.read_text(encoding="utf-8").splitlines() if x]


def split_of(rec: dict[str, Any]) -> str:
    """dev, or why it is held out (template or source)."""
    if rec["template"] in HELD_OUT_TEMPLATES:
        return "held-out template"
    if rec["source_split"] == "test":
        return "held-out source"
    return "dev"


# ----------------------------------------------------------------------------- records

_REGIONS = [
    ("US", ["Austin, TX", "Denver, CO", "Chicago, IL", "Raleigh, NC", "Seattle, WA"]),
    ("GB", ["London, United Kingdom", "Manchester, UK", "Leeds, England"]),
    ("IN", ["Pune, Maharashtra, India", "Hyderabad, Telangana", "Bengaluru, India"]),
    ("IE", ["Dublin, Ireland", "Cork, Ireland"]),
    ("AU", ["Sydney NSW, Australia", "Melbourne, Australia"]),
    ("CA", ["Toronto, ON", "Vancouver, BC"]),
    ("DE", ["Berlin, Germany", "München, Deutschland"]),
]
_DEGREE_WORDS = re.compile(
    r"\b(?:Bachelor|Master|B\.?\s?(?:Sc|S|A|E|Tech|Com)\b|M\.?\s?(?:Sc|S|A|E|Tech|Com)\b|MBA|Ph\.?D"
    r"|Doctor|Associate|Diploma|J\.?D\b|BBA|BCA|MCA|B\.?Ed|M\.?Ed)",
)


def _clean(text: str) -> str:
    return " ".join(text.replace("\n", " ").split()).strip(" ,.;:-–")


def _ok_phrase(text: str, max_words: int) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= max_words
        and not re.search(r"\d|@|http|[\"“”]", text)
        and not re.search(r"\b\w \w \w\b", text)  # letter-spaced
        and any(c.isupper() for c in text)
        and len(text) <= 60
    )


def _nice(text: str) -> str:
    """ "SITE ENGINEER" -> "Site Engineer", "site engineer" -> "Site Engineer"."""
    if text.isupper():
        return " ".join(w.capitalize() if len(w) > 3 else w for w in text.split())
    return text if any(c.isupper() for c in text) else text.title()


def _phone(rng: random.Random, region: str) -> tuple[str, str]:
    import phonenumbers

    base = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    digits = str(base.national_number)
    for _ in range(200):
        candidate = digits[:-4] + f"{rng.randrange(10000):04d}"
        number = phonenumbers.parse(candidate, region)
        if phonenumbers.is_valid_number(number):
            break
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    style = (
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
        if rng.random() < 0.3
        else phonenumbers.PhoneNumberFormat.NATIONAL
    )
    return e164, phonenumbers.format_number(number, style)


def build_records(shared: Path, seed: int = 18) -> list[dict[str, Any]]:
    """Records of the rendered eval set (deterministic for a seed and the shared data)."""
    rng = random.Random(seed)
    rows = [
        json.loads(x)
        for x in (shared / "data/resumes_more/dotin_resume_ner/dotin_resume_ner_spans.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]

    def spans(row: dict[str, Any], label: str, max_words: int) -> list[str]:
        seen: dict[str, str] = {}
        for e in row["entities"]:
            if e["label"] == label and "\n\n" not in e["text"]:
                value = _nice(_clean(e["text"]))
                if _ok_phrase(value, max_words):
                    seen.setdefault(value.lower(), value)
        return list(seen.values())

    pools: dict[str, list[str]] = {"title": [], "employer": [], "institution": [], "degree": []}
    for row in rows:
        pools["title"] += spans(row, "Designation", 6)
        pools["employer"] += spans(row, "Companies worked at", 6)
        pools["institution"] += spans(row, "College Name", 8)
        pools["degree"] += [d for d in spans(row, "Degree", 9) if _DEGREE_WORDS.search(d)]
    with (
        shared / "data/resumes_more/usajobs_titles_occupation_series/usajobs_2024_2025_titles.csv"
    ).open(encoding="utf-8") as handle:
        federal = sorted(
            {_clean(re.sub(r"\(.*?\)", "", r["position_title"])) for r in csv.DictReader(handle)}
        )
    federal = [t for t in federal if _ok_phrase(t, 5) and "/" not in t]
    with (shared / "data/onet/alternate_titles.csv").open(encoding="utf-8") as handle:
        alternate = sorted({r["Alternate Title"] for r in csv.DictReader(handle)})
    alternate = [t for t in alternate if _ok_phrase(t, 4) and "(" not in t and "/" not in t]
    with (shared / "data/onet/task_statements.csv").open(encoding="utf-8") as handle:
        tasks = [r["Task"] for r in csv.DictReader(handle) if len(r["Task"]) < 150]
    with (shared / "data/onet/technology_skills.csv").open(encoding="utf-8") as handle:
        tech = sorted({r["Example"] for r in csv.DictReader(handle) if len(r["Example"]) < 30})
    for key in pools:
        pools[key] = sorted(set(pools[key]))

    picked = [r for r in rows if r["split"] == "train"]
    rng.shuffle(picked)
    picked = picked[:150] + [r for r in rows if r["split"] == "test"]
    records = []
    templates = sorted(TEMPLATES)
    for k, row in enumerate(picked):
        names = [n for n in spans(row, "Name", 4) if 2 <= len(n.split()) <= 3]
        name = names[0] if names else None
        if name is None:
            import faker

            fake = faker.Faker()
            fake.seed_instance(k)
            name = fake.name()
        emails = [e["text"].strip() for e in row["entities"] if e["label"] == "Email Address"]
        emails = [e for e in emails if re.fullmatch(r"[\w.+-]+@[\w-]+\.[\w.]+", e)]
        email = emails[0].lower() if emails else ".".join(name.lower().split()) + "@example.com"
        n_jobs = rng.randint(1, 4)
        own_titles = spans(row, "Designation", 6)
        own_employers = [
            e
            for e in spans(row, "Companies worked at", 6)
            if e.lower() not in {t.lower() for t in own_titles}
        ]
        titles: list[str] = []
        for i in range(n_jobs):
            source = (
                own_titles
                if i < len(own_titles)
                else rng.choice([pools["title"], federal, alternate])
            )
            title = source[i] if source is own_titles else rng.choice(source)
            if title.lower() not in {t.lower() for t in titles}:
                titles.append(title)
        employers: list[str] = []
        for i in range(len(titles)):
            employer = own_employers[i] if i < len(own_employers) else rng.choice(pools["employer"])
            if employer.lower() in {e.lower() for e in employers} or employer.lower() in {
                t.lower() for t in titles
            }:
                employer = rng.choice(pools["employer"])
            employers.append(employer)
        region, cities = rng.choice(_REGIONS)
        year = rng.randint(2019, 2025)
        jobs = []
        end: list[int] | None = None
        for title, employer in zip(titles, employers, strict=True):
            start_y = year - rng.randint(1, 4)
            start = [start_y, rng.randint(1, 12)]
            jobs.append(
                {
                    "title": title,
                    "employer": employer,
                    "city": rng.choice(cities).split(",")[0],
                    "start": start,
                    "end": end,
                    "bullets": rng.sample(tasks, rng.randint(1, 3)),
                }
            )
            end = [start_y - rng.randint(0, 1), rng.randint(1, 12)]
            year = end[0]
        own_degrees = [d for d in spans(row, "Degree", 9) if _DEGREE_WORDS.search(d)]
        own_colleges = spans(row, "College Name", 8)
        education = []
        n_edu = rng.randint(1, 2)
        grad = (jobs[-1]["start"][0] if jobs else 2015) - rng.randint(0, 2)
        for i in range(n_edu):
            degree = own_degrees[i] if i < len(own_degrees) else rng.choice(pools["degree"])
            institution = (
                own_colleges[i] if i < len(own_colleges) else rng.choice(pools["institution"])
            )
            education.append({"degree": degree, "institution": institution, "year": grad})
            grad -= rng.randint(2, 4)
        phone, phone_display = _phone(rng, region)
        records.append(
            {
                "id": f"dotin{k:03d}",
                "source": row["file"],
                "source_split": row["split"],
                "template": templates[k % len(templates)],
                "format": FORMATS[(k // len(templates) + k) % len(FORMATS)],
                "name": name,
                "email": email,
                "phone": phone,
                "phone_display": phone_display,
                "location": rng.choice(cities),
                "summary": rng.choice(tasks),
                "skills": rng.sample(tech, rng.randint(4, 9)),
                "jobs": jobs,
                "education": education,
            }
        )
    return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--write-records", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="write the rendered files here")
    args = parser.parse_args(argv)
    if args.write_records:
        from bench.parse_accuracy import default_shared_dir

        records = build_records(args.shared or default_shared_dir())
        RECORDS_PATH.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
        print(f"{len(records)} records -> {RECORDS_PATH.relative_to(ROOT)}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for rec in load_records():
            data, name, expected = render(rec)
            (args.out / name).write_bytes(data)
            (args.out / (name + ".json")).write_text(
                json.dumps(expected, ensure_ascii=False, indent=1)
            )
        print(f"rendered into {args.out}")


Renderer = Callable[[dict[str, Any]], bytes]

if __name__ == "__main__":
    main()
