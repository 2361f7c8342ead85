"""A job's pipeline: its open stages in order, with their names (the default template when the
job has no stage rows of its own)."""

from __future__ import annotations

from django.db.models import Count, prefetch_related_objects

from ..models import Application, Job, JobStage
from ..pipeline import DEFAULT_PIPELINE, OPEN_STAGES, Pipeline, Stage


def pipeline_from_rows(rows: list[JobStage]) -> Pipeline:
    """The pipeline the rows describe (removed stages keep only their names)."""
    current = [row for row in rows if row.removed_at is None]
    if not current:
        return DEFAULT_PIPELINE
    return Pipeline(
        open=tuple(row.key for row in current),
        names=tuple((row.key, row.name) for row in current),
        removed=tuple((row.key, row.name) for row in rows if row.removed_at is not None),
    )


def job_pipeline(*, job: Job) -> Pipeline:
    """The job's pipeline, in one query."""
    return pipeline_from_rows(list(JobStage.objects.filter(job=job).order_by("position", "id")))


def job_stages_with_counts(*, job: Job) -> list[JobStage]:
    """The job's current stages in order, each with `n_applications` (what removing it needs
    to be zero), in two queries. A job without stage rows yet shows the default template
    (unsaved rows: the first change saves them)."""
    rows = list(JobStage.objects.filter(job=job, removed_at__isnull=True).order_by("position"))
    if not rows:
        rows = [
            JobStage(job=job, key=key, name=Stage(key).label, position=position)
            for position, key in enumerate(OPEN_STAGES)
        ]
    counts = dict(
        Application.objects.filter(job=job)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    for row in rows:
        row.n_applications = counts.get(row.key, 0)  # type: ignore[attr-defined]
    return rows


def job_stage_choices(*, job: Job) -> list[tuple[str, str]]:
    """(key, name) of every stage an application of the job can be in: its open stages in
    order (its own included), then Hired, Rejected and Withdrawn. One query, which leaves
    the rows prefetched on `job` (`job.stages`) for the page's stage names."""
    prefetch_related_objects([job], "stages")
    pipeline = pipeline_from_rows(list(job.stages.all()))
    return [(key, pipeline.label(key)) for key in pipeline.columns]
