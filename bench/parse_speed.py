"""Resumes/second and pages/second of parse_resume against bare pdfminer/python-docx extraction.

    python -m bench.parse_speed [--shared ../shared] [--rounds 3]

Runs in one process over the PDF and DOCX resumes of <shared>/data/resume_files (not the
job descriptions). spaCy is loaded before timing: a worker loads it once and keeps it.
"""

from __future__ import annotations

import argparse
import io
import resource
import time
from pathlib import Path

from bench.parse_accuracy import default_shared_dir
from mlcore.parsing import parse_resume
from mlcore.parsing.nlp import get_nlp
from mlcore.parsing.skills import find_skills


def _bare_extract(path: Path, data: bytes) -> int:
    if path.suffix == ".pdf":
        from pdfminer.high_level import extract_text

        return len(extract_text(io.BytesIO(data)))
    import docx

    document = docx.Document(io.BytesIO(data))
    return sum(len(p.text) for p in document.paragraphs)


def _timed(fn, files: list[tuple[Path, bytes]], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for path, data in files:
            fn(path, data)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3, help="best of N rounds")
    args = parser.parse_args(argv)
    base = (args.shared or default_shared_dir()) / "data" / "resume_files"
    paths = sorted(base.glob("pdf/*.pdf")) + sorted(base.glob("docx/*.docx"))
    files = [(p, p.read_bytes()) for p in paths]
    get_nlp()
    find_skills("warm up the matcher: Python")
    results = [parse_resume(data, path.name) for path, data in files]
    failed = [r.error for r in results if r.status != "parsed"]
    pages = sum(r.pages or 1 for r in results)  # a DOCX counts as one page

    bare = _timed(_bare_extract, files, args.rounds)
    full = _timed(lambda p, d: parse_resume(d, p.name), files, args.rounds)
    n = len(files)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_pdf = sum(1 for p in paths if p.suffix == ".pdf")
    print(f"{n} files ({n_pdf} PDF, {n - n_pdf} DOCX; {pages} pages), best of {args.rounds} rounds")
    if failed:
        print(f"failed: {failed}")
    print(f"{'':<34}{'resumes/s':>10}{'pages/s':>10}{'s total':>10}")
    for label, seconds in (("bare extraction (pdfminer/docx)", bare), ("parse_resume", full)):
        print(f"{label:<34}{n / seconds:>10.1f}{pages / seconds:>10.1f}{seconds:>10.3f}")
    print(f"speed ratio full/bare: {bare / full:.2f}x (goal >= 0.5x)")
    print(f"peak RSS: {peak_mb:.0f} MB (spaCy pipeline loaded)")


if __name__ == "__main__":
    main()
