"""Detect a resume's type from its content (never from the file name) and refuse the rest."""

from __future__ import annotations

import io
import warnings
import zipfile

import filetype
from charset_normalizer import from_bytes

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
# Scans and photos, read by OCR (ocr.py).
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
IMAGES = (PNG, JPEG, TIFF)

SUPPORTED = (PDF, DOCX, TEXT, *IMAGES)
FORMATS = "a PDF, DOCX or plain-text resume, or a scan (PNG, JPEG, TIFF)"

# Detecting the charset of a whole large file is slow and gains nothing: the head decides.
_TEXT_SNIFF_BYTES = 64 * 1024
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _is_pdf(data: bytes) -> bool:
    # The spec allows junk before the header; readers accept it within the first 1 KB.
    return b"%PDF-" in data[:1024]


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _is_docx(data: bytes) -> bool:
    if not _is_zip(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _image_readable(data: bytes) -> bool:
    """Whether an image's header can be read (cheap: the pixels are not decoded)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # a huge image is refused by the parser's own limit
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                return image.size[0] > 0 and image.size[1] > 0
    except Image.DecompressionBombError:
        return True  # readable, and refused by its size when parsed, with that reason
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False


def decode_text(data: bytes) -> str | None:
    """The bytes as text in their detected encoding, or None when they are not text."""
    if not data:
        return None
    head = data[:_TEXT_SNIFF_BYTES]
    if b"\x00" not in head:
        # Valid UTF-8 is almost never anything else, and statistical detection can mistake
        # short UTF-8 for a Cyrillic code page; so strict UTF-8 goes first.
        try:
            text = data.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
        else:
            return text if text.strip() and _mostly_printable(text) else None
    # NUL bytes mean binary unless the text is UTF-16/32, which charset-normalizer spots
    # (with or without a BOM); a stray NUL in a supposed 8-bit text is a binary file.
    best = from_bytes(head).best()
    if best is None:
        return None
    encoding = best.encoding
    if b"\x00" in head and not encoding.startswith(("utf_16", "utf_32")):
        return None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    text = text.lstrip("\ufeff")
    if not text.strip():
        return None
    return text if _mostly_printable(text) else None


def _mostly_printable(text: str) -> bool:
    # Real text has almost no control characters besides whitespace.
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls <= max(2, len(sample) // 200)


def detect_content_type(data: bytes, filename: str) -> str | None:
    """The MIME type of a supported resume (PDF, DOCX, "text/plain", or a PNG, JPEG or TIFF
    scan), else None.

    `filename` is accepted for callers' convenience and for messages, but the content decides:
    a renamed binary is refused whatever its extension says.
    """
    del filename  # the extension is not evidence
    if not data:
        return None
    if _is_pdf(data):
        return PDF
    if _is_zip(data):
        return DOCX if _is_docx(data) else None
    guess = filetype.guess(data[:8192])
    if guess is not None:
        # A scan or photo is read by OCR; any other known binary signature (archive,
        # executable, another image type...) is never treated as text.
        return guess.mime if guess.mime in IMAGES and _image_readable(data) else None
    if decode_text(data) is not None:
        return TEXT
    return None


def describe_unsupported(data: bytes, filename: str) -> str:
    """A readable reason why `data` was refused by `detect_content_type`."""
    if not data:
        return "empty file"
    name = filename.lower()
    guess = filetype.guess(data[:8192])
    if _is_zip(data):
        if name.endswith(".docx"):
            return "not a valid DOCX file: the zip archive has no word/document.xml"
        kind = guess.mime if guess is not None else "application/zip"
        return f"unsupported file type {kind}: upload {FORMATS}"
    if guess is not None and guess.mime in IMAGES:
        return f"corrupt image: the {guess.mime} file cannot be read"
    if guess is not None:
        # Name the real type: "resume.pdf" that is a PNG is a picture, whatever its name.
        return f"unsupported file type {guess.mime}: upload {FORMATS}"
    if name.endswith(".docx"):
        return "not a valid DOCX file: it is not a zip archive"
    if name.endswith(".pdf"):
        return "not a valid PDF file: no %PDF header"
    return "unsupported file type: not a PDF, DOCX, readable text or a PNG, JPEG or TIFF scan"
