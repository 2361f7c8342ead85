"""Locust users for bench/api_load.py: the main list endpoints, and /api/v1/ml/fit.

Reads API_KEY, BENCH_JOB_IDS (comma-separated), FIT_RESUMES (resumes per fit call) and
PACE_PER_CLIENT (requests per second per client, 0 = no pause) from the environment. Run
through bench/api_load.py, which seeds, starts gunicorn and prints.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from locust import FastHttpUser, constant, tag, task

from api_load_texts import JOB_TEXT, resume_text

KEY = os.environ.get("API_KEY", "")
JOB_IDS = [int(x) for x in os.environ.get("BENCH_JOB_IDS", "1").split(",") if x]
FIT_RESUMES = int(os.environ.get("FIT_RESUMES", "20"))
# Requests per second per client; 0: closed loop, each client sends its next request at once.
PACE = float(os.environ.get("PACE_PER_CLIENT", "0"))


class ApiClient(FastHttpUser):  # the lighter client: the load generator shares the cores
    # Paced: random (exponential) pauses, so clients do not fire in step as they would with
    # a fixed interval after a simultaneous start; about PACE requests/s each.
    wait_time = (lambda self: random.expovariate(PACE)) if PACE > 0 else constant(0)

    default_headers = {"Authorization": f"Bearer {KEY}"}

    @tag("lists")
    @task(3)
    def applications(self) -> None:
        self.client.get("/api/v1/applications/?page_size=50", name="GET /applications/")

    @tag("lists")
    @task(2)
    def applications_by_job(self) -> None:
        job = random.choice(JOB_IDS)
        self.client.get(
            f"/api/v1/applications/?job={job}&page_size=50", name="GET /applications/?job="
        )

    @tag("lists")
    @task(2)
    def candidates(self) -> None:
        self.client.get("/api/v1/candidates/?page_size=50", name="GET /candidates/")

    @tag("lists")
    @task(1)
    def jobs(self) -> None:
        self.client.get("/api/v1/jobs/?page_size=50", name="GET /jobs/")

    @tag("lists")
    @task(1)
    def applications_sync(self) -> None:
        self.client.get(
            "/api/v1/applications/?updated_after=2020-01-01T00:00:00Z&stage=interview&page_size=50",
            name="GET /applications/?updated_after=&stage=",
        )

    @tag("ml")
    @task
    def fit(self) -> None:
        offset = random.randint(0, 10_000)
        body = {
            "job_text": JOB_TEXT,
            "resume_texts": [resume_text(offset + i) for i in range(FIT_RESUMES)],
        }
        self.client.post("/api/v1/ml/fit/", json=body, name=f"POST /ml/fit/ ({FIT_RESUMES})")
