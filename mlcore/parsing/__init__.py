"""Framework-free resume parser: `parse_resume(bytes, filename) -> ParsedResume`."""

from .errors import ParseError, UnsupportedFile
from .filetypes import detect_content_type
from .results import EducationEntry, ExperienceEntry, ParsedResume
from .resume import PARSER_VERSION, parse_resume
from .skills import canonical_skill, matched_and_missing, same_skill, skill_key

__all__ = [
    "PARSER_VERSION",
    "EducationEntry",
    "ExperienceEntry",
    "ParseError",
    "ParsedResume",
    "UnsupportedFile",
    "canonical_skill",
    "detect_content_type",
    "matched_and_missing",
    "parse_resume",
    "same_skill",
    "skill_key",
]
