"""How long the demo survey's comment analysis takes: reasons for every comment (the old way)
against labels for every comment and reasons only for the comments the dashboard quotes.

    SMARTHR_TORCH_THREADS=2 python -m bench.sentiment_demo_analysis

Seeds the demo company and its closed survey (demo.survey, 38 comments) in a throw-away
SQLite file, loads and warms the active sentiment model (timed apart), then, in one run:

- baseline: `predict(explain=True)` on the 38 comments, what the analysis task did before
  (integrated gradients through the five-member ensemble for every comment);
- the app's path now: `answers_analyze` on the 38 answers (labels, probabilities, topics,
  stored), then the company-wide examples' reasons (`explain_survey_examples`, queued on
  commit once the closed survey's last answer is analysed; eager here, as in `make run`).

Goal (issue 19): the analysis step <= 5 s. Never part of the test pass/fail.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402

BENCH_DB = "smarthr_bench_demo_analysis"


def seed() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import Role
    from demo.loader import DEPARTMENTS, EMPLOYEES
    from demo.survey import demo_survey_seed
    from hr.models import Answer, Department, Employee

    user, _ = get_user_model().objects.get_or_create(username="bench-hr")
    user.groups.add(Group.objects.get_or_create(name=Role.HR_ADMIN.value)[0])
    departments: dict[str, Department] = {}
    for name, parent in DEPARTMENTS.items():
        departments[name], _ = Department.objects.get_or_create(
            name=name, parent=departments.get(parent) if parent else None
        )
    for name, title, dept, hired, _manager in EMPLOYEES:
        Employee.objects.get_or_create(
            full_name=name,
            defaults={"title": title, "department": departments[dept], "hire_date": hired},
        )
    survey = demo_survey_seed(by=user, analyze=False)
    ids = [
        str(pk)
        for pk in Answer.objects.filter(response__survey=survey)
        .exclude(text="")
        .values_list("pk", flat=True)
    ]
    return ids


def main() -> None:
    db_path = Path(tempfile.gettempdir()) / f"{BENCH_DB}.sqlite3"  # where djangoenv puts it
    os.environ.pop("DATABASE_URL", None)
    db_path.unlink(missing_ok=True)  # a fresh demo every run
    kind = prepare_environment(BENCH_DB)

    import django

    django.setup()
    import torch
    from django.core.management import call_command
    from django.db import transaction

    from hr.models import Answer
    from hr.services import answers_analyze
    from hr.services.analysis import active_model_version
    from mlcore.encoder import set_threads
    from mlcore.sentiment import get_model

    set_threads()
    call_command("migrate", verbosity=0)
    ids = seed()
    texts = list(Answer.objects.filter(pk__in=ids).values_list("text", flat=True))

    started = time.perf_counter()
    model = get_model(active_model_version())
    model.predict(texts[:4], explain=True)  # warm: tokenizer, tagger, captum
    warm = time.perf_counter() - started

    started = time.perf_counter()
    model.predict(texts, explain=True)
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():  # the examples' reasons are queued on commit: timed apart
        analysed = answers_analyze(answer_ids=ids)
        analysis = time.perf_counter() - started
    total = time.perf_counter() - started
    explained = Answer.objects.filter(pk__in=ids, attributions__isnull=False).count()

    print(
        f"demo survey: {len(texts)} comments; model {model.version}; {kind}; "
        f"torch threads {torch.get_num_threads()}; load + warm-up {warm:.1f} s (not counted)"
    )
    print(f"baseline: reasons for every comment (predict explain=True)   {baseline:6.2f} s")
    print(
        f"now: analysis (labels, probabilities, topics; {analysed} stored)    {analysis:6.2f} s"
        f"  {baseline / analysis:5.1f}x faster"
    )
    print(
        f"now: + reasons for the {explained} quoted comments (on commit)      "
        f"{total - analysis:6.2f} s  (analysis + reasons {total:.2f} s)"
    )


if __name__ == "__main__":
    main()
