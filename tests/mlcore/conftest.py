"""Shared fixtures for the mlcore tests: the data folder, spaCy once, an empty int8 cache
folder per module, and a tiny PDF writer."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def data_dir(shared_data: Path) -> Path:
    """../shared/data (the root conftest finds it and fails clearly when it is missing)."""
    return shared_data


@pytest.fixture(scope="session")
def nlp():
    """The real spaCy pipeline, loaded once for the whole session (the parser caches it)."""
    from mlcore.parsing.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="module")
def fit_cache(tmp_path_factory) -> Iterator[Path]:
    """An empty folder for the fit model's int8 ONNX files (`CACHE_ENV`), for one module: its
    models build their stacks there, never in the user's cache."""
    from mlcore.matching.runtime import CACHE_ENV

    folder = tmp_path_factory.mktemp("fit-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(
    pages: list[list[tuple[float, float, str]]],
    *,
    image_only: bool = False,
    encrypt: bool = False,
) -> bytes:
    """A minimal valid PDF: each page is a list of (x, y, text) lines in Helvetica 10pt.

    `image_only` draws a 1x1 grey image instead of text (a scan without a text layer);
    `encrypt` adds a standard-security /Encrypt dictionary whose user password is not empty.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
    )
    kids = []
    for lines in pages:
        if image_only:
            content = b"q 500 0 0 700 50 50 cm /Im1 Do Q"
        else:
            content = b"".join(
                f"BT /F1 10 Tf {x} {y} Td ({_escape(t)}) Tj ET\n".encode("latin-1")
                for x, y, t in lines
            )
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_obj, stream, font, image)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    encrypt_ref = b""
    if encrypt:
        digest = zlib.crc32(b"owner").to_bytes(4, "big") * 8
        enc = add(
            b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <%s> /U <%s> >>"
            % (digest.hex().encode(), (digest[::-1]).hex().encode())
        )
        encrypt_ref = b" /Encrypt %d 0 R /ID [<0123456789abcdef0123456789abcdef> " % enc
        encrypt_ref += b"<0123456789abcdef0123456789abcdef>]"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\n" % (len(objects) + 1, catalog, encrypt_ref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@pytest.fixture(scope="session")
def pdf_maker():
    return make_pdf


# --- fit: zero-shot MiniLM and a fixed slice of the OOD test part (blend tests) ----------

OOD_SPEC_PATH = Path(__file__).resolve().parents[2] / "bench" / "data" / "ood_occupations.json"
OOD_SEED = 15


@pytest.fixture(scope="session")
def zero_shot():
    """Plain all-MiniLM-L6-v2 on blinded text, 256 tokens: the encoder and its scorer."""
    from mlcore.matching.artefacts import embed_texts, zero_shot_encoder
    from mlcore.matching.evaluation import embedding_scorer
    from mlcore.matching.text import prepare_job, prepare_resume

    model = zero_shot_encoder()
    return model, embedding_scorer(
        lambda t: embed_texts(model, [prepare_job(x) for x in t], 256),
        lambda t: embed_texts(model, [prepare_resume(x) for x in t], 256),
    )


@pytest.fixture(scope="session")
def test_slice():
    """30 LiveCareer resumes (at most 2 per occupation) of the OOD *test* part, and their
    occupations as title + short description: never read when a blend was chosen."""
    from mlcore.matching import ood

    spec = ood.load_spec(OOD_SPEC_PATH)
    pool = [r for r in ood.livecareer_resumes(spec.rules) if ood.occupation_part(r.code) == "test"]
    resumes = ood.sample_resumes(pool, n=30, per_occupation=2, seed=OOD_SEED)
    jobs = ood.job_texts(ood.load_occupations({r.code for r in resumes}), "short")
    return spec, resumes, jobs


@pytest.fixture(scope="session")
def slice_eval_set():
    """Builds the set in which each resume (column) ranks the slice's occupations; its own
    one is relevant."""
    import numpy as np

    from mlcore.matching.evaluation import EvalSet

    def build(resumes, jobs: dict[str, str], texts: list[str]) -> EvalSet:
        codes = sorted(jobs)
        relevance = np.array([[int(r.code == c) for r in resumes] for c in codes])
        return EvalSet("slice", [jobs[c] for c in codes], texts, relevance, "resumes")

    return build
