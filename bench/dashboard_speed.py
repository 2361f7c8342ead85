"""How fast the survey dashboard JSON answers: one survey, 10,000 answers, 50 departments.

    python bench/dashboard_speed.py                       # a throw-away SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/dashboard_speed.py

With a PostgreSQL DATABASE_URL the script creates (once) and uses a separate database,
`smarthr_bench`, on the same server; it never touches the database named in the URL. The
seed is synthetic and already "analysed" (labels, topics, reasons): the model is not what is
measured here. Prints the timing of GET /hr/surveys/<id>/results.json through Django's test
client (view, aggregates, anonymity rule and JSON), median of several runs. Goal: < 300 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.djangoenv import prepare_environment  # noqa: E402

BENCH_DB = "smarthr_bench"
TITLE = "Dashboard benchmark survey"
TOPICS = ["pay_benefits", "management", "workload", "team", "growth", "tools", "communication"]
WORDS = [
    "the",
    "team",
    "is",
    "great",
    "but",
    "workload",
    "is",
    "high",
    "and",
    "pay",
    "could",
    "be",
    "better",
]


def _embedding(rng: Any, *, theme: bool) -> bytes:
    """A stored comment embedding (float16, unit length), as the analysis task leaves it."""
    import numpy as np

    from mlcore.sentiment.insights import vector_bytes

    vector = rng.standard_normal(384)
    if theme:
        vector = vector * 0.3 + np.eye(384)[0] * 8
    return vector_bytes(vector / np.linalg.norm(vector))


def seed(n_answers: int, n_departments: int) -> int:
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction

    from hr.models import Answer, Department, Employee, Invitation, Question, Response, Survey

    existing = Survey.objects.filter(title=TITLE).first()
    if (
        existing is not None
        and Answer.objects.filter(response__survey=existing).count() == n_answers
        # Seeds from before comment insights (issue 19) have no embeddings: seeded again.
        and not Answer.objects.filter(
            response__survey=existing, question__kind="free_text", embedding__isnull=True
        ).exists()
    ):
        return existing.pk
    rng = random.Random(7)
    vectors = np.random.default_rng(7)
    with transaction.atomic():
        Survey.objects.filter(title=TITLE).delete()
        tops = max(1, n_departments // 10)
        departments = []
        for t in range(tops):
            top, _ = Department.objects.get_or_create(name=f"Bench division {t}", parent=None)
            departments.append(top)
        while len(departments) < n_departments:
            parent = departments[len(departments) % tops]
            child, _ = Department.objects.get_or_create(
                name=f"Bench team {len(departments)}", parent=parent
            )
            departments.append(child)
        survey = Survey.objects.create(title=TITLE, status=Survey.Status.CLOSED)
        questions = [
            Question.objects.create(survey=survey, position=0, kind="enps", text="Recommend?"),
            Question.objects.create(survey=survey, position=1, kind="likert", text="Tools?"),
            Question.objects.create(survey=survey, position=2, kind="likert", text="Manager?"),
            Question.objects.create(
                survey=survey,
                position=3,
                kind="single_choice",
                text="Improve first?",
                choices=["Pay", "Growth", "Workload", "Tools"],
            ),
            Question.objects.create(survey=survey, position=4, kind="free_text", text="Comments"),
        ]
        n_responses = n_answers // len(questions)
        start = date.today() - timedelta(days=56)
        responses = [
            Response(
                survey=survey,
                department=rng.choice(departments),
                tenure_band=rng.choice(["lt1", "1-3", "3-5", "5+"]),
                submitted_on=start + timedelta(days=rng.randrange(56)),
            )
            for _ in range(n_responses)
        ]
        Response.objects.bulk_create(responses, batch_size=2000)
        answers = []
        for response in responses:
            for q in questions:
                a = Answer(response=response, question=q)
                if q.kind == "enps":
                    a.number = rng.randint(0, 10)
                elif q.kind == "likert":
                    a.number = rng.randint(1, 5)
                elif q.kind == "single_choice":
                    a.choice = rng.choice(q.choices)
                else:
                    label = rng.choice(["negative", "neutral", "positive"])
                    probs = {"negative": 0.2, "neutral": 0.2, "positive": 0.2, label: 0.6}
                    words = rng.sample(WORDS, 8)
                    a.text = " ".join(words)
                    a.sentiment_label, a.sentiment_probs = label, probs
                    a.topics = rng.sample(TOPICS, rng.randint(0, 3))
                    a.attributions = [[w, round(rng.uniform(-1, 1), 3)] for w in words]
                    a.model_version, a.analyzed_on = "bench", date.today()
                    # Comment insights: one comment in ten about a shared theme.
                    a.embedding = _embedding(vectors, theme=rng.random() < 0.1)
                answers.append(a)
        Answer.objects.bulk_create(answers, batch_size=2000)
        # Invitations for a response rate: one employee per response, plus a few more.
        employees = Employee.objects.bulk_create(
            [
                Employee(
                    full_name=f"Bench person {i}",
                    hire_date=date(2020, 1, 1),
                    department=rng.choice(departments),
                )
                for i in range(int(n_responses * 1.25))
            ],
            batch_size=2000,
        )
        Invitation.objects.bulk_create(
            [
                Invitation(survey=survey, employee=e, token_hash=f"{survey.pk:08d}{i:056d}")
                for i, e in enumerate(employees)
            ],
            batch_size=2000,
        )
        user, _ = get_user_model().objects.get_or_create(username="bench-hradmin")
        user.groups.add(Group.objects.get_or_create(name="hr_admin")[0])
    return survey.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--departments", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    kind = prepare_environment(BENCH_DB)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hr.models import Answer, Department

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    survey_id = seed(args.answers, args.departments)
    seeded = time.perf_counter() - t0
    n = Answer.objects.filter(response__survey_id=survey_id).count()

    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-hradmin"))
    url = f"/hr/surveys/{survey_id}/results.json"
    division = Department.objects.filter(name="Bench division 0").values_list("pk", flat=True)[0]
    cases = [
        ("whole company, by month", {}),
        ("whole company, by week", {"grain": "week"}),
        ("one division (with its teams), by week", {"department": division, "grain": "week"}),
    ]
    print(f"database: {kind}")
    print(
        f"survey {survey_id}: {n} answers, {args.departments} departments "
        f"(seeded in {seeded:.1f} s)"
    )
    for name, params in cases:
        client.get(url, params)  # warm-up
        timings = []
        for _ in range(args.runs):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                response = client.get(url, params)
                timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.content[:300]
        print(
            f"{name:42s} median {statistics.median(timings):6.1f} ms  "
            f"min {min(timings):6.1f} ms  ({len(queries)} queries, "
            f"{len(response.content) / 1024:.0f} KiB)"
        )
    # In the same run: the whole-company dashboard in-process (its insights read back from the
    # cache, as every view after the first), and the insights computed again on loaded data
    # (what the first view of a group after an analysis adds; themes still cached).
    from hr.analytics import Filters, SurveyData, survey_dashboard
    from hr.analytics.insights import _comment_insights
    from hr.anonymity import ROOT
    from hr.models import Survey

    survey = Survey.objects.get(pk=survey_id)
    user = get_user_model().objects.get(username="bench-hradmin")
    whole, alone = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        survey_dashboard(user=user, survey=survey, filters=Filters())
        whole.append((time.perf_counter() - t) * 1000)
        data = SurveyData(survey)
        t = time.perf_counter()
        _comment_insights(data, ROOT, None, topic_order=list(data.topics))  # not cached
        alone.append((time.perf_counter() - t) * 1000)
    print(
        f"{'whole company: dashboard, in-process':42s} median "
        f"{statistics.median(whole):6.1f} ms; insights computed again "
        f"{statistics.median(alone):6.1f} ms"
    )
    # The comment themes are clustered once per version of the comments and cached; the
    # first view after an analysis pays for the clustering.
    from django.core.cache import cache

    timings = []
    for _ in range(args.runs):
        cache.clear()
        t = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t) * 1000)
    themes = len(response.json()["insights"]["themes"])
    print(
        f"{'whole company, themes clustered again':42s} median "
        f"{statistics.median(timings):6.1f} ms  min {min(timings):6.1f} ms  ({themes} themes)"
    )


if __name__ == "__main__":
    main()
