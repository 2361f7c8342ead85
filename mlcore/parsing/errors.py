"""Errors the parser turns into a "failed" result with a message a recruiter can read."""


class ParseError(Exception):
    """The file is of a supported type but its content cannot be read."""


class UnsupportedFile(ParseError):
    """The file is not a PDF, DOCX or plain text, or it is too large."""
