"""The floor the parser is compared with: bare extraction plus a handful of regular expressions.

pdfminer's `extract_text` (no column handling), python-docx paragraphs and table cells, or
the text file as it is; then the first line is the name, the first e-mail and the first
number `phonenumbers` reads (region US) are the contact fields, a line holding a date range
is a job (the text before the dates: "title, employer"; none there: the two lines above),
a line naming a University/College/Institute/School is an education entry, and the line
after a "Skills" heading is split on commas. What a careful afternoon of regexes gives.
"""

from __future__ import annotations

import io
import re
from typing import Any

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{4}}|\d{{4}})"
_RANGE = re.compile(
    rf"(?P<start>{_DATE})\s*(?:-|–|—|to)\s*(?P<end>{_DATE}|present|current|now)", re.I
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_INSTITUTION = re.compile(r"\b(?:University|College|Institute|School)\b", re.I)
_DEGREE = re.compile(r"\b(?:Bachelor|Master|B\.?S|M\.?S|B\.?A|M\.?A|MBA|Ph\.?D|Diploma|B\.?Tech)\b")
_SPLIT = re.compile(r"\s*(?:\||,| – | - | at )\s*")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def extract(data: bytes, filename: str) -> str:
    if data.startswith(b"%PDF"):
        from pdfminer.high_level import extract_text

        return extract_text(io.BytesIO(data))
    if data.startswith(b"PK"):
        import docx

        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
        return "\n".join(parts)
    return data.decode("utf-8", errors="replace")


def _month(raw: str) -> str:
    raw = raw.strip().lower()
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", raw):
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    if m := re.fullmatch(r"(\d{4})", raw):
        return f"{raw}-01"
    month = _MONTHS.index(raw[:3]) + 1 if raw[:3] in _MONTHS else 1
    return f"{raw[-4:]}-{month:02d}"


def _end(raw: str) -> str:
    return "present" if raw.lower() in {"present", "current", "now"} else _month(raw)


def floor_parse(data: bytes, filename: str) -> dict[str, Any]:
    """The fields the floor finds, in the JSON shape of `python -m mlcore parse`."""
    import phonenumbers

    text = extract(data, filename)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    email = _EMAIL.search(text)
    phone = None
    for match in phonenumbers.PhoneNumberMatcher(text, "US"):
        phone = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        break
    jobs = []
    for i, line in enumerate(lines):
        found = _RANGE.search(line)
        if not found:
            continue
        rest = [p for p in _SPLIT.split(_RANGE.sub(" ", line).strip(" |,–-()")) if p.strip()]
        if not rest:
            rest = [lines[i - 1]] + ([lines[i - 2]] if i >= 2 else []) if i else []
        jobs.append(
            {
                "title": rest[0] if rest else None,
                "employer": rest[1] if len(rest) > 1 else None,
                "start": _month(found.group("start")),
                "end": _end(found.group("end")),
            }
        )
    education = []
    for line in lines:
        if _INSTITUTION.search(line) and len(line.split()) <= 14:
            parts = _SPLIT.split(line)
            institution = next(p for p in parts if _INSTITUTION.search(p))
            degree = next((p for p in parts if _DEGREE.search(p)), None)
            years = re.findall(r"\b(?:19|20)\d\d\b", line)
            year = int(max(years)) if years else None
            education.append({"degree": degree, "institution": institution, "year": year})
    skills: list[str] = []
    for i, line in enumerate(lines[:-1]):
        if re.fullmatch(r"(?:\w+ )?skills:?", line, re.I):
            skills = [s.strip() for s in lines[i + 1].split(",") if s.strip()]
            break
    return {
        "name": lines[0] if lines else None,
        "email": email.group(0) if email else None,
        "phone": phone,
        "skills": skills,
        "experience": jobs,
        "education": education,
    }
