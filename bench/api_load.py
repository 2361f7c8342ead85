"""REST API under load: locust (headless) against gunicorn, 100,000 applications seeded.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/api_load.py
    python bench/api_load.py --applications 20000 --duration 20     # quicker, any database

Needs the `bench` extra (locust). With a PostgreSQL DATABASE_URL the script creates (once)
and uses its own database `smarthr_bench_api` on that server; otherwise a SQLite file in the
temp folder (figures from SQLite are not the ones to report). Steps, in one run:
1. seed (once): 200 jobs, N candidates, N applications (one each, spread over the jobs and
   the stages), a recruiter and a fresh API key (no rate limit in the way);
2. start gunicorn on 127.0.0.1 (--workers, persistent DB connections);
3. locust (FastHttpUser: the load generator shares the 2 cores), --users concurrent clients for
   --duration seconds on the main list endpoints (page_size=50): first without pause between
   requests (saturation: requests per second, p50 and p95 per endpoint), then each client
   paced at 25/50/75% of that rate (goal: p95 < 100 ms);
4. the model's bare speed: `get_fit_model().score(job, 20 resumes)` in this process;
5. locust on POST /api/v1/ml/fit with 20 resumes per call, same clients, after every worker
   has loaded the model, printed next to (4).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402

BENCH_DB = "smarthr_bench_api"
RECRUITER = "bench-api-recruiter"
N_JOBS = 200
P95_GOAL_MS = 100
BATCH = 5000


def seed(n_applications: int) -> list[int]:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from core.roles import Role
    from recruiting.models import Application, Candidate, Job
    from recruiting.pipeline import Stage

    if Application.objects.count() >= n_applications:
        return list(Job.objects.values_list("pk", flat=True))
    print(f"seeding {n_applications:,} applications ...", flush=True)
    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        Application.objects.all().delete()
        Candidate.objects.all().delete()
        Job.objects.all().delete()
        jobs = Job.objects.bulk_create(
            Job(
                title=f"Engineer {i}",
                description="Build services.",
                status=Job.Status.OPEN,
                required_skills=["Python", "SQL"],
            )
            for i in range(N_JOBS)
        )
        stages = [Stage.APPLIED] * 5 + [Stage.SCREENING] * 3 + [Stage.INTERVIEW] * 2
        for start in range(0, n_applications, BATCH):
            size = min(BATCH, n_applications - start)
            candidates = Candidate.objects.bulk_create(
                Candidate(
                    full_name=f"Candidate {start + i}",
                    email=f"c{start + i}@bench.example.com",
                    skills=["Python", "SQL"],
                )
                for i in range(size)
            )
            Application.objects.bulk_create(
                Application(
                    candidate=c,
                    job=rng.choice(jobs),
                    stage=rng.choice(stages),
                    applied_at=now - timedelta(minutes=start + i),
                    stage_changed_at=now,
                )
                for i, c in enumerate(candidates)
            )
    from django.contrib.auth import get_user_model
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh statistics after the bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user, _ = get_user_model().objects.get_or_create(username=RECRUITER)
    user.groups.add(Group.objects.get_or_create(name=Role.RECRUITER.value)[0])
    return [j.pk for j in jobs]


def new_key() -> str:
    from django.contrib.auth import get_user_model

    from integrations.keys import api_key_create, integration_get_or_create

    user = get_user_model().objects.get(username=RECRUITER)
    integration = integration_get_or_create(user=user, name="Bench")
    _, text = api_key_create(
        integration=integration,
        scopes=["recruiting:read", "ml:invoke"],
        rate_limit=10_000_000,
    )
    return text


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "SMARTHR_TORCH_THREADS": "1",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def run_locust(
    port: int, users: int, duration: int, tags: str, env_extra: dict[str, str]
) -> list[dict[str, str]]:
    prefix = Path(tempfile.mkdtemp(prefix="api_load_")) / "stats"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "api_load_locustfile.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={duration}s",
            f"--host=http://127.0.0.1:{port}",
            f"--tags={tags}",
            f"--csv={prefix}",
            "--only-summary",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, **env_extra},
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=open(f"{prefix}.log", "w"),  # noqa: SIM115 - locust's own summary and errors
    )
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or rows[-1]["Request Count"] == "0":
        raise SystemExit(f"locust sent no requests; its log: {prefix}.log")
    return rows


def print_rows(rows: list[dict[str, str]]) -> None:
    print(f"{'endpoint':48} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'fail':>6} {'n':>8}")
    for row in rows:
        print(
            f"{row['Name'][:48]:48} {float(row['Requests/s']):8.1f} {row['50%']:>8} "
            f"{row['95%']:>8} {row['Failure Count']:>6} {row['Request Count']:>8}"
        )


def paced_runs(args: argparse.Namespace, env: dict[str, str], saturation: float) -> None:
    """The same clients, each pacing its requests, at shares of the saturation rate: the
    latency an integration sees below saturation, and the highest rate tested that keeps
    p95 under the goal (closed-loop latency is clients / throughput by construction)."""
    print(f"\nthe same {args.users} clients, each paced (share of the saturation rate)")
    print(
        f"{'offered req/s':>14} {'share':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'fail':>6}"
    )
    best = None
    for share in args.shares:
        offered = saturation * share
        paced = {**env, "PACE_PER_CLIENT": f"{offered / args.users:.4f}"}
        total = run_locust(args.port, args.users, args.duration, "lists", paced)[-1]
        p95 = float(total["95%"])
        print(
            f"{offered:14.1f} {share:6.0%} {float(total['Requests/s']):8.1f} {total['50%']:>8} "
            f"{total['95%']:>8} {total['Failure Count']:>6}"
        )
        if p95 < P95_GOAL_MS:
            best = float(total["Requests/s"])
    verdict = f"up to {best:.1f} req/s" if best else "at none of the rates tried"
    print(f"p95 under {P95_GOAL_MS} ms with {args.users} clients: {verdict}")


def bare_fit_speed(n_resumes: int, repeats: int) -> tuple[float, float]:
    """(calls per second, median ms per call) of the model alone, one thread."""
    os.environ["SMARTHR_TORCH_THREADS"] = "1"
    from bench.api_load_texts import JOB_TEXT, resume_text
    from mlcore.matching import get_fit_model

    model = get_fit_model()
    model.score(JOB_TEXT, [resume_text(i) for i in range(n_resumes)])  # warm-up
    times = []
    for r in range(repeats):
        texts = [resume_text(1000 + r * n_resumes + i) for i in range(n_resumes)]
        start = time.perf_counter()
        model.score(JOB_TEXT, texts)
        times.append(time.perf_counter() - start)
    return len(times) / sum(times), statistics.median(times) * 1000


def warm_up_fit(port: int, key: str, n_resumes: int, calls: int) -> None:
    """Load the model in every gunicorn worker before timing (once per process, as served)."""
    import json

    from bench.api_load_texts import JOB_TEXT, resume_text

    body = json.dumps(
        {"job_text": JOB_TEXT, "resume_texts": [resume_text(i) for i in range(n_resumes)]}
    ).encode()
    for _ in range(calls):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/ml/fit/",
            data=body,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120):  # noqa: S310 - loopback http
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=int, default=30, help="seconds per locust run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fit-resumes", type=int, default=20)
    parser.add_argument("--skip-ml", action="store_true")
    parser.add_argument(
        "--shares",
        type=lambda text: [float(x) for x in text.split(",")],
        default=[0.25, 0.5, 0.75],
        help="paced runs at these shares of the saturation rate (comma-separated)",
    )
    args = parser.parse_args()

    kind = prepare_environment(BENCH_DB)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    job_ids = seed(args.applications)
    key = new_key()
    from django.db import connections

    connections.close_all()
    env = {
        "API_KEY": key,
        "BENCH_JOB_IDS": ",".join(map(str, job_ids[:50])),
        "FIT_RESUMES": str(args.fit_resumes),
    }
    print(
        f"database: {kind}; {args.applications:,} applications; gunicorn --workers "
        f"{args.workers}; {args.users} clients, {args.duration} s per run; "
        f"{os.cpu_count()} CPU cores"
    )
    server = start_gunicorn(args.port, args.workers)
    try:
        print(f"\nlist endpoints (page_size=50), {args.users} clients without pause (saturation)")
        rows = run_locust(args.port, args.users, args.duration, "lists", env)
        print_rows(rows)
        paced_runs(args, env, saturation=float(rows[-1]["Requests/s"]))
        if not args.skip_ml:
            calls_s, median_ms = bare_fit_speed(args.fit_resumes, repeats=10)
            print(f"\nPOST /api/v1/ml/fit with {args.fit_resumes} resumes per call")
            print(
                f"model alone (this process, 1 thread): {calls_s:.2f} calls/s, "
                f"median {median_ms:.0f} ms per call"
            )
            warm_up_fit(args.port, key, args.fit_resumes, calls=args.workers * 3)
            print_rows(run_locust(args.port, args.users, args.duration, "ml", env))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
