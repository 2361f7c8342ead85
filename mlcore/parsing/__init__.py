"""Framework-free resume parser: `parse_resume(bytes, filename) -> ParsedResume`."""

from .errors import ParseError, UnsupportedFile
from .filetypes import detect_content_type
from .results import EducationEntry, ExperienceEntry, ParsedResume
from .resume import PARSER_VERSION, parse_resume

__all__ = [
    "PARSER_VERSION",
    "EducationEntry",
    "ExperienceEntry",
    "ParseError",
    "ParsedResume",
    "UnsupportedFile",
    "detect_content_type",
    "parse_resume",
]
