"""How fast the recruiter portal's pages answer at scale: 1,000 jobs, 50,000 candidates.

    python bench/portal_speed.py                       # a throw-away SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/portal_speed.py

With a PostgreSQL DATABASE_URL the script creates (once) and uses a separate database,
`smarthr_bench_portal`, on the same server; it never touches the database named in the URL.
The seed is synthetic (bulk_create): jobs, candidates with a parsed resume and its stored
embedding, applications spread over the jobs (500 on the largest), fit scores with
explanations, stage events, notes and scorecards. No model runs. Prints, per page, the
server time through Django's test client signed in as a recruiter (median of several runs,
after one warm-up) and the number of SQL queries. Goal: < 200 ms per page.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402

BENCH_DB = "smarthr_bench_portal"
EMAIL_DOMAIN = "bench.example.com"
RECRUITER = "bench-recruiter"
DIM = 384  # the fit encoder's embedding size (MiniLM-L6)
BATCH = 2000

SKILLS = [
    "Python", "Django", "PostgreSQL", "JavaScript", "React", "TypeScript", "HTML", "CSS",
    "Kubernetes", "Docker", "AWS", "Terraform", "Go", "Java", "Spring", "SQL", "Pandas",
    "Machine Learning", "PyTorch", "Agile", "Jira", "Figma", "Excel", "Salesforce", "Linux",
]  # fmt: skip
TITLES = [
    "Backend Engineer", "Front End Engineer", "Data Scientist", "Product Manager",
    "DevOps Engineer", "QA Engineer", "Designer", "Sales Manager", "Data Engineer", "SRE",
]  # fmt: skip
FIRST = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Radia", "Tim"]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie"]
WORDS = ["build", "run", "design", "test", "ship", "scale", "data", "service", "team", "api"]
# applied, screening, interview, offer, hired, rejected, withdrawn
STAGE_WEIGHTS = [50, 20, 12, 4, 2, 10, 2]
PATH = {
    "applied": [],
    "screening": ["applied"],
    "interview": ["applied", "screening"],
    "offer": ["applied", "screening", "interview"],
    "hired": ["applied", "screening", "interview", "offer"],
    "rejected": ["applied"],
    "withdrawn": ["applied", "screening"],
}


def _pairs(rng: random.Random, n: int) -> list[list]:
    return [[rng.choice(WORDS), round(rng.uniform(-1, 1), 4)] for _ in range(n)]


def _vectors(n: int, seed: int) -> list[bytes]:
    """`n` random unit vectors, as stored (float32 bytes)."""
    import numpy as np

    m = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    return [row.tobytes() for row in m]


def seed(n_jobs: int, n_candidates: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from mlcore.matching.calibration import FitCalibration
    from recruiting.models import (
        Application,
        Candidate,
        FitScore,
        Job,
        JobEmbedding,
        Note,
        Resume,
        ResumeEmbedding,
        Scorecard,
        StageEvent,
    )

    seeded = Candidate.objects.filter(email__endswith=EMAIL_DOMAIN).count()
    if seeded == n_candidates and Job.objects.filter(external_id__startswith="bench-").count() == (
        n_jobs
    ):
        return
    rng = random.Random(11)
    version = FitCalibration.active().version
    now = timezone.now()
    user, _ = get_user_model().objects.get_or_create(
        username=RECRUITER, defaults={"first_name": "Bench", "last_name": "Recruiter"}
    )
    user.groups.add(Group.objects.get_or_create(name="recruiter")[0])
    with transaction.atomic():
        Candidate.objects.filter(email__endswith=EMAIL_DOMAIN).delete()
        Job.objects.filter(external_id__startswith="bench-").delete()
        jobs = Job.objects.bulk_create(
            [
                Job(
                    title=f"{TITLES[i % len(TITLES)]} {i}",
                    description=" ".join(rng.choices(WORDS, k=60)),
                    requirements=" ".join(rng.choices(WORDS, k=30)),
                    required_skills=rng.sample(SKILLS, 4),
                    status=rng.choices(["open", "closed", "draft"], [80, 15, 5])[0]
                    if i
                    else "open",
                    owner=user if i < 20 else None,
                    blind_screening=i % 10 == 5,
                    external_id=f"bench-{i}",
                    published_at=now,
                )
                for i in range(n_jobs)
            ],
            batch_size=BATCH,
        )
        JobEmbedding.objects.bulk_create(
            [
                JobEmbedding(job=j, model_version=version, text_sha256="0" * 64, vector=v)
                for j, v in zip(jobs, _vectors(len(jobs), 1), strict=True)
                if j.status == "open"
            ],
            batch_size=BATCH,
        )
        candidates = Candidate.objects.bulk_create(
            [
                Candidate(
                    full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    email=f"c{i}@{EMAIL_DOMAIN}",
                    phone=f"+4420{i:08d}",
                    location=rng.choice(["London", "Berlin", "Paris", "Remote"]),
                    headline=f"{rng.choice(TITLES)} with {rng.randint(1, 20)} years",
                    summary=" ".join(rng.choices(WORDS, k=40)),
                    skills=rng.sample(SKILLS, 6),
                    years_experience=rng.randint(0, 25),
                    source="bench",
                )
                for i in range(n_candidates)
            ],
            batch_size=BATCH,
        )
        resumes = Resume.objects.bulk_create(
            [
                Resume(
                    candidate=c,
                    file=f"resumes/bench/{c.pk}.pdf",
                    original_name=f"{c.pk}.pdf",
                    content_type="application/pdf",
                    size=40_000,
                    sha256=hashlib.sha256(f"bench-{c.pk}".encode()).hexdigest(),
                    text=" ".join(rng.choices(WORDS, k=120)),
                    parse_status="parsed",
                    parsed_at=now,
                )
                for c in candidates
            ],
            batch_size=BATCH,
        )
        ResumeEmbedding.objects.bulk_create(
            [
                ResumeEmbedding(resume=r, model_version=version, vector=v)
                for r, v in zip(resumes, _vectors(len(resumes), 2), strict=True)
            ],
            batch_size=BATCH,
        )
        open_jobs = [j for j in jobs if j.status == "open"]
        stages = list(PATH)
        applications = []
        for i, c in enumerate(candidates):
            # The first 500 candidates all applied to job 0: the board and ranking at scale.
            chosen = {jobs[0]} if i < 500 else set(rng.sample(open_jobs, rng.choice([1, 1, 2])))
            for job in chosen:
                applications.append(
                    Application(
                        candidate=c,
                        job=job,
                        stage=rng.choices(stages, STAGE_WEIGHTS)[0],
                        applied_at=now - timedelta(days=rng.randint(0, 60)),
                        stage_changed_at=now - timedelta(days=rng.randint(0, 20)),
                    )
                )
        applications = Application.objects.bulk_create(applications, batch_size=BATCH)
        events = []
        for a in applications:
            path = [*PATH[a.stage], a.stage]
            events += [
                StageEvent(application=a, from_stage=prev, to_stage=to, by=user, notified_at=now)
                for prev, to in zip(["", *path], path, strict=False)
            ]
        StageEvent.objects.bulk_create(events, batch_size=BATCH)
        FitScore.objects.bulk_create(
            [
                FitScore(
                    application=a,
                    score=round(rng.uniform(5, 95), 2),
                    model_version=version,
                    explanation={
                        "matched_skills": a.job.required_skills[:2],
                        "missing_skills": a.job.required_skills[2:],
                        "years_experience": 5.0,
                        "min_years_experience": None,
                        "meets_min_years": None,
                        "attributions": {
                            "method": "contribution",
                            "resume": _pairs(rng, 30),
                            "job": _pairs(rng, 15),
                        },
                    },
                )
                for a in applications
            ],
            batch_size=BATCH,
        )
        Note.objects.bulk_create(
            [
                Note(candidate=a.candidate, application=a, author=user, body="Bench note")
                for a in applications[::5]
            ],
            batch_size=BATCH,
        )
        Scorecard.objects.bulk_create(
            [
                Scorecard(
                    application=a,
                    interviewer=user,
                    stage="interview",
                    recommendation="yes",
                    ratings={"Python": 3, "Communication": 4},
                )
                for a in applications
                if a.stage in ("interview", "offer", "hired")
            ],
            batch_size=BATCH,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1_000)
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kind = prepare_environment(BENCH_DB)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from recruiting.models import Application, Candidate, Job

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # No collectstatic here: plain static URLs (as in DEBUG), production settings otherwise.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    seed(args.jobs, args.candidates)
    seeded = time.perf_counter() - t0

    board_job = Job.objects.get(external_id="bench-0")
    blind_job = Job.objects.filter(blind_screening=True, status="open").order_by("pk").first()
    candidate = (
        Candidate.objects.filter(applications__job=board_job, email__endswith=EMAIL_DOMAIN)
        .order_by("pk")
        .first()
    )
    blind_candidate = (
        Candidate.objects.filter(
            applications__job=blind_job, applications__stage="applied", applications__isnull=False
        )
        .exclude(applications__job__blind_screening=False)
        .order_by("pk")
        .first()
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username=RECRUITER))
    pages = [
        ("home", "/"),
        ("jobs list", "/jobs/"),
        (f"job board ({board_job.applications.count()} applications)", f"/jobs/{board_job.pk}/"),
        ("ranking (same job, + talent pool)", f"/jobs/{board_job.pk}/ranking/"),
        (
            f"blind-screening board ({blind_job.applications.count()} applications)",
            f"/jobs/{blind_job.pk}/",
        ),
        ("blind-screening ranking", f"/jobs/{blind_job.pk}/ranking/"),
        ("candidate page", f"/candidates/{candidate.pk}/"),
        ("candidate page, blind (masked resume)", f"/candidates/{blind_candidate.pk}/"),
        ("search 'python'", "/search/?q=python"),
        ("search skills=React", "/search/?skills=React"),
    ]
    print(f"database: {kind}")
    print(
        f"{Job.objects.count()} jobs, {Candidate.objects.count()} candidates, "
        f"{Application.objects.count()} applications (seeded in {seeded:.1f} s)"
    )
    for name, url in pages:
        response = client.get(url)  # warm-up (caches, the talent-pool matrix)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(
            f"{name:42s} median {statistics.median(timings):7.1f} ms  "
            f"min {min(timings):7.1f} ms  ({len(queries)} queries, "
            f"{len(response.content) / 1024:.0f} KiB)"
        )


if __name__ == "__main__":
    main()
