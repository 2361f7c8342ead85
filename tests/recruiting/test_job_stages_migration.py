"""Migration 0016: every existing job gets the default stages, and its applications' stage
values are those stages' keys (nothing about an application changes)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from recruiting import selectors
from recruiting.models import Application, Job, JobStage

pytestmark = pytest.mark.django_db(transaction=True)


def test_existing_jobs_get_the_default_stages_and_keep_their_applications(recruiter):
    executor = MigrationExecutor(connection)
    before = [("recruiting", "0015_interviews_emails")]
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        OldJob = apps.get_model("recruiting", "Job")
        OldCandidate = apps.get_model("recruiting", "Candidate")
        OldApplication = apps.get_model("recruiting", "Application")
        now = timezone.now()
        jobs = [OldJob.objects.create(title=f"Job {n}", owner_id=recruiter.pk) for n in range(2)]
        for n, stage in enumerate(["applied", "interview", "rejected"]):
            OldApplication.objects.create(
                job_id=jobs[0].pk,
                candidate_id=OldCandidate.objects.create(full_name=f"Zq {n}").pk,
                stage=stage,
                applied_at=now,
                stage_changed_at=now,
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    for job in Job.objects.filter(pk__in=[j.pk for j in jobs]):
        rows = JobStage.objects.filter(job=job).order_by("position")
        assert [(r.key, r.name, r.custom) for r in rows] == [
            ("applied", "Applied", False),
            ("screening", "Screening", False),
            ("interview", "Interview", False),
            ("offer", "Offer", False),
        ]
    job = Job.objects.get(pk=jobs[0].pk)
    pipeline = selectors.job_pipeline(job=job)
    stages = sorted(Application.objects.filter(job=job).values_list("stage", flat=True))
    assert stages == ["applied", "interview", "rejected"]
    assert all(stage in pipeline.columns for stage in stages)
