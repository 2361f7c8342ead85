"""How long a recruiter waits for the first sign of life when uploading 9 resumes (issue 20).

    python bench/upload_feedback.py            # a throw-away SQLite file, parsing in-process
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/upload_feedback.py

Both ways run in the same process, against the same 9 files (the shared PDFs and DOCX
resumes), through Django's test client signed in as a recruiter, with no broker (so each
file is parsed inside its request, the embedded default and the worst case):

- baseline, the form posted with every file at once (no JavaScript, and what the page did
  before issue 20): the first answer is the batch page, once every file is parsed;
- one by one, what upload.js does: each file is its own request into the same batch; the
  first answer (that file's status) comes after one file.

Prints, per way, the seconds to the first answer and to the last, the median of `--runs`
(each run on a fresh copy of the data: the files are deleted between runs so none is a
duplicate). The parser's and the fit model are loaded before timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402

BENCH_DB = "smarthr_bench_uploads"
RECRUITER = "bench-upload-recruiter"


def _files(shared: Path) -> list[tuple[str, bytes]]:
    folder = shared / "data" / "resume_files"
    paths = [
        *sorted((folder / "pdf").glob("*.pdf")),
        *sorted((folder / "docx").glob("*.docx")),
        *sorted((folder / "txt").glob("*.txt")),
    ]
    return [(p.name, p.read_bytes()) for p in paths[:9]]


def _clear() -> None:
    from recruiting.models import Candidate, Resume, UploadBatch

    for resume in Resume.objects.all():
        resume.file.delete(save=False)
    UploadBatch.objects.all().delete()
    Resume.objects.all().delete()
    Candidate.objects.all().delete()


def _all_at_once(client, files) -> tuple[float, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    started = time.perf_counter()
    response = client.post(
        "/uploads/new/",
        {"batch": str(uuid.uuid4()), "files": [SimpleUploadedFile(n, d) for n, d in files]},
    )
    assert response.status_code == 302, response.status_code
    elapsed = time.perf_counter() - started
    return elapsed, elapsed


def _one_by_one(client, files) -> tuple[float, float]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/uploads/{uuid.uuid4()}/files/"
    started = time.perf_counter()
    first = 0.0
    for name, data in files:
        response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200, response.content[:200]
        first = first or time.perf_counter() - started
    return first, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    kind = prepare_environment(BENCH_DB)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from core.roles import Role
    from mlcore.parsing import parse_resume
    from recruiting.services.scoring import get_fit_model

    call_command("migrate", verbosity=0)
    user, _ = get_user_model().objects.get_or_create(username=RECRUITER)
    user.groups.add(Group.objects.get_or_create(name=Role.RECRUITER.value)[0])
    client = Client()
    client.force_login(user)
    files = _files(args.shared)
    # Load the parser's and the fit model before timing (a new candidate is scored).
    parse_resume(files[0][1], files[0][0])
    get_fit_model()

    results: dict[str, list[tuple[float, float]]] = {"all at once": [], "one by one": []}
    for _ in range(args.runs):
        for way, run in (("all at once", _all_at_once), ("one by one", _one_by_one)):
            _clear()
            results[way].append(run(client, files))
    _clear()
    size = sum(len(d) for _, d in files) // 1024
    print(f"{len(files)} files, {size} KB; {kind}; {args.runs} runs")
    print(f"{'way':<12} {'first answer s':>15} {'last answer s':>14}")
    for way, runs in results.items():
        first = statistics.median(r[0] for r in runs)
        last = statistics.median(r[1] for r in runs)
        print(f"{way:<12} {first:>15.2f} {last:>14.2f}")


if __name__ == "__main__":
    main()
