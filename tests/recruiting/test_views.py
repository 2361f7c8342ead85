"""Portal pages: login required, roles respected, errors shown, typed input kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recruiting.models import Application
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db


def test_pages_need_login(client):
    response = client.get(reverse("recruiting:job_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_login_page_signs_in_and_lands_on_home(client, recruiter):
    response = client.post(
        reverse("login"), {"username": recruiter.username, "password": "pw-for-tests"}
    )
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"My open jobs" in response.content


def test_wrong_password_shows_a_message(client, recruiter):
    response = client.post(reverse("login"), {"username": recruiter.username, "password": "nope"})
    assert response.status_code == 200
    assert b"didn't match" in response.content


def test_job_list_query_count_does_not_grow_with_jobs(
    client, recruiter, django_assert_max_num_queries
):
    client.force_login(recruiter)
    for _ in range(3):
        ApplicationFactory()
    # 9: the page's jobs' own stage rows are one query (`with_stage_counts`).
    with django_assert_max_num_queries(9):
        small = client.get(reverse("recruiting:job_list"))
    for _ in range(20):
        ApplicationFactory()
    with django_assert_max_num_queries(9):
        large = client.get(reverse("recruiting:job_list"))
    assert small.status_code == large.status_code == 200
    assert large.content.count(b"badge-open") == 23


def test_job_board_query_count_does_not_grow_with_applications(
    client, recruiter, django_assert_max_num_queries
):
    client.force_login(recruiter)
    job = JobFactory()
    for _ in range(25):
        ApplicationFactory(job=job)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("recruiting:job_detail", args=[job.pk]))
    assert response.status_code == 200
    assert response.content.count(b'class="card-item"') == 25


def test_refused_move_shows_message_and_keeps_what_was_typed(client, recruiter):
    client.force_login(recruiter)
    application = ApplicationFactory()
    response = client.post(
        reverse("recruiting:application_move", args=[application.pk]),
        {"to_stage": Stage.REJECTED, "reason": "", "note": "Spoke on the phone, keep warm"},
    )
    assert response.status_code == 400
    assert b"needs a reason" in response.content
    assert b"Spoke on the phone, keep warm" in response.content
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_move_through_the_portal(client, recruiter):
    client.force_login(recruiter)
    application = ApplicationFactory()
    response = client.post(
        reverse("recruiting:application_move", args=[application.pk]),
        {"to_stage": Stage.SCREENING},
    )
    assert response.status_code == 302
    assert Application.objects.get().stage == Stage.SCREENING


def test_hiring_manager_gets_404_for_other_jobs(client, hiring_manager):
    client.force_login(hiring_manager)
    other = JobFactory()
    assert client.get(reverse("recruiting:job_detail", args=[other.pk])).status_code == 404
    application = ApplicationFactory(job=other)
    response = client.post(
        reverse("recruiting:application_move", args=[application.pk]), {"to_stage": "screening"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_hr_page_is_for_hr_admins_only(client, recruiter, hr_admin):
    client.force_login(recruiter)
    assert client.get(reverse("hr:dashboard")).status_code == 403
    client.force_login(hr_admin)
    assert client.get(reverse("hr:dashboard")).status_code == 200
