"""Analysing 1,000 survey answers through Celery, next to the plain model forward pass.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 nice -n 10 python -m bench.sentiment_throughput \\
        [--n 1000] [--workers 2] [--in-process] [--stages] [--db NAME]

Seeds (once) the database `smarthr_bench_sentiment` (or --db NAME, one's own): one closed
survey with N free-text answers (employee reviews from ../shared/data/sentiment, cycled;
bench data only, never shipped). Then, in one run and on the same texts:
- plain forward pass: the active model's calibrated probabilities (`predict_probs`), batched,
  in this process, on one torch thread and on as many threads as each worker count in
  --workers (the same cores as that many one-thread workers) — the floor for any serving path;
- the app's model work without Celery or the database: `SentimentModel.analyse` (label,
  probabilities, topics and the comment-insights embedding) in batches of `BATCH_SIZE` in
  the order the app queues them, one thread (with --stages, each part of it alone);
- with --in-process, the model's full analysis in this process (`predict(..., explain=True)`:
  label, probabilities, topics and integrated-gradients attributions), one thread;
- the app's path: every answer's analysis cleared, then `answers_enqueue_analysis` (batches of
  `BATCH_SIZE`) through the broker to each count of `celery worker --pool=solo` processes in
  --workers (one torch thread each, the sentiment model loaded at start as
  WORKER_WARM_MODELS=sentiment does, so no load is timed: the forward pass is timed warm
  too), timed until every answer carries the active model version.
Prints answers per second for each, the ratio against the one-thread forward pass (the
issue's figure: N workers use N cores against its one) and against the forward pass on as
many threads as the workers have in all (like with like), and the load average (1 minute)
before and after each timing: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402
from bench.workers import celery_workers  # noqa: E402

BENCH_DB = "smarthr_bench_sentiment"
TITLE = "Bench: sentiment throughput"


def seed(n: int) -> tuple[int, list[str]]:
    from django.db import transaction

    from hr.models import Answer, Question, Response, Survey
    from mlcore.sentiment.data import load_reviews

    texts = [r.text for r in load_reviews()]
    survey = Survey.objects.filter(title=TITLE).first()
    if survey is not None and Answer.objects.filter(question__survey=survey).count() == n:
        pass
    else:
        with transaction.atomic():
            Survey.objects.filter(title=TITLE).delete()
            survey = Survey.objects.create(title=TITLE, status=Survey.Status.CLOSED)
            question = Question.objects.create(
                survey=survey, position=0, kind="free_text", text="Anything else?"
            )
            responses = Response.objects.bulk_create(
                Response(survey=survey, submitted_on=date.today()) for _ in range(n)
            )
            Answer.objects.bulk_create(
                Answer(response=r, question=question, text=texts[i % len(texts)])
                for i, r in enumerate(responses)
            )
    answers = Answer.objects.filter(question__survey=survey).order_by("pk")
    return survey.pk, list(answers.values_list("text", flat=True))


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def forward_rate(texts: list[str], threads: int) -> float:
    """Answers/s of the plain forward pass on `threads` torch threads (model warm)."""
    import torch

    from mlcore.sentiment import get_model

    model = get_model()  # loading applies SMARTHR_TORCH_THREADS: set the threads after it
    torch.set_num_threads(threads)
    model.predict_probs(texts[:32])  # load and warm up outside the timings
    started = time.perf_counter()
    model.predict_probs(texts)
    return len(texts) / (time.perf_counter() - started)


def model_work_rate(texts: list[str], batch_size: int) -> float:
    """Answers/s of the analysis the task asks of the model, one thread, in task batches."""
    import torch

    from hr.services.analysis import active_model_version
    from mlcore.sentiment import get_model

    torch.set_num_threads(1)
    model = get_model(active_model_version())
    model.analyse(texts[:8])  # the topic tagger loaded outside the timing too
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # as the app queues them
    started = time.perf_counter()
    for start in range(0, len(order), batch_size):
        model.analyse([texts[i] for i in order[start : start + batch_size]])
    return len(texts) / (time.perf_counter() - started)


def stage_costs(texts: list[str], batch_size: int) -> dict[str, float]:
    """Milliseconds per answer of each part of the task's model work, one thread, in task
    batches (longest first): where the time goes."""
    import torch

    from mlcore.sentiment import get_model
    from mlcore.sentiment.insights import embed
    from mlcore.sentiment.topics import get_tagger

    torch.set_num_threads(1)
    model, tagger = get_model(), get_tagger()
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    batches = [
        [texts[i] for i in order[s : s + batch_size]] for s in range(0, len(order), batch_size)
    ]
    stages = {
        "forward pass (probabilities)": lambda b: model.predict_probs(b),
        "forward pass + insights embedding (shared)": lambda b: model._forward(b, 32, embed=True),
        "insights embedding, separate base-encoder pass": lambda b: embed(b),
        "topics (base encoder over every clause)": lambda b: tagger.tag(b, batch_size=32),
        "analyse (all of the above, as the task calls it)": lambda b: model.analyse(b),
    }
    costs = {}
    for name, run in stages.items():
        started = time.perf_counter()
        for batch in batches:
            run(batch)
        costs[name] = (time.perf_counter() - started) * 1000 / len(texts)
    return costs


def full_analysis_rate(texts: list[str]) -> float:
    """Answers/s of `predict(explain=True)`, one thread."""
    import torch

    from mlcore.sentiment import get_model

    torch.set_num_threads(1)
    started = time.perf_counter()
    get_model().predict(texts, explain=True)
    return len(texts) / (time.perf_counter() - started)


def through_celery(survey_id: int, n: int, workers: int) -> float:
    from hr.models import Answer
    from hr.services.analysis import answers_enqueue_analysis

    answers = Answer.objects.filter(question__survey_id=survey_id)
    answers.update(model_version="", sentiment_label="", analysis_error="")
    ids = list(answers.values_list("pk", flat=True))
    os.environ["WORKER_WARM_MODELS"] = "sentiment"  # loaded before the timing starts
    with celery_workers(workers, "senti") as procs:
        started = time.perf_counter()
        answers_enqueue_analysis(answer_ids=ids)
        while answers.filter(model_version="").exists():
            if any(p.poll() is not None for p in procs):
                raise SystemExit("a worker exited; run it by hand to see why")
            time.sleep(0.5)
        return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--workers", default="2", help="comma-separated worker counts, e.g. 1,2")
    parser.add_argument("--in-process", action="store_true", help="also time the full analysis")
    parser.add_argument(
        "--stages", action="store_true", help="also time each part of the task's model work"
    )
    parser.add_argument(
        "--db", default=BENCH_DB, help=f"bench database on the same server (default {BENCH_DB})"
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",") if n.strip() and int(n) > 0]  # 0: none
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        raise SystemExit("Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/14).")
    kind = prepare_environment(args.db)
    os.environ["CELERY_BROKER_URL"] = broker  # prepare_environment clears it for seeds
    import django

    django.setup()
    from django.core.management import call_command

    from hr.services.analysis import BATCH_SIZE, active_model_version

    call_command("migrate", verbosity=0)
    survey_id, texts = seed(args.n)
    print(f"{kind}; {args.n} answers; model {active_model_version()}; broker {broker}")
    forward = {1: forward_rate(texts, 1)}
    print(
        f"plain forward pass (probabilities), 1 thread: {forward[1]:7.1f} answers/s  1.00x  "
        f"({load()})"
    )
    for threads in sorted(set(counts) - {1}):
        forward[threads] = forward_rate(texts, threads)
        print(
            f"plain forward pass (probabilities), {threads} threads: {forward[threads]:7.1f} "
            f"answers/s  {forward[threads] / forward[1]:.2f}x  ({load()})"
        )
    work = model_work_rate(texts, BATCH_SIZE)
    print(
        f"model work of the task (analyse: + topics, embeddings), 1 thread, batches of "
        f"{BATCH_SIZE}: {work:7.1f} answers/s  {work / forward[1]:.2f}x  ({load()})"
    )
    if args.stages:
        for name, ms in stage_costs(texts, BATCH_SIZE).items():
            print(f"  {name}: {ms:6.1f} ms/answer  ({load()})")
    if args.in_process:
        full = full_analysis_rate(texts)
        print(
            f"full analysis (topics + attributions), 1 thread: {full:7.1f} answers/s  "
            f"{full / forward[1]:.2f}x"
        )
    for workers in counts:
        before = load()
        rate = through_celery(survey_id, args.n, workers)
        print(
            f"through Celery, {workers} worker(s) x 1 thread, batches of {BATCH_SIZE}: "
            f"{rate:7.1f} answers/s  {rate / forward[1]:.2f}x the 1-thread forward pass, "
            f"{rate / forward[workers]:.2f}x the {workers}-thread one  ({before}, then {load()})"
        )


if __name__ == "__main__":
    main()
