"""The job's stages page and the board with a job's own stages: columns, moves, refusals, roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recruiting import services
from recruiting.models import Application, JobStage
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db


def stages_url(job) -> str:
    return reverse("recruiting:job_stages", args=[job.pk])


def test_a_recruiter_adds_a_stage_and_the_board_shows_it_as_a_column(client, recruiter):
    job = JobFactory()
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)
    client.force_login(recruiter)
    response = client.post(
        stages_url(job), {"action": "add", "name": "Technical test", "before": "offer"}
    )
    assert response.status_code == 302
    stage = JobStage.objects.get(job=job, custom=True)
    board = client.get(reverse("recruiting:job_detail", args=[job.pk])).content.decode()
    assert f'data-stage="{stage.key}" data-label="Technical test"' in board
    assert f'<option value="{stage.key}">Technical test</option>' in board
    moved = client.post(
        reverse("recruiting:application_move", args=[application.pk]),
        {"to_stage": stage.key},
        follow=True,
    )
    assert "moved to Technical test." in moved.content.decode()
    assert Application.objects.get(pk=application.pk).stage == stage.key


def test_refusals_are_shown_on_the_page_with_what_was_typed(client, recruiter):
    job = JobFactory()
    client.force_login(recruiter)
    empty = client.post(stages_url(job), {"action": "add", "name": " ", "before": "offer"})
    assert empty.status_code == 400
    assert "Give the stage a name." in empty.content.decode()
    stage = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)
    services.application_move(application=application, to_stage=stage.key, by=recruiter)
    held = client.post(stages_url(job), {"action": "remove", "stage": stage.pk})
    assert held.status_code == 400
    assert "cannot be removed: 1 application is in it" in held.content.decode()
    clash = client.post(stages_url(job), {"action": "rename", "stage": stage.pk, "name": "Offer"})
    assert clash.status_code == 400
    html = clash.content.decode()
    assert "This job already has a stage called “Offer”." in html
    assert 'value="Offer"' in html  # what was typed stays in the field
    assert JobStage.objects.get(pk=stage.pk).name == "Technical test"


def test_another_jobs_stage_is_not_found(client, recruiter):
    stage = services.job_stage_add(job=JobFactory(), name="Technical test", by=recruiter)
    client.force_login(recruiter)
    response = client.post(stages_url(JobFactory()), {"action": "remove", "stage": stage.pk})
    assert response.status_code == 404
    assert JobStage.objects.get(pk=stage.pk).removed_at is None


def test_hiring_managers_cannot_change_stages(client, hiring_manager):
    job = JobFactory()
    job.hiring_team.add(hiring_manager)
    client.force_login(hiring_manager)
    assert client.get(stages_url(job)).status_code == 403
    response = client.post(stages_url(job), {"action": "add", "name": "X", "before": "offer"})
    assert response.status_code == 403
    assert not JobStage.objects.filter(job=job, custom=True).exists()


def test_the_candidate_page_names_the_custom_stage(client, recruiter):
    job = JobFactory()
    stage = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    application = ApplicationFactory(job=job, stage=Stage.APPLIED)
    services.application_move(application=application, to_stage=stage.key, by=recruiter)
    client.force_login(recruiter)
    html = client.get(
        reverse("recruiting:candidate_detail", args=[application.candidate_id])
    ).content.decode()
    assert '<span class="stage">Technical test</span>' in html
    assert "Applied → Technical test" in html
    assert "custom_" not in html


def test_rename_reorder_and_remove_from_the_page(client, recruiter):
    job = JobFactory()
    first = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    second = services.job_stage_add(job=job, name="Team lunch", by=recruiter)
    client.force_login(recruiter)
    page = client.get(stages_url(job)).content.decode()
    # Both can go earlier; only the first can go later (Offer stays last).
    assert page.count('value="earlier"') == 2 and page.count('value="later"') == 1
    renamed = client.post(
        stages_url(job), {"action": "rename", "stage": first.pk, "name": "Take-home"}, follow=True
    )
    assert "Renamed to “Take-home”." in renamed.content.decode()
    client.post(stages_url(job), {"action": "later", "stage": first.pk})
    keys = list(
        JobStage.objects.filter(job=job, removed_at=None)
        .order_by("position")
        .values_list("key", flat=True)
    )
    assert keys == ["applied", "screening", "interview", second.key, first.key, "offer"]
    removed = client.post(stages_url(job), {"action": "remove", "stage": second.pk}, follow=True)
    assert "“Team lunch” removed." in removed.content.decode()
    assert JobStage.objects.get(pk=second.pk).removed_at is not None
