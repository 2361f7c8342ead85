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
_SPLIT = re.compile(r"\s*(?:\||\t|\s{2,}|,| - | – | — )\s*")
_GRADE = re.compile(r"\b(?:GPA|CGPA|Grade|Percentage|Aggregate|\d+(?:\.\d+)?\s*(?:/|%))", re.I)


def _clean_parts(line: str) -> list[str]:
    text = RANGE.sub(" ", line)
    parts = []
    for part in _SPLIT.split(text):
        part = part.strip(" .:;()•-")
        if part and not _GRADE.search(part) and not YEAR.fullmatch(part):
            parts.append(YEAR.sub("", part).strip(" ,-–—()"))
    return [p for p in parts if p]


# Words of fields of study: a part made of these alone is what was studied, not where.
_FIELD_WORDS = frozenset(
    """
    english literature language languages arts art science sciences computer engineering
    mathematics maths math statistics physics chemistry biology economics history
    geography philosophy psychology sociology politics political law business
    administration management accounting accountancy finance marketing commerce education
    nursing medicine medical pharmacy health public information technology systems
    electrical electronics mechanical civil chemical communication communications design
    fine music theatre theater journalism media studies social work criminal justice
    biochemistry biotechnology microbiology environmental agriculture architecture
    hospitality tourism humanities liberal general applied international relations
    software data special elementary secondary early childhood physical sports kinesiology
    human resources resource and of in with for the minor major honours honors hons
    french spanish german chinese hindi linguistics religious theology anthropology
    """.split()  # noqa: SIM905
)
_YEAR_LINE = re.compile(rf"^[\s(]*(?:{RANGE.pattern}|{YEAR.pattern})[\s)]*$", re.I)


def is_institution_name(part: str) -> bool:
    """A school's name with or without a keyword: "Holy Trinity College", "Monash", "IIT
    Roorkee" yes; "English Literature", "GPA 3.8", "Boston, MA" no."""
    if INSTITUTION.search(part):
        return True
    words = re.findall(r"[A-Za-z][A-Za-z.'&-]*", part)
    if not 1 <= len(words) <= 8 or re.search(r"\d", part) or DEGREE.search(part):
        return False
    content = [w for w in words if w.lower() not in {"of", "and", "the", "&", "for", "at", "de"}]
    if not content or sum(w[0].isupper() for w in content) < len(content):
        return False
    return not all(w.lower().strip(".") in _FIELD_WORDS for w in content)


def _institution_in(parts: list[str]) -> str | None:
    named = [p for p in parts if INSTITUTION.search(p)]
    if named:
        return named[-1] if len(named) > 1 and "Board" in named[0] else named[0]
    return next((p for p in parts if is_institution_name(p)), None)


def parse_education_section(text: str) -> list[EducationEntry]:
    """One entry per line holding a degree; the institution is on that line, or on the
    lines before it or after it, as this resume's layout puts it."""
    lines = [line.strip() for line in text.split("\n")]
    degree_lines = [
        i
        for i, line in enumerate(lines)
        if line and DEGREE.search(line) and len(line.split()) <= 30
    ]
    # Where the school sits when not on the degree's line: a school line above the first
    # degree says "before" (and below the last one "after", the default).
    before = False
    if degree_lines:
        above = [x for x in lines[: degree_lines[0]] if x and not _YEAR_LINE.match(x)]
        before = bool(above) and _institution_in(_clean_parts(above[-1])) is not None
    entries: list[EducationEntry] = []
    for i in degree_lines:
        line = lines[i]
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
        rest = parts[degree_index + 1 :] + parts[:degree_index]
        institution = _institution_in(rest)
        if institution is None:
            near = lines[max(0, i - 3) : i][::-1] if before else lines[i + 1 : i + 4]
            for follow in near:
                if not follow or _YEAR_LINE.match(follow):
                    continue
                if DEGREE.search(follow):
                    break
                institution = _institution_in(_clean_parts(follow))
                if institution:
                    break
        window_lines = lines[max(0, i - 2) : i + 1] if before else lines[i : i + 3]
        window = " ".join(window_lines) if not YEAR.search(line) else line
        years = [int(y) for y in YEAR.findall(window)]
        entries.append(
            EducationEntry(
                degree=degree, institution=institution, year=max(years) if years else None
            )
        )
    return entries
