"""Education: degree, institution and year of each entry in the education section."""

from __future__ import annotations

import re

from .dates import RANGE, YEAR
from .results import EducationEntry

# Case matters: "BE", "MS", "BA" are degrees only in capitals.
DEGREE = re.compile(
    r"(?<![A-Za-z])(?:"
    r"Bachelor(?:'s|s)?|Master(?:'s|s)?|Doctor(?:ate)?(?: of)?|Ph\.? ?D\.?|PhD|Doctorate"
    r"|M\.? ?B\.? ?A\b\.?|MBA|Post[- ]?Graduate|PG Diploma|PGDM|PGDBA|Diploma"
    r"|Associate(?:'s)? (?:of|in|Degree)"
    r"|B\.? ?Tech|M\.? ?Tech|B\.? ?E\.?|M\.? ?E\.?|B\.? ?Sc\.?|M\.? ?Sc\.?|B\.? ?S\.?|M\.? ?S\.?"
    r"|B\.? ?A\.?|M\.? ?A\.?|BCA|MCA|B\.? ?Com|M\.? ?Com|Bcom|Mcom|BBA|BBM|LL\.? ?B|LL\.? ?M"
    r"|B\.? ?Pharm|M\.? ?Pharm|B\.? ?Arch|MBBS|B\.? ?Ed|M\.? ?Ed|HSC|SSC|S\.S\.C\.?|H\.S\.C\.?"
    r"|High School|Higher Secondary|Senior Secondary|Secondary School|A[- ]Levels?|GCSE|12th|10th"
    r")(?![A-Za-z])"
)
INSTITUTION = re.compile(
    r"\b(?:University|Universit[éy]|College|Institute|School|Academy|Polytechnic|Vidyalaya"
    r"|Vidyapeeth|IIT|NIT|MIT|Caltech|CalTech|Board|Univ\.?)\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:\||\t|\s{2,}|,| - | – )\s*")
_GRADE = re.compile(r"\b(?:GPA|CGPA|Grade|Percentage|Aggregate|\d+(?:\.\d+)?\s*(?:/|%))", re.I)


def _clean_parts(line: str) -> list[str]:
    text = RANGE.sub(" ", line)
    parts = []
    for part in _SPLIT.split(text):
        part = part.strip(" .:;()•-")
        if part and not _GRADE.search(part) and not YEAR.fullmatch(part):
            parts.append(YEAR.sub("", part).strip(" ,-–"))
    return [p for p in parts if p]


def parse_education_section(text: str) -> list[EducationEntry]:
    """One entry per line holding a degree; the institution may follow on the next lines."""
    lines = [line.strip() for line in text.split("\n")]
    entries: list[EducationEntry] = []
    for i, line in enumerate(lines):
        if not line or not DEGREE.search(line) or len(line.split()) > 30:
            continue
        parts = _clean_parts(line)
        degree_index = next((j for j, p in enumerate(parts) if DEGREE.search(p)), None)
        if degree_index is None:
            continue
        degree_part = parts[degree_index]
        if degree_part in {"MA", "MS", "ME"} and degree_index > 0:
            continue  # "Cambridge, MA, USA": a US state, not a Master of Arts
        if re.search(r"\b(?:in|of)$", degree_part) and i + 1 < len(lines) and lines[i + 1]:
            # "Bachelor of Science in" + "Computer Science" on the next line
            degree_part = f"{degree_part} {_clean_parts(lines[i + 1])[0]}" if _clean_parts(
                lines[i + 1]) else degree_part  # fmt: skip
        degree = degree_part[DEGREE.search(degree_part).start() :].strip()  # type: ignore[union-attr]
        institution = None
        rest = parts[degree_index + 1 :] + parts[:degree_index]
        named = [p for p in rest if INSTITUTION.search(p)]
        if named:
            institution = named[-1] if len(named) > 1 and "Board" in named[0] else named[0]
        else:
            # The institution may be on the next lines ("...in\nComputer Science\nNYU").
            for follow in lines[i + 1 : i + 4]:
                if DEGREE.search(follow):
                    break
                hit = next((p for p in _clean_parts(follow) if INSTITUTION.search(p)), None)
                if hit:
                    institution = hit
                    break
            if institution is None and rest:
                institution = rest[0]
        window = " ".join(lines[i : i + 3]) if not YEAR.search(line) else line
        years = [int(y) for y in YEAR.findall(window)]
        entries.append(
            EducationEntry(
                degree=degree, institution=institution, year=max(years) if years else None
            )
        )
    return entries
