"""Latency of the talent search at 10,000 candidates on PostgreSQL, against a bare full-text
query in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.search_latency

Uses its own database, `smarthr_bench_search_latency`, on the server of the URL (never the
database named in it). The pool: LiveCareer resume texts of ../shared/data (evaluation only),
each used for about four candidates, with the profile `bench.search_eval` reads (headline,
taxonomy skills, jobs, years) and a stored embedding of the active fit model's size (random
unit vectors: the time of the matrix product does not depend on their values). The queries:
the 50 of bench/data/search_queries.json, in rounds.

Timed per query:
- **talent search**: what the page does: read the query (`talent_query`), filter, rank by
  keywords and meaning (`talent_search`, the query embedded by the real fit model: the cache
  of query vectors is emptied before each query) and load the page's 20 candidates;
- the same with the query's vector already cached (a query asked again, or a second page);
- **bare full-text**: one SQL query, `search_tsv @@ websearch_to_tsquery(q)` on the stored
  candidate vectors, ordered by `ts_rank`, first 20 ids.
Goal: p95 of the talent search ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402
from bench.search_eval import (  # noqa: E402
    CACHE,
    QUERIES,
    RECRUITER,
    misspelt,
    pick_resumes,
    profile,
)

BENCH_DB = "smarthr_bench_search_latency"
BARE_SQL = (
    "SELECT id FROM recruiting_candidate WHERE search_tsv @@ websearch_to_tsquery('english', %s) "
    "ORDER BY ts_rank(search_tsv, websearch_to_tsquery('english', %s)) DESC, id DESC LIMIT 20"
)


def profiles_for(resumes: list[dict[str, str]]) -> list[dict]:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / "profiles.json"
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    out = []
    for n, resume in enumerate(resumes):
        key = hashlib.sha256(resume["text"].encode()).hexdigest()
        if key not in known:
            known[key] = profile(resume["text"])
        out.append(known[key])
        if n % 250 == 249:
            print(f"  profiles: {n + 1}/{len(resumes)}", flush=True)
            path.write_text(json.dumps(known), encoding="utf-8")
    path.write_text(json.dumps(known), encoding="utf-8")
    return out


def seed(n_candidates: int, dim: int, version: str) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from recruiting.models import Candidate, Resume, ResumeEmbedding

    seeded = Candidate.objects.filter(source="bench-latency").count() == n_candidates
    if seeded and ResumeEmbedding.objects.filter(model_version=version).count() == n_candidates:
        return
    Candidate.objects.all().delete()
    Resume.objects.all().delete()
    resumes = pick_resumes(10_000)  # every usable text
    profiles = profiles_for(resumes)
    rng = np.random.default_rng(7)
    now = timezone.now()
    for start in range(0, n_candidates, 1000):
        rows = range(start, min(start + 1000, n_candidates))
        picked = [(resumes[i % len(resumes)], profiles[i % len(resumes)]) for i in rows]
        candidates = Candidate.objects.bulk_create(
            Candidate(
                headline=p["headline"],
                skills=p["skills"],
                experience=p["experience"],
                years_experience=None if p["years"] is None else round(p["years"], 1),
                source="bench-latency",
            )
            for r, p in picked
        )
        stored = Resume.objects.bulk_create(
            Resume(
                candidate=c,
                file=f"bench/{c.pk}.txt",
                original_name="cv.txt",
                size=len(r["text"]),
                sha256=hashlib.sha256(f"{c.pk}:{r['id']}".encode()).hexdigest(),
                text=r["text"],
                parse_status=Resume.ParseStatus.PARSED,
                parsed_at=now,
            )
            for c, (r, _) in zip(candidates, picked, strict=True)
        )
        matrix = rng.standard_normal((len(stored), dim)).astype(np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        ResumeEmbedding.objects.bulk_create(
            ResumeEmbedding(resume=s, model_version=version, vector=row.tobytes())
            for s, row in zip(stored, matrix, strict=True)
        )
        print(f"  seeded {rows.stop}/{n_candidates}", flush=True)
    user, _ = get_user_model().objects.get_or_create(username=RECRUITER)
    user.groups.add(Group.objects.get_or_create(name="recruiter")[0])


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--misspell",
        action="store_true",
        help="search each query with a typo in its longest free word (bench.search_eval's "
        "misspelt(): 37 of the 50), so typo tolerance runs",
    )
    args = parser.parse_args()
    kind = prepare_environment(BENCH_DB)
    if not kind.startswith("PostgreSQL"):
        sys.exit("bench.search_latency measures PostgreSQL: set DATABASE_URL=postgres://...")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    from mlcore.matching import get_fit_model
    from recruiting.selectors.talent import talent_candidates, talent_query, talent_search

    call_command("migrate", verbosity=0)
    model = get_fit_model()
    seed(args.candidates, model.dim, model.version)
    with connection.cursor() as cursor:
        # Planner statistics as a live database has them (autovacuum may not have run since
        # the seed): without them PostgreSQL guesses a few rows for every filter.
        cursor.execute(
            "ANALYZE recruiting_candidate, recruiting_resume, recruiting_resumeembedding"
        )
    user = get_user_model().objects.get(username=RECRUITER)
    queries = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    if args.misspell:
        queries = [misspelt(q) for q in queries]

    def search(text: str) -> None:
        results = talent_search(user=user, query=talent_query(text=text))
        talent_candidates(user=user, ids=results.ranked[:20])

    def bare(text: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, [text, text])
            cursor.fetchall()

    first = timed(lambda: search(queries[0]))  # loads the pool's matrix into memory
    times: dict[str, list[float]] = {"talent": [], "cached": [], "bare": []}
    for _ in range(args.rounds):
        for text in queries:
            cache.clear()
            times["talent"].append(timed(lambda t=text: search(t)))
            times["cached"].append(timed(lambda t=text: search(t)))
            times["bare"].append(timed(lambda t=text: bare(t)))
    print(
        f"\ntalent search latency: {args.candidates:,} candidates, {kind}, fit model "
        f"{model.version} ({model.dim} dims); {len(queries)} queries × {args.rounds} rounds"
        + (", misspelt" if args.misspell else "")
    )
    print(f"first search after start (loads the pool's vectors): {first:.0f} ms")
    print(f"{'':<52}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
    labels = {
        "talent": "talent search (query embedded each time)",
        "cached": "talent search (query vector cached)",
        "bare": "bare full-text query (first 20 by ts_rank)",
    }
    for name, label in labels.items():
        values = times[name]
        print(
            f"{label:<52}{statistics.median(values):>8.0f}{percentile(values, 95):>8.0f}"
            f"{max(values):>8.0f}"
        )
    goal = percentile(times["talent"], 95)
    print(f"goal p95 ≤ 300 ms: {'met' if goal <= 300 else 'not met'} ({goal:.0f} ms)")


if __name__ == "__main__":
    main()
