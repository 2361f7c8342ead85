"""OCR of scanned resumes: character error rate, field F1 and seconds per page per engine.

    python -m bench.ocr_accuracy                       # Tesseract (the shipped path), 30 resumes
    python -m bench.ocr_accuracy --engines tesseract rapidocr --per-template 2
    python -m bench.ocr_accuracy --out /tmp/scans      # also write the scans to look at

Scans are made at bench time from the rendered part of the parse eval set
(bench/parse_eval_render.py, labelled records, 10 layouts): each resume's text PDF is rendered
at 200 dpi (pdfium), then degraded as a flatbed or phone scan is, with a per-resume seed: a
rotation of 0.5-2.5 degrees either way, a Gaussian blur (radius 0.5-1.1 px), salt-and-pepper
speckle (0.1-0.4 % of pixels) and JPEG compression. Even items become image-only PDFs (every
page), odd items PNG (one page) or multi-page TIFF. Nothing generated is stored.

Engines (each skipped with a note when its package is missing):
- `tesseract`: what SmartHR runs, `parse_resume` on the scan's bytes (tesserocr wheel,
  tessdata_fast English model; deskew, despeckle, lines rebuilt from word boxes).
- `tesseract-best`: the same with the larger tessdata "best" English model, given by
  `--tessdata-best DIR` (a folder holding eng.traineddata).
- `rapidocr`: rapidocr-onnxruntime (PP-OCRv4 ONNX models inside its wheel) on the same
  prepared page images; lines rebuilt from its boxes, then the same field extraction.

CER: edit distance between the OCR text and the text PDF's own text layer (as the parser
extracts it), whitespace collapsed, divided by the reference length. Reading order counts:
a two-column page read in another order costs characters. Field F1 as in
`bench.parse_accuracy`. Seconds per page: wall time of the whole read (rendering, OCR,
parsing) over pages, one process, after a warm-up file.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.parse_accuracy import WIDE_FIELDS, EvalItem, _fields, score_predictions
from bench.parse_eval_render import load_records, render, split_of

SCAN_DPI = 200
# Fields the issue sets goals on (scans): name, e-mail, phone >= 0.90, employers >= 0.70.
GOALS = {"name": 0.90, "email": 0.90, "phone": 0.90, "employers": 0.70}


# ----------------------------------------------------------------------------- scans


def pdf_pages_at(data: bytes, dpi: int = SCAN_DPI) -> list[Any]:
    """A text PDF's pages as grey images at `dpi` (what a scanner sees, before the damage)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
    finally:
        document.close()


def degrade(image: Any, seed: int, hard: bool = False) -> Any:
    """A clean page image made to look scanned: rotated, blurred, speckled. `hard`: a poor
    scan or photo (120-150 dpi, a third more blur, more grain and speckle, harsher JPEG)."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    angle = rng.uniform(0.5, 2.5) * rng.choice((-1, 1))
    out = image.convert("L")
    if hard:
        factor = rng.uniform(0.6, 0.75)
        out = out.resize((round(out.width * factor), round(out.height * factor)))
    out = out.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=250)
    out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.1) * (1.3 if hard else 1)))
    pixels = np.asarray(out).astype(np.int16)
    noise = np.random.default_rng(seed)
    # Paper is not white: a little grain everywhere, and dark and light speckle.
    pixels = pixels + noise.normal(0, 9 if hard else 6, pixels.shape).astype(np.int16)
    rate = rng.uniform(0.001, 0.004) * (1.5 if hard else 1)
    pixels[noise.random(pixels.shape) < rate / 2] = 20
    pixels[noise.random(pixels.shape) < rate / 2] = 245
    out = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    # Scanners and phones store JPEG: its artefacts are part of a scan.
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=rng.randint(45, 65) if hard else rng.randint(60, 85))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("L")


def scan_pdf(images: list[Any]) -> bytes:
    """An image-only PDF (no text layer) of page images, as a scanner writes it, at 200 dpi."""
    buffer = io.BytesIO()
    first, *rest = [i.convert("L") for i in images]
    first.save(buffer, "PDF", resolution=SCAN_DPI, save_all=True, append_images=rest)
    return buffer.getvalue()


def scan_image(images: list[Any]) -> tuple[bytes, str]:
    """A PNG of a one-page scan, a multi-page TIFF otherwise: (bytes, extension)."""
    buffer = io.BytesIO()
    if len(images) == 1:
        images[0].save(buffer, "PNG", dpi=(SCAN_DPI, SCAN_DPI))
        return buffer.getvalue(), "png"
    first, *rest = images
    first.save(buffer, "TIFF", compression="tiff_deflate", save_all=True, append_images=rest)
    return buffer.getvalue(), "tiff"


def scanned(text_pdf: bytes, seed: int, kind: str, hard: bool = False) -> tuple[bytes, str, int]:
    """(scan bytes, extension, pages) of a text PDF: kind "pdf" or "image"."""
    pages = [degrade(page, seed * 100 + n, hard) for n, page in enumerate(pdf_pages_at(text_pdf))]
    if kind == "pdf":
        return scan_pdf(pages), "pdf", len(pages)
    data, ext = scan_image(pages)
    return data, ext, len(pages)


def scan_items(
    per_template: int, seed: int = 18, hard: bool = False
) -> list[tuple[EvalItem, bytes, str]]:
    """(scan item, the text PDF it came from, its reference text) for the chosen records."""
    from mlcore.parsing.extract import clean_text, extract_pdf

    by_template: dict[str, list[dict[str, Any]]] = {}
    for record in load_records():
        by_template.setdefault(record["template"], []).append(record)
    rng = random.Random(seed)
    chosen = []
    for template in sorted(by_template):
        chosen += rng.sample(by_template[template], min(per_template, len(by_template[template])))
    out = []
    for index, record in enumerate(chosen):
        text_pdf, filename, expected = render(record, fmt="pdf")
        kind = "pdf" if index % 2 == 0 else "image"
        data, ext, _ = scanned(text_pdf, seed=seed * 1000 + index, kind=kind, hard=hard)
        reference = clean_text(extract_pdf(text_pdf, max_pages=20, time_budget_s=60).text)
        item = EvalItem(
            record["id"], expected, data, f"{Path(filename).stem}_scan.{ext}", ext,
            split_of(record), f"dotin+{record['template']}",
        )  # fmt: skip
        out.append((item, text_pdf, reference))
    return out


# ----------------------------------------------------------------------------- measures


def levenshtein(a: str, b: str) -> int:
    """Edit distance (Myers/Hyyrö bit-parallel: fast enough for whole pages in Python)."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask, last = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & last:
            score += 1
        if mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def cer(hypothesis: str, reference: str) -> float:
    hyp, ref = " ".join(hypothesis.split()), " ".join(reference.split())
    return levenshtein(hyp, ref) / max(1, len(ref))


# ----------------------------------------------------------------------------- engines

Reader = Callable[[bytes, str], dict[str, Any]]


def _tesseract(tessdata: str | None = None) -> Reader:
    from mlcore.parsing import ocr, parse_resume

    def read(data: bytes, filename: str) -> dict[str, Any]:
        if os.environ.get("SMARTHR_TESSDATA") != tessdata:
            # Another model than the last reader's: a new engine instance loads it.
            if tessdata:
                os.environ["SMARTHR_TESSDATA"] = tessdata
            else:
                os.environ.pop("SMARTHR_TESSDATA", None)
            ocr._local.__dict__.pop("api", None)
        result = parse_resume(data, filename)
        row = result.to_json_dict(filename)
        row["_text"], row["_pages"] = result.text, result.pages or 1
        return row

    return read


def _rapidocr_lines(found: list[Any]) -> str:
    """Lines from RapidOCR's boxes: boxes whose vertical middles overlap are one line."""
    boxes = []
    for box, text, _score in found or []:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        boxes.append((min(xs), max(xs), min(ys), max(ys), text))
    boxes.sort(key=lambda b: (b[2] + b[3]) / 2)
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for box in boxes:
        middle = (box[2] + box[3]) / 2
        if (
            lines
            and abs(middle - statistics.mean((b[2] + b[3]) / 2 for b in lines[-1]))
            < (box[3] - box[2]) * 0.5
        ):
            lines[-1].append(box)
        else:
            lines.append([box])
    out = []
    for line in lines:
        line.sort(key=lambda b: b[0])
        height = statistics.median(b[3] - b[2] for b in line)
        parts = [line[0][4]]
        for prev, box in itertools.pairwise(line):
            parts.append("   " if box[0] - prev[1] > 1.5 * height else " ")
            parts.append(box[4])
        out.append("".join(parts))
    return "\n".join(out)


def _rapidocr(**params: Any) -> Reader:
    import numpy as np
    from rapidocr_onnxruntime import RapidOCR

    from mlcore.parsing import ocr
    from mlcore.parsing.extract import clean_text
    from mlcore.parsing.filetypes import PDF, detect_content_type
    from mlcore.parsing.resume import structure

    engine = RapidOCR(**params)

    def read(data: bytes, filename: str) -> dict[str, Any]:
        if detect_content_type(data, filename) == PDF:
            import pypdfium2 as pdfium

            count = len(pdfium.PdfDocument(data))
            images = list(ocr.pdf_page_images(data, list(range(count))))
        else:
            images = list(ocr.image_frames(data, max_pages=20))
        pages, scores = [], []
        for image in images:
            page = ocr.prepare(image)
            found, _ = engine(np.asarray(page.convert("RGB")))
            pages.append(_rapidocr_lines(found))
            scores += [float(s) for _, _, s in found or []]
        text = clean_text(ocr.clean_ocr_text("\n\f".join(pages)))
        row = structure(text).to_json_dict(filename)
        row["ocr_confidence"] = statistics.mean(scores) if scores else None
        row["_text"], row["_pages"] = text, len(images)
        return row

    return read


def engines(names: list[str], tessdata_best: str | None) -> dict[str, Reader | str]:
    """name -> reader, or a string saying why it was skipped."""
    out: dict[str, Reader | str] = {}
    for name in names:
        try:
            if name == "tesseract":
                out[name] = _tesseract()
            elif name == "tesseract-best":
                if not tessdata_best:
                    out[name] = "skipped: give --tessdata-best DIR (a folder with eng.traineddata)"
                    continue
                out[name] = _tesseract(tessdata_best)
            elif name == "rapidocr":
                out[name] = _rapidocr()
            elif name == "rapidocr-fast":
                # Detection on a smaller image: faster, may lose small text.
                out[name] = _rapidocr(det_limit_type="max", det_limit_side_len=1280)
            else:
                out[name] = f"skipped: unknown engine {name!r}"
        except ImportError as exc:
            out[name] = f"skipped: {exc}"
    return out


# ----------------------------------------------------------------------------- report


def run_engine(
    name: str, reader: Reader, items: list[tuple[EvalItem, bytes, str]]
) -> dict[str, Any]:
    reader(items[0][0].data, items[0][0].filename)  # warm-up: model loading is not per page
    rows: dict[str, dict[str, Any]] = {}
    seconds, pages, cers, confidences = 0.0, 0, [], []
    for item, _, reference in items:
        started = time.perf_counter()
        row = reader(item.data, item.filename)
        seconds += time.perf_counter() - started
        pages += row["_pages"]
        cers.append(cer(row["_text"], reference))
        if row.get("ocr_confidence") is not None:
            confidences.append(row["ocr_confidence"])
        rows[item.filename] = row
    scores = score_predictions(
        [i for i, _, _ in items], lambda data, filename: rows[filename], lambda i: [i.format]
    )
    return {
        "name": name,
        "scores": scores,
        "cer": statistics.mean(cers),
        "cer_median": statistics.median(cers),
        "s_per_page": seconds / max(1, pages),
        "pages": pages,
        "confidence": statistics.mean(confidences) if confidences else None,
        "rows": rows,
        "cers": cers,
    }


def contact_errors(item: EvalItem, row: dict[str, Any]) -> list[str]:
    """The contact fields (name, e-mail, phone) this reading got wrong or missed."""
    expected, got = _fields(item.expected), _fields(row)
    return [f for f in ("name", "email", "phone") if expected[f] and expected[f] != got[f]]


def print_calibration(result: dict[str, Any], items: list[tuple[EvalItem, bytes, str]]) -> None:
    """How well "confidence below t" finds the resumes whose contact fields came out wrong."""
    from mlcore.parsing.ocr import CHECK_BELOW

    rows = [(result["rows"][i.filename], contact_errors(i, result["rows"][i.filename]))
            for i, _, _ in items]  # fmt: skip
    wrong = sum(1 for _, errors in rows if errors)
    values = sorted(r.get("ocr_confidence") or 0 for r, _ in rows)
    print(
        f"{result['name']}: confidence as a flag for a person to check ({len(rows)} resumes, "
        f"{wrong} with a wrong or missing name, e-mail or phone; confidence min "
        f"{values[0]:.3f}, median {statistics.median(values):.3f})"
    )
    print(f"  {'flag below':<12}{'flagged':>9}{'wrong, flagged':>16}{'wrong, missed':>15}")
    for threshold in (0.70, 0.75, 0.80, 0.85, 0.90):
        flagged = [(r, e) for r, e in rows if (r.get("ocr_confidence") or 0) < threshold]
        caught = sum(1 for _, e in flagged if e)
        mark = "  <- CHECK_BELOW" if abs(threshold - CHECK_BELOW) < 1e-9 else ""
        print(f"  {threshold:<12.2f}{len(flagged):>9}{caught:>16}{wrong - caught:>15}{mark}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["tesseract"])
    parser.add_argument("--per-template", type=int, default=3, help="resumes per layout (10)")
    parser.add_argument("--tessdata-best", default=None)
    parser.add_argument("--out", type=Path, default=None, help="write the scans here")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument(
        "--hard", action="store_true", help="poor scans: 120-150 dpi, more blur, speckle, JPEG"
    )
    parser.add_argument(
        "--ocr-dpi", type=int, default=None, help="render PDF pages for OCR at this resolution"
    )
    args = parser.parse_args(argv)
    if args.ocr_dpi:
        from mlcore.parsing import ocr

        ocr.OCR_DPI = args.ocr_dpi

    started = time.perf_counter()
    items = scan_items(args.per_template, hard=args.hard)
    print(
        f"{len(items)} {'hard ' if args.hard else ''}scanned resumes from "
        f"{len({i.source for i, _, _ in items})} layouts "
        f"({sum(1 for i, _, _ in items if i.format == 'pdf')} image-only PDF, "
        f"{sum(1 for i, _, _ in items if i.format != 'pdf')} PNG/TIFF), "
        f"{'120-150' if args.hard else SCAN_DPI} dpi, made in "
        f"{time.perf_counter() - started:.1f} s"
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for item, _, _ in items:
            (args.out / item.filename).write_bytes(item.data)

    # The same resumes from their text layer: what OCR loses against the born-digital file.
    from mlcore.parsing import parse_resume

    text_items = [
        EvalItem(i.id, i.expected, pdf, i.filename.replace("_scan", ""), "pdf", i.group, i.source)
        for i, pdf, _ in items
    ]
    baseline = score_predictions(text_items, lambda d, f: parse_resume(d, f).to_json_dict(f))["all"]

    results = []
    for name, reader in engines(args.engines, args.tessdata_best).items():
        if isinstance(reader, str):
            print(f"{name}: {reader}")
            continue
        results.append(run_engine(name, reader, items))

    fields = [f for f in WIDE_FIELDS if f not in ("dates",)]
    heads = ["text PDF"] + [r["name"] for r in results]
    print(f"\n{'':<18}" + "".join(f"{h:>16}" for h in heads))
    print(f"{'CER (mean)':<18}{'-':>16}" + "".join(f"{r['cer']:>16.3f}" for r in results))
    print(f"{'CER (median)':<18}{'-':>16}" + "".join(f"{r['cer_median']:>16.3f}" for r in results))
    print(f"{'s per page':<18}{'-':>16}" + "".join(f"{r['s_per_page']:>16.2f}" for r in results))
    print(
        f"{'mean confidence':<18}{'-':>16}"
        + "".join(f"{r['confidence'] or 0:>16.3f}" for r in results)
    )
    print("field F1 (listed skills: recall)")
    for name in fields:
        cells = [baseline[name]] + [r["scores"]["all"][name] for r in results]
        values = [c.recall if name == "listed skills" else c.f1 for c in cells]
        goal = f"  (goal >= {GOALS[name]:.2f})" if name in GOALS else ""
        print(f"  {name:<16}" + "".join(f"{v:>16.3f}" for v in values) + goal)
    for r in results:
        per_format = ", ".join(
            f"{fmt} name/email/phone/employers "
            + "/".join(f"{r['scores'][fmt][f].f1:.2f}" for f in GOALS)
            for fmt in ("pdf", "png", "tiff")
            if fmt in r["scores"]
        )
        print(f"{r['name']}: {r['pages']} pages; {per_format}")
    for r in results:
        print_calibration(r, items)
    if args.show_errors:
        for r in results:
            for name in GOALS:
                for error in r["scores"]["all"][name].errors:
                    print(f"[{r['name']} {name}] {error}")
            worst = sorted(zip(r["cers"], items, strict=True), key=lambda x: -x[0])[:5]
            for value, (item, _, _) in worst:
                conf = r["rows"][item.filename].get("ocr_confidence")
                print(f"[{r['name']} cer] {item.filename}: {value:.3f} (confidence {conf})")


if __name__ == "__main__":
    main()
