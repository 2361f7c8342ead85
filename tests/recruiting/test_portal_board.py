"""The pipeline board: columns, cards, moves by form or by drop (htmx), refusals, roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlcore.matching.calibration import FitCalibration
from recruiting import services
from recruiting.models import Application, FitScore, StageEvent
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def move_url(application: Application) -> str:
    return reverse("recruiting:application_move", args=[application.pk])


def test_board_has_a_column_per_stage_and_card_facts(client, recruiter):
    job = JobFactory()
    application = ApplicationFactory(
        job=job,
        candidate=CandidateFactory(full_name="Grace Hopper"),
        stage=Stage.SCREENING,
        stage_changed_at=timezone.now() - timedelta(days=3, hours=2),
    )
    FitScore.objects.create(
        application=application, score=83.4, model_version=FitCalibration.active().version
    )
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:job_detail", args=[job.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for stage in Stage:
        assert f'data-stage="{stage.value}" data-label="{stage.label}"' in html
    assert "Grace Hopper" in html
    assert "83" in html and "3 days in stage" in html
    # Drag data: only the allowed moves, and the same moves in the keyboard form.
    # Forward past stages, back (with a reason), or out (with a reason).
    # The next stage first (the keyboard form's default), back after forward, exits last.
    assert 'data-allowed="interview offer applied rejected withdrawn"' in html
    assert 'data-reason-stages="applied rejected withdrawn"' in html
    assert '<option value="offer"' in html and '<option value="hired"' not in html
    assert "js/portal-board.js" in html and "htmx" in html


def test_form_move_without_js_redirects_and_records_the_event(client, recruiter):
    application = ApplicationFactory()
    client.force_login(recruiter)
    response = client.post(move_url(application), {"to_stage": Stage.SCREENING, "note": "ok"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING
    event = StageEvent.objects.get(application=application)
    assert (event.from_stage, event.to_stage, event.by) == (
        Stage.APPLIED,
        Stage.SCREENING,
        recruiter,
    )


def test_drop_move_with_htmx_returns_the_updated_board(client, recruiter):
    application = ApplicationFactory(candidate=CandidateFactory(full_name="Alan Turing"))
    client.force_login(recruiter)
    response = client.post(move_url(application), {"to_stage": Stage.SCREENING}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "<html" not in html
    assert "Alan Turing moved to Screening." in html
    assert 'data-stage="screening" data-name="Alan Turing"' in html
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


def test_rejection_needs_a_reason_and_records_it(client, recruiter):
    application = ApplicationFactory()
    client.force_login(recruiter)
    refused = client.post(move_url(application), {"to_stage": Stage.REJECTED}, **HTMX)
    assert refused.status_code == 422
    assert b"needs a reason" in refused.content
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED
    done = client.post(
        move_url(application),
        {"to_stage": Stage.REJECTED, "reason": "Needs a work permit we cannot sponsor"},
        **HTMX,
    )
    assert done.status_code == 200
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED
    assert application.rejection_reason == "Needs a work permit we cannot sponsor"
    assert "work permit" in StageEvent.objects.get(to_stage=Stage.REJECTED).note


def test_refused_move_shows_why_and_the_board_stays_as_stored(client, recruiter):
    application = ApplicationFactory(candidate=CandidateFactory(full_name="Skip Ahead"))
    client.force_login(recruiter)
    response = client.post(move_url(application), {"to_stage": Stage.HIRED}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Skip Ahead was not moved" in html
    assert "cannot move to &#x27;hired&#x27;" in html
    # The card is still drawn in the column it is stored in.
    assert 'data-stage="applied" data-name="Skip Ahead"' in html
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED
    assert not StageEvent.objects.exists()


def test_refused_move_without_js_keeps_what_was_typed(client, recruiter):
    application = ApplicationFactory()
    client.force_login(recruiter)
    response = client.post(
        move_url(application),
        {"to_stage": Stage.WITHDRAWN, "reason": " ", "note": "Called twice, no answer"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "needs a reason" in html
    assert "Called twice, no answer" in html
    assert '<option value="withdrawn" selected>' in html
    assert "<details open>" in html


def test_unknown_stage_is_refused_with_a_message(client, recruiter):
    application = ApplicationFactory()
    client.force_login(recruiter)
    response = client.post(move_url(application), {"to_stage": "promoted"}, **HTMX)
    assert response.status_code == 422
    assert b"Choose a stage from the list" in response.content


def test_hiring_manager_moves_on_own_job_only(client, hiring_manager):
    own = ApplicationFactory()
    own.job.hiring_team.add(hiring_manager)
    other = ApplicationFactory()
    client.force_login(hiring_manager)
    assert client.get(reverse("recruiting:job_detail", args=[own.job_id])).status_code == 200
    assert client.get(reverse("recruiting:job_detail", args=[other.job_id])).status_code == 404
    assert client.post(move_url(own), {"to_stage": Stage.SCREENING}).status_code == 302
    assert client.post(move_url(other), {"to_stage": Stage.SCREENING}).status_code == 404
    other.refresh_from_db()
    assert other.stage == Stage.APPLIED


def test_hr_admin_sees_the_board_but_cannot_move(client, hr_admin):
    application = ApplicationFactory()
    client.force_login(hr_admin)
    page = client.get(reverse("recruiting:job_detail", args=[application.job_id]))
    assert page.status_code == 200
    assert b"move-form" not in page.content and b'draggable="true"' not in page.content
    assert client.post(move_url(application), {"to_stage": Stage.SCREENING}).status_code == 403
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_move_needs_post(client, recruiter):
    application = ApplicationFactory()
    client.force_login(recruiter)
    assert client.get(move_url(application)).status_code == 405


def test_board_query_count_does_not_grow(client, recruiter, django_assert_max_num_queries):
    job = JobFactory()
    version = FitCalibration.active().version

    def add(n: int) -> None:
        for i in range(n):
            a = ApplicationFactory(job=job, stage=list(Stage)[i % 7])
            FitScore.objects.create(application=a, score=50 + i, model_version=version)

    client.force_login(recruiter)
    add(3)
    with django_assert_max_num_queries(7):
        client.get(reverse("recruiting:job_detail", args=[job.pk]))
    add(30)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("recruiting:job_detail", args=[job.pk]))
    assert response.content.count(b'class="card-item"') == 33


def test_blind_screening_masks_the_name_in_move_messages(client, recruiter):
    job = JobFactory(blind_screening=True)
    application = ApplicationFactory(job=job, candidate=CandidateFactory(full_name="Secret Name"))
    client.force_login(recruiter)
    response = client.post(move_url(application), {"to_stage": Stage.SCREENING}, **HTMX)
    assert response.status_code == 200
    assert b"Secret Name" not in response.content
    assert f"Candidate #{application.candidate_id} moved to Screening.".encode() in (
        response.content
    )


def test_long_columns_show_the_oldest_cards_and_a_link_to_all(client, recruiter, monkeypatch):
    from recruiting.views import board

    monkeypatch.setattr(board, "CARDS_PER_COLUMN", 2)
    job = JobFactory()
    now = timezone.now()
    apps = [
        ApplicationFactory(job=job, stage_changed_at=now - timedelta(days=days))
        for days in (1, 5, 3)
    ]
    ApplicationFactory(job=job, stage=Stage.SCREENING)
    client.force_login(recruiter)
    url = reverse("recruiting:job_detail", args=[job.pk])
    html = client.get(url).content.decode()
    # The two longest in the stage, the full count and a link to the whole column.
    assert f'id="app-{apps[1].pk}"' in html and f'id="app-{apps[2].pk}"' in html
    assert f'id="app-{apps[0].pk}"' not in html
    assert '<span class="count">3</span>' in html and "2 of 3 shown" in html
    assert "?column=applied&amp;all=1#col-applied" in html
    html = client.get(url, {"column": "applied", "all": "1"}).content.decode()
    assert all(f'id="app-{a.pk}"' in html for a in apps)
    assert 'name="column" value="applied"' in html  # a move without JS comes back here
    # An htmx move from the expanded page keeps the column whole.
    response = client.post(
        move_url(apps[1]),
        {"to_stage": Stage.SCREENING},
        HTTP_HX_CURRENT_URL=f"http://testserver{url}?column=screening&all=1",
        **HTMX,
    )
    assert response.status_code == 200
    assert 'name="column" value="screening"' in response.content.decode()
    response = client.post(move_url(apps[2]), {"to_stage": Stage.SCREENING, "column": "applied"})
    assert response.status_code == 302 and response.url == f"{url}?column=applied&all=1"


def test_board_with_own_stages_does_not_grow(client, recruiter, django_assert_max_num_queries):
    job = JobFactory()
    own = [services.job_stage_add(job=job, name=f"Own {n}", by=recruiter) for n in range(3)]

    def add(n: int) -> None:
        for i in range(n):
            ApplicationFactory(job=job, stage=own[i % 3].key)

    client.force_login(recruiter)
    add(3)
    with django_assert_max_num_queries(7):
        client.get(reverse("recruiting:job_detail", args=[job.pk]))
    add(30)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("recruiting:job_detail", args=[job.pk]))
    html = response.content.decode()
    assert html.count('class="card-item"') == 33
    assert all(f"Own {n}" in html for n in range(3))
