"""Re-scoring a job's 1,000 applications through Celery with 1, then 2 worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 python -m bench.fit_rescore_workers [--n 1000]

Seeds (once) the database `smarthr_bench_rescore`: one open job and N applications, each
candidate with a parsed resume (texts of ../shared/data/resumes, cycled), its stored prepared
(blinded) text and its stored embedding, as the app has them after the first scoring. Then,
for 1 and for 2 `celery worker --pool=solo` processes (timed once every worker answers a
ping, its model loaded), re-scores the job (`job_rescore` fans out chunks of 50) and times
from the request until every application has a new score. Prints applications per second,
the speed-up, and each worker's peak RSS (VmHWM) with the fit model loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402
from bench.workers import celery_workers  # noqa: E402

BENCH_DB = "smarthr_bench_rescore"


def seed(n: int) -> int:
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from mlcore.matching import get_fit_model
    from mlcore.matching.datasets import load_resumes
    from mlcore.matching.text import TEXT_VERSION, prepare_resume
    from recruiting.models import Application, Candidate, Job, Resume, ResumeEmbedding

    job = Job.objects.filter(external_id="bench-rescore").first()
    fresh = not Resume.objects.filter(candidate__applications__job=job).exclude(
        model_text_version=TEXT_VERSION
    )
    if job is not None and job.applications.count() == n and fresh:
        return job.pk
    model = get_fit_model()
    texts = [r.text for r in load_resumes()]
    prepared = [prepare_resume(t) for t in texts]  # stored, as after a resume's first embedding
    vectors = model.embed_resumes(prepared, prepared=True)
    now = timezone.now()
    with transaction.atomic():
        Job.objects.filter(external_id="bench-rescore").delete()
        Candidate.objects.filter(email__startswith="rescore").delete()
        job = Job.objects.create(
            title="Data Scientist",
            description="Machine learning in Python: scikit-learn, pandas, SQL, statistics.",
            required_skills=["Python", "Machine Learning", "SQL"],
            status=Job.Status.OPEN,
            external_id="bench-rescore",
        )
        candidates = Candidate.objects.bulk_create(
            Candidate(full_name=f"Rescore {i}", email=f"rescore{i}@example.com") for i in range(n)
        )
        resumes = Resume.objects.bulk_create(
            Resume(
                candidate=c,
                original_name=f"r{i}.txt",
                size=1,
                sha256=f"r{i:063d}",
                parse_status=Resume.ParseStatus.PARSED,
                parsed_at=now,
                text=texts[i % len(texts)],
                model_text=prepared[i % len(texts)],
                model_text_version=TEXT_VERSION,
            )
            for i, c in enumerate(candidates)
        )
        ResumeEmbedding.objects.bulk_create(
            ResumeEmbedding(
                resume=r,
                model_version=model.version,
                vector=np.asarray(vectors[i % len(texts)], dtype=np.float32).tobytes(),
            )
            for i, r in enumerate(resumes)
        )
        Application.objects.bulk_create(
            Application(candidate=c, job=job, applied_at=now, stage_changed_at=now)
            for c in candidates
        )
    return job.pk


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(job_id: int, n: int, workers: int) -> tuple[float, list[float]]:
    from django.utils import timezone

    from recruiting.models import FitScore
    from recruiting.tasks import rescore_job

    with celery_workers(workers, "bench") as procs:  # up, models loaded
        started_at = timezone.now()
        started = time.perf_counter()
        rescore_job.delay(job_id)
        while (
            FitScore.objects.filter(application__job_id=job_id, computed_at__gte=started_at).count()
            < n
        ):
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        return elapsed, [_peak_rss_mb(p.pid) for p in procs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL"):
        raise SystemExit("Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/14).")
    broker = os.environ["CELERY_BROKER_URL"]
    kind = prepare_environment(BENCH_DB)
    os.environ["CELERY_BROKER_URL"] = broker  # prepare_environment clears it for seeds
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    job_id = seed(args.n)
    print(f"{kind}; {args.n} applications; broker {broker}")
    results = {}
    for workers in (1, 2):
        elapsed, rss = run(job_id, args.n, workers)
        results[workers] = elapsed
        rss_text = ", ".join(f"{r:.0f} MB" for r in rss)
        print(
            f"{workers} worker(s): {elapsed:6.1f} s  {args.n / elapsed:6.1f} applications/s  "
            f"peak RSS per worker: {rss_text}"
        )
    print(f"speed-up with 2 workers: {results[1] / results[2]:.2f}x")


if __name__ == "__main__":
    main()
