"""Analysing 1,000 survey answers through Celery, next to the plain model forward pass.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 python -m bench.sentiment_throughput \\
        [--n 1000] [--workers 2] [--in-process]

Seeds (once) the database `smarthr_bench_sentiment`: one closed survey with N free-text
answers (employee reviews from ../shared/data/sentiment, cycled; bench data only, never
shipped). Then, in one run and on the same texts:
- plain forward pass: the active model's calibrated probabilities (`predict_probs`), batched,
  one torch thread, in this process — the floor for any serving path;
- with --in-process, the model's full analysis in this process (`predict(..., explain=True)`:
  label, probabilities, topics and integrated-gradients attributions), one thread;
- the app's path: every answer's analysis cleared, then `answers_enqueue_analysis` (batches of
  `BATCH_SIZE`) through the broker to each count of `celery worker --pool=solo` processes in
  --workers (one torch thread each), timed until every answer carries the active model version.
Prints answers per second for each and the ratios against the plain forward pass (per core:
the forward pass runs on one thread, N workers use N cores).
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


def in_process(texts: list[str], full: bool) -> tuple[float, float | None]:
    """Answers/s of the plain forward pass (and of the full analysis), one torch thread."""
    import torch

    from mlcore.sentiment import get_model

    torch.set_num_threads(1)
    model = get_model()
    model.predict_probs(texts[:32])  # load and warm up outside the timings
    started = time.perf_counter()
    model.predict_probs(texts)
    forward = len(texts) / (time.perf_counter() - started)
    if not full:
        return forward, None
    started = time.perf_counter()
    model.predict(texts, explain=True)
    return forward, len(texts) / (time.perf_counter() - started)


def through_celery(survey_id: int, n: int, workers: int) -> float:
    from hr.models import Answer
    from hr.services.analysis import answers_enqueue_analysis

    answers = Answer.objects.filter(question__survey_id=survey_id)
    answers.update(model_version="", sentiment_label="", analysis_error="")
    ids = list(answers.values_list("pk", flat=True))
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
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        raise SystemExit("Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/14).")
    kind = prepare_environment(BENCH_DB)
    os.environ["CELERY_BROKER_URL"] = broker  # prepare_environment clears it for seeds
    import django

    django.setup()
    from django.core.management import call_command

    from hr.services.analysis import BATCH_SIZE, active_model_version

    call_command("migrate", verbosity=0)
    survey_id, texts = seed(args.n)
    print(f"{kind}; {args.n} answers; model {active_model_version()}; broker {broker}")
    forward, full = in_process(texts, args.in_process)
    print(f"plain forward pass (probabilities), 1 thread: {forward:7.1f} answers/s  1.00x")
    if full is not None:
        print(
            f"full analysis (topics + attributions), 1 thread: {full:7.1f} answers/s  "
            f"{full / forward:.2f}x"
        )
    for workers in counts:
        rate = through_celery(survey_id, args.n, workers)
        print(
            f"through Celery, {workers} worker(s), batches of {BATCH_SIZE}: {rate:7.1f} "
            f"answers/s  {rate / forward:.2f}x"
        )


if __name__ == "__main__":
    main()
