"""Ranking the talent pool for a job from stored embeddings, next to the bare NumPy product.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python -m bench.fit_ranking [--n 10000]

Seeds (once) a separate database `smarthr_bench_fit` with N candidates, each with a parsed
resume and a stored fit embedding of the active model version, and one open job with its
embedding. The vectors are real: embeddings of the 135 shared resume texts, each copy nudged
by small noise and re-normalised (only the numbers' shape matters for speed). Prints the
median latency of `recruiting.selectors.fit.talent_pool_matches` (query, decode, one matrix
product, top 20, fetch those candidates) and of the bare product + top-20 on the same matrix.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402

BENCH_DB = "smarthr_bench_fit"


def seed(n: int) -> int:
    import numpy as np
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from mlcore.matching import get_fit_model
    from mlcore.matching.datasets import load_resumes
    from recruiting.models import Candidate, Job, JobEmbedding, Resume, ResumeEmbedding

    model = get_fit_model()
    have = ResumeEmbedding.objects.filter(model_version=model.version).count()
    job = Job.objects.filter(external_id="bench-fit").first()
    if have >= n and job is not None:
        return job.pk
    texts = [r.text for r in load_resumes()]
    base = model.embed_resumes(texts)
    rng = np.random.default_rng(7)
    with transaction.atomic():
        ResumeEmbedding.objects.all().delete()
        Resume.objects.all().delete()
        Candidate.objects.all().delete()
        Job.objects.filter(external_id="bench-fit").delete()
        candidates = Candidate.objects.bulk_create(
            Candidate(full_name=f"Bench candidate {i}", email=f"bench{i}@example.com")
            for i in range(n)
        )
        resumes = Resume.objects.bulk_create(
            Resume(
                candidate=c,
                original_name=f"bench{i}.txt",
                size=1,
                sha256=f"{i:064d}",
                parse_status=Resume.ParseStatus.PARSED,
                text=texts[i % len(texts)],
            )
            for i, c in enumerate(candidates)
        )
        vectors = base[np.arange(n) % len(base)] + rng.normal(0, 0.02, (n, base.shape[1]))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        ResumeEmbedding.objects.bulk_create(
            (
                ResumeEmbedding(
                    resume=r, model_version=model.version, vector=v.astype("float32").tobytes()
                )
                for r, v in zip(resumes, vectors, strict=True)
            ),
            batch_size=2000,
        )
        job = Job.objects.create(
            title="Python developer",
            description="Backend services in Python and Django on PostgreSQL.",
            status=Job.Status.OPEN,
            external_id="bench-fit",
        )
        JobEmbedding.objects.create(
            job=job,
            model_version=model.version,
            text_sha256="bench",
            vector=model.embed_jobs([job.description])[0].tobytes(),
        )
        user, _ = User.objects.get_or_create(username="bench-recruiter")
        user.groups.add(Group.objects.get_or_create(name="recruiter")[0])
    return job.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    kind = prepare_environment(BENCH_DB)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    job_id = seed(args.n)

    import numpy as np

    from mlcore.matching.calibration import FitCalibration
    from recruiting.models import Job, ResumeEmbedding
    from recruiting.selectors import fit
    from recruiting.selectors.fit import talent_pool_matches

    fit._POOL_CACHE.clear()  # measure the first call cold
    user = User.objects.get(username="bench-recruiter")
    job = Job.objects.get(pk=job_id)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        top = talent_pool_matches(user=user, job=job, limit=20)
        timings.append((time.perf_counter() - started) * 1000)
    calibration = FitCalibration.active()
    matrix = np.stack(
        [
            np.frombuffer(bytes(v), dtype=np.float32)
            for v in ResumeEmbedding.objects.values_list("vector", flat=True)
        ]
    )
    job_vec = np.frombuffer(bytes(job.embeddings.get().vector), dtype=np.float32)
    bare = []
    for _ in range(args.runs):
        started = time.perf_counter()
        scores = calibration.scores(job_vec, matrix)
        np.argsort(-scores)[:20]
        bare.append((time.perf_counter() - started) * 1000)
    print(f"{kind}: {len(matrix)} candidates with stored embeddings, top {len(top)}")
    app_ms, bare_ms = statistics.median(timings), statistics.median(bare)
    print(f"talent_pool_matches, first call (reads all vectors)        {timings[0]:7.1f} ms")
    print(f"talent_pool_matches (vectors cached in the process) median {app_ms:7.1f} ms")
    print(f"bare NumPy product + top 20 on the same matrix      median {bare_ms:7.2f} ms")


if __name__ == "__main__":
    main()
