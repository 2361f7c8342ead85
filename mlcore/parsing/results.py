"""Result dataclasses of the resume parser; Django stores them as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ExperienceEntry:
    """One job: start/end are "YYYY-MM" (year-only dates become month 01), end may be "present"."""

    title: str | None = None
    employer: str | None = None
    start: str | None = None
    end: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "employer": self.employer,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class EducationEntry:
    """One degree; `year` is the year it ended (or was awarded) when the resume says."""

    degree: str | None = None
    institution: str | None = None
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"degree": self.degree, "institution": self.institution, "year": self.year}


@dataclass
class ParsedResume:
    """Everything the parser found in one file, or why it could not read it."""

    status: str  # "parsed" | "failed"
    parser_version: str
    error: str | None = None
    content_type: str | None = None
    pages: int | None = None
    text: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    experience: list[ExperienceEntry] = field(default_factory=list)
    education: list[EducationEntry] = field(default_factory=list)
    years_experience: float | None = None
    # Read by OCR (a scan or photo, or PDF pages without a text layer): the engine's mean
    # confidence (0-1), and whether it is low enough that a person should check the fields.
    ocr: bool = False
    ocr_confidence: float | None = None
    needs_check: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "parsed"

    def to_json_dict(self, file: str) -> dict[str, Any]:
        """The stable JSON-lines shape of `python -m mlcore parse` (keys always present)."""
        return {
            "file": file,
            "status": self.status,
            "error": self.error,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "location": self.location,
            "links": list(self.links),
            "skills": list(self.skills),
            "experience": [e.to_dict() for e in self.experience],
            "education": [e.to_dict() for e in self.education],
            "years_experience": self.years_experience,
            "text_chars": len(self.text),
            "parser_version": self.parser_version,
            "ocr": self.ocr,
            "ocr_confidence": self.ocr_confidence,
            "needs_check": self.needs_check,
        }
