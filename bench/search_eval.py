"""nDCG@10 of the talent search: blended (keywords + the fit model's meaning) against keywords
only, over a labelled query set, with bootstrap intervals.

    python -m bench.search_eval                     # the embedded default: SQLite, FTS5 bm25()
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.search_eval
                                                    # PostgreSQL full-text as the keyword part

Queries and labels: bench/data/search_queries.json (50 queries, how each label was derived).
Candidates: LiveCareer resumes of ../shared/data (evaluation only), 15 per category by
default, each with its text, a headline (its first line), taxonomy skills, years of
experience from its dated jobs and its stored fit embedding: the app's own rows, searched
through `recruiting.selectors.talent` as a recruiter. Profiles and embeddings are cached in
the temp folder (keyed by text and model version), so a second run takes seconds.
With a PostgreSQL DATABASE_URL the script uses its own database, `smarthr_bench_search`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402

BENCH_DB = "smarthr_bench_search"
QUERIES = ROOT / "bench" / "data" / "search_queries.json"
LIVECAREER = "resumes_more/livecareer_resume_dataset/livecareer_resumes_pdftotext.csv"
# LiveCareer's snapshot (the scraper's last commit): "present" in a resume means this date.
SNAPSHOT = dt.date(2021, 8, 8)
MIN_CHARS = 1000
CACHE = Path(tempfile.gettempdir()) / "smarthr_search_eval"
RECRUITER = "bench-search-recruiter"
K = 10


def shared_data() -> Path:
    root = Path(os.environ.get("SMARTHR_SHARED_DIR", ROOT.parent / "shared"))
    return root / "data"


def pick_resumes(per_category: int) -> list[dict[str, str]]:
    """The first `per_category` resumes of each category by sha256 of their id (no random
    state), with enough text, each text once."""
    csv.field_size_limit(10**9)
    with (shared_data() / LIVECAREER).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows.sort(key=lambda r: hashlib.sha256(r["ID"].encode()).hexdigest())
    taken: Counter[str] = Counter()
    seen: set[str] = set()
    out = []
    for row in rows:
        text = row["Resume_text"].strip()
        if len(text) < MIN_CHARS or text in seen or taken[row["Category"]] >= per_category:
            continue
        seen.add(text)
        taken[row["Category"]] += 1
        out.append({"id": row["ID"], "category": row["Category"], "text": text})
    return out


def profile(text: str) -> dict[str, Any]:
    """What parsing gives the search (headline, skills, jobs, years), without the name
    finder's NER pass: no search filter reads a name."""
    from mlcore.parsing import experience
    from mlcore.parsing.dates import total_years
    from mlcore.parsing.extract import clean_text
    from mlcore.parsing.sections import split_sections
    from mlcore.parsing.skills import find_skills

    clean = clean_text(text)
    sections = split_sections(clean)
    jobs = experience.parse_experience_section(
        sections.get("experience", ""), lambda texts: [False] * len(texts)
    )
    jobs = experience.merge_entries(jobs, experience.parse_keyed_jobs(clean))
    ranges = [(j.start, j.end) for j in jobs if j.start and j.end]
    first = next(line for line in clean.splitlines() if line.strip())
    return {
        "headline": " ".join(first.split())[:300].title(),
        "skills": find_skills(clean)[:60],
        "experience": [j.to_dict() for j in jobs][:20],
        "years": total_years(ranges, SNAPSHOT),
    }


def build_pool(resumes: list[dict[str, str]]) -> tuple[list[dict[str, Any]], np.ndarray, str]:
    """Profiles and fit embeddings (active model), from the cache where it has them (JSON and
    .npz read without pickle: the temp folder is shared)."""
    from mlcore.matching import get_fit_model

    model = get_fit_model()
    CACHE.mkdir(exist_ok=True)
    profiles_file = CACHE / "profiles.json"
    vectors_file = CACHE / f"vectors-{model.version}.npz"
    known: dict[str, Any] = (
        json.loads(profiles_file.read_text(encoding="utf-8")) if profiles_file.exists() else {}
    )
    vectors: dict[str, np.ndarray] = {}
    if vectors_file.exists():
        with np.load(vectors_file, allow_pickle=False) as stored:
            vectors = {key: stored[key] for key in stored.files}
    keys = [hashlib.sha256(r["text"].encode()).hexdigest() for r in resumes]
    for n, (resume, key) in enumerate(zip(resumes, keys, strict=True)):
        if key not in known:
            known[key] = profile(resume["text"])
        if n % 50 == 49:
            print(f"  profiles: {n + 1}/{len(resumes)}", flush=True)
    profiles_file.write_text(json.dumps(known), encoding="utf-8")
    todo = [n for n, key in enumerate(keys) if key not in vectors]
    for start in range(0, len(todo), 16):
        batch = todo[start : start + 16]
        prepared = [model.prepare_resume(resumes[n]["text"]) for n in batch]
        for n, vector in zip(batch, model.embed_resumes(prepared, prepared=True), strict=True):
            vectors[keys[n]] = np.asarray(vector, dtype=np.float32)
        print(f"  embedded: {min(start + 16, len(todo))}/{len(todo)}", flush=True)
        np.savez(vectors_file, **vectors)
    return [known[k] for k in keys], np.stack([vectors[k] for k in keys]), model.version


def seed(
    resumes: list[dict[str, str]], profiles: list[dict[str, Any]], matrix: np.ndarray, version: str
) -> dict[int, str]:
    """The pool as the app's rows; returns candidate id → category (the labels' key)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from recruiting.models import Candidate, Resume, ResumeEmbedding

    now = timezone.now()
    with transaction.atomic():
        Candidate.objects.all().delete()
        Resume.objects.all().delete()
        candidates = Candidate.objects.bulk_create(
            Candidate(
                headline=p["headline"],
                skills=p["skills"],
                experience=p["experience"],
                years_experience=None if p["years"] is None else round(p["years"], 1),
                source="livecareer",
                external_id=r["id"],
            )
            for r, p in zip(resumes, profiles, strict=True)
        )
        stored = Resume.objects.bulk_create(
            Resume(
                candidate=c,
                file=f"bench/{r['id']}.txt",
                original_name=f"{r['id']}.txt",
                size=len(r["text"]),
                sha256=hashlib.sha256(r["text"].encode()).hexdigest(),
                text=r["text"],
                parse_status=Resume.ParseStatus.PARSED,
                parsed_at=now,
            )
            for c, r in zip(candidates, resumes, strict=True)
        )
        ResumeEmbedding.objects.bulk_create(
            ResumeEmbedding(resume=s, model_version=version, vector=row.tobytes())
            for s, row in zip(stored, matrix, strict=True)
        )
    user, _ = get_user_model().objects.get_or_create(username=RECRUITER)
    user.groups.add(Group.objects.get_or_create(name="recruiter")[0])
    return {c.pk: r["category"] for c, r in zip(candidates, resumes, strict=True)}


def ndcg_at_k(relevant: list[bool], total_relevant: int, k: int = K) -> float:
    gains = sum(1.0 / np.log2(i + 2) for i, rel in enumerate(relevant[:k]) if rel)
    ideal = sum(1.0 / np.log2(i + 2) for i in range(min(k, total_relevant)))
    return gains / ideal if ideal else 0.0


def misspelt(text: str) -> str:
    """`text` with its longest free word of 6+ letters missing its middle letter
    ("reconciliations" → "reconcilations"), or as it is when it has none. Free words only:
    the parser corrects a skill's typo itself."""
    from mlcore.search import parse_query

    words = [w for w in parse_query(text).words if len(w) >= 6 and w.isalpha()]
    if not words:
        return text
    word = max(words, key=len)
    typo = word[: len(word) // 2] + word[len(word) // 2 + 1 :]
    return re.sub(rf"\b{re.escape(word)}\b", typo, text, count=1)


def run_queries(
    queries: list[dict[str, Any]], category_of: dict[int, str], *, misspell: bool = False
) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from recruiting.selectors.talent import BLENDED, KEYWORD, talent_query, talent_search

    user = get_user_model().objects.get(username=RECRUITER)
    per_category = Counter(category_of.values())
    out: dict[str, Any] = {KEYWORD: [], BLENDED: [], "counts": {KEYWORD: [], BLENDED: []}}
    for q in queries:
        query = talent_query(text=misspelt(q["query"]) if misspell else q["query"])
        total = sum(per_category[c] for c in q["relevant"])
        for mode in (KEYWORD, BLENDED):
            ranked = talent_search(user=user, query=query, mode=mode).ranked
            relevant = [category_of[pk] in q["relevant"] for pk in ranked]
            out[mode].append(ndcg_at_k(relevant, total))
            out["counts"][mode].append(len(ranked))
    return out


def bootstrap(
    values: dict[str, list[float]], resamples: int, seed_: int
) -> dict[str, tuple[float, float, float]]:
    """Point and percentile 95 % interval of each mean, queries resampled (paired)."""
    rng = np.random.default_rng(seed_)
    n = len(next(iter(values.values())))
    index = rng.integers(0, n, size=(resamples, n))
    out = {}
    for name, vals in values.items():
        arr = np.asarray(vals)
        means = arr[index].mean(axis=1)
        out[name] = (float(arr.mean()), *map(float, np.percentile(means, [2.5, 97.5])))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-category", type=int, default=15)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--verbose", action="store_true", help="print each query's nDCG@10")
    parser.add_argument(
        "--misspell",
        action="store_true",
        help="also search each query with a typo in its longest free word (misspelt()), "
        "with and without typo tolerance",
    )
    args = parser.parse_args()
    kind = prepare_environment(BENCH_DB)
    import django

    django.setup()
    from django.core.management import call_command

    from recruiting.selectors.search import uses_full_text_search
    from recruiting.selectors.talent import fts5_ready

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    spec = json.loads(QUERIES.read_text(encoding="utf-8"))
    resumes = pick_resumes(args.per_category)
    profiles, matrix, version = build_pool(resumes)
    category_of = seed(resumes, profiles, matrix, version)
    results = run_queries(spec["queries"], category_of)
    keyword, blended = results["keyword"], results["blended"]
    stats = bootstrap(
        {"keyword": keyword, "blended": blended, "diff": list(np.subtract(blended, keyword))},
        args.resamples,
        args.seed,
    )
    if uses_full_text_search():
        part = "PostgreSQL full text (profile ts_rank, resume term share), trigram typos"
    elif fts5_ready():
        part = "FTS5 bm25() (SQLite)"
    else:
        part = "BM25 in Python (SQLite without the FTS5 table)"
    print(
        f"\ntalent search: {len(spec['queries'])} queries over {len(resumes)} candidates "
        f"({len(set(category_of.values()))} LiveCareer categories), {kind}"
    )
    print(f"keyword part: {part}; meaning: fit model {version}; labels: {QUERIES.name}")
    print(f"{'method':<34}{'nDCG@10 [95% CI]':>26}   no result   median found")
    for name, label in (("keyword", "keyword only"), ("blended", "blended (keywords + meaning)")):
        point, low, high = stats[name]
        counts = results["counts"][name]
        zero = sum(1 for c in counts if c == 0)
        median = int(np.median(counts))
        print(f"{label:<34}{point:>8.3f} [{low:.3f}, {high:.3f}]   {zero:>9}   {median:>12}")
    point, low, high = stats["diff"]
    print(f"{'  blended − keyword':<34}{point:>+8.3f} [{low:+.3f}, {high:+.3f}]")
    print(f"bootstrap: {args.resamples} resamples of the queries (paired), seed {args.seed}")
    if args.misspell:
        misspell_report(spec["queries"], category_of, args)
    if args.verbose:
        counts = zip(results["counts"]["keyword"], results["counts"]["blended"], strict=True)
        for q, k, b, (nk, nb) in zip(spec["queries"], keyword, blended, counts, strict=True):
            print(f"  {q['id']} {k:.3f} {b:.3f} found {nk:>3} {nb:>3}  {q['query'][:60]!r}")
    print(f"{time.perf_counter() - started:.0f} s in all")


def misspell_report(
    queries: list[dict[str, Any]], category_of: dict[int, str], args: argparse.Namespace
) -> None:
    """nDCG@10 of the queries with a typo (`misspelt`), typo tolerance on and off (off: no
    free word is looked up by similarity)."""
    from unittest import mock

    from recruiting.selectors import talent

    changed = [q for q in queries if misspelt(q["query"]) != q["query"]]
    on = run_queries(changed, category_of, misspell=True)
    with mock.patch.object(talent, "typo_words", lambda *a, **k: ()):
        off = run_queries(changed, category_of, misspell=True)
    modes = (("keyword", "keyword only"), ("blended", "blended"))
    stats = bootstrap(
        {
            **{f"{m}-on": on[m] for m, _ in modes},
            **{f"{m}-off": off[m] for m, _ in modes},
            **{f"{m}-diff": list(np.subtract(on[m], off[m])) for m, _ in modes},
        },
        args.resamples,
        args.seed,
    )
    print(f"\nwith a typo: {len(changed)} of the {len(queries)} queries have a free word of 6+")
    print("letters; its middle letter dropped (e.g. " + repr(misspelt(changed[0]["query"])) + ")")
    for mode, label in modes:
        for side, results in (("off", off), ("on", on)):
            point, low, high = stats[f"{mode}-{side}"]
            counts = results["counts"][mode]
            zero = sum(1 for c in counts if c == 0)
            name = f"{label}, typo tolerance {side}"
            print(f"{name:<34}{point:>8.3f} [{low:.3f}, {high:.3f}]   {zero:>9}")
        point, low, high = stats[f"{mode}-diff"]
        print(f"{'  on − off':<34}{point:>+8.3f} [{low:+.3f}, {high:+.3f}]")


if __name__ == "__main__":
    main()
