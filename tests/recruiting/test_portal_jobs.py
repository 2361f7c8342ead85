"""Jobs pages: filtered list, create and edit forms, publish/close/reopen, roles."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from core.roles import Role
from recruiting import services
from recruiting.errors import InvalidJobStatus
from recruiting.models import Job

from ..factories import ApplicationFactory, DepartmentFactory, JobFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Staff Data Engineer",
    "location": "Berlin",
    "remote_policy": "hybrid",
    "employment_type": "full_time",
    "description": "Own the data platform.",
    "requirements": "Five years of data work.",
    "required_skills": "Python, SQL,  Apache Spark ,python",
    "preferred_skills": "dbt",
    "min_years_experience": "5",
}


def titles(response) -> list[str]:
    return [job.title for job in response.context["jobs"]]


def test_list_filters_by_status_department_owner_and_text(client, recruiter):
    data = DepartmentFactory(name="Data")
    mine = JobFactory(title="Analytics Lead", owner=recruiter, department=data)
    JobFactory(title="Backend Engineer", status=Job.Status.DRAFT)
    JobFactory(title="Data Scientist", department=data, status=Job.Status.CLOSED)
    client.force_login(recruiter)
    url = reverse("recruiting:job_list")
    assert titles(client.get(url, {"status": "draft"})) == ["Backend Engineer"]
    assert set(titles(client.get(url, {"department": data.pk}))) == {
        "Analytics Lead",
        "Data Scientist",
    }
    assert titles(client.get(url, {"owner": "mine"})) == [mine.title]
    assert titles(client.get(url, {"q": "scien"})) == ["Data Scientist"]
    # Unknown values are ignored, not errors.
    assert len(titles(client.get(url, {"status": "bogus", "department": "x"}))) == 3


def test_list_is_paginated_and_pages_keep_the_filters(client, recruiter):
    for i in range(30):
        JobFactory(title=f"Open role {i}")
    JobFactory(title="Draft role", status=Job.Status.DRAFT)
    client.force_login(recruiter)
    first = client.get(reverse("recruiting:job_list"), {"status": "open"})
    assert len(first.context["jobs"]) == 25
    assert b"status=open&amp;page=2" in first.content
    second = client.get(reverse("recruiting:job_list"), {"status": "open", "page": 2})
    assert len(second.context["jobs"]) == 5


def test_hiring_manager_lists_only_their_jobs(client, hiring_manager):
    mine = JobFactory(title="Team job")
    mine.hiring_team.add(hiring_manager)
    JobFactory(title="Not theirs")
    client.force_login(hiring_manager)
    response = client.get(reverse("recruiting:job_list"))
    assert titles(response) == ["Team job"]
    assert b"New job" not in response.content


def test_no_role_user_gets_403(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get(reverse("recruiting:job_list")).status_code == 403


def test_job_list_query_count_does_not_grow(client, recruiter, django_assert_max_num_queries):
    client.force_login(recruiter)
    for _ in range(2):
        ApplicationFactory(job=JobFactory(owner=UserFactory(), department=DepartmentFactory()))
    # 9: the page's jobs' own stage rows are one query (`with_stage_counts`).
    with django_assert_max_num_queries(9):
        client.get(reverse("recruiting:job_list"))
    for _ in range(20):
        ApplicationFactory(job=JobFactory(owner=UserFactory(), department=DepartmentFactory()))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("recruiting:job_list"))
    assert response.content.count(b"badge-open") == 22


def test_create_job_with_skills_as_tags(client, recruiter):
    client.force_login(recruiter)
    hm = UserFactory(roles=[Role.HIRING_MANAGER])
    response = client.post(reverse("recruiting:job_create"), {**VALID, "hiring_team": [hm.pk]})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recruiting:job_detail", args=[job.pk])
    assert job.status == Job.Status.DRAFT
    assert job.owner == recruiter
    assert job.required_skills == ["Python", "SQL", "Apache Spark"]
    assert job.preferred_skills == ["dbt"]
    assert list(job.hiring_team.all()) == [hm]


def test_create_form_keeps_input_on_error(client, recruiter):
    client.force_login(recruiter)
    bad = {**VALID, "title": "", "min_years_experience": "99"}
    response = client.post(reverse("recruiting:job_create"), bad)
    assert response.status_code == 400
    assert not Job.objects.exists()
    html = response.content.decode()
    assert "The job was not saved" in html
    assert "Own the data platform." in html
    assert 'value="Python, SQL,  Apache Spark ,python"' in html  # the tags exactly as typed
    assert "This field is required." in html
    assert "less than or equal to 60" in html


def test_form_shows_the_service_refusal_and_keeps_input(client, recruiter):
    client.force_login(recruiter)
    refusal = InvalidJobStatus("The rule says no to this description.", field="description")
    with mock.patch("recruiting.services.job_create", side_effect=refusal):
        response = client.post(reverse("recruiting:job_create"), VALID)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The rule says no to this description." in html
    assert "Own the data platform." in html
    assert response.context["form"].errors["description"] == [refusal.message]


def test_edit_prefills_and_saves(client, recruiter):
    job = JobFactory(title="Old title", required_skills=["Go", "Kubernetes"])
    client.force_login(recruiter)
    page = client.get(reverse("recruiting:job_edit", args=[job.pk]))
    assert page.status_code == 200
    assert b'value="Go, Kubernetes"' in page.content
    response = client.post(reverse("recruiting:job_edit", args=[job.pk]), VALID)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.title == "Staff Data Engineer"
    assert job.required_skills == ["Python", "SQL", "Apache Spark"]


def test_editing_the_text_rescores_and_other_fields_do_not(
    client, recruiter, django_capture_on_commit_callbacks
):
    job = JobFactory(**{k: v for k, v in VALID.items() if k in ("title", "description")})
    client.force_login(recruiter)
    same_text = {**VALID, "required_skills": "Python, Django", "preferred_skills": ""}
    job.required_skills = ["Python", "Django"]
    job.requirements = VALID["requirements"]
    job.save()
    url = reverse("recruiting:job_edit", args=[job.pk])
    with mock.patch("recruiting.services.jobs.rescore_job") as rescore:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {**same_text, "location": "Hamburg"})
        rescore.apply_async.assert_not_called()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {**same_text, "description": "Now also run the ML platform."})
        # Queued through core.tasks.enqueue_on_commit (a dead broker leaves it pending).
        rescore.apply_async.assert_called_once_with(args=(job.pk,), kwargs={})


def test_edit_keeps_input_on_error(client, recruiter):
    job = JobFactory()
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:job_edit", args=[job.pk]), {**VALID, "remote_policy": "moon"}
    )
    assert response.status_code == 400
    assert b"Staff Data Engineer" in response.content
    job.refresh_from_db()
    assert job.title != "Staff Data Engineer"


def test_hiring_manager_and_hr_cannot_create_or_edit(client, hiring_manager, hr_admin):
    own = JobFactory(owner=hiring_manager)
    other = JobFactory()
    client.force_login(hiring_manager)
    assert client.get(reverse("recruiting:job_create")).status_code == 403
    assert client.post(reverse("recruiting:job_create"), VALID).status_code == 403
    assert client.get(reverse("recruiting:job_edit", args=[own.pk])).status_code == 403
    assert client.get(reverse("recruiting:job_edit", args=[other.pk])).status_code == 404
    client.force_login(hr_admin)
    assert client.post(reverse("recruiting:job_edit", args=[own.pk]), VALID).status_code == 403
    assert not Job.objects.filter(title=VALID["title"]).exists()


def test_publish_close_reopen(client, recruiter):
    job = JobFactory(status=Job.Status.DRAFT)
    client.force_login(recruiter)

    def act(action: str, **extra):
        url = reverse("recruiting:job_set_status", args=[job.pk, action])
        return client.post(url, extra, follow=True)

    response = act("publish", next=reverse("recruiting:job_list"))
    assert response.redirect_chain[-1][0] == reverse("recruiting:job_list")
    assert b"was published" in response.content
    job.refresh_from_db()
    assert job.status == Job.Status.OPEN
    act("close")
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED
    act("reopen")
    job.refresh_from_db()
    assert job.status == Job.Status.OPEN


def test_refused_status_change_shows_why(client, recruiter):
    job = JobFactory(status=Job.Status.DRAFT, description="")
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:job_set_status", args=[job.pk, "publish"]), follow=True
    )
    assert b"Add a description before publishing." in response.content
    job.refresh_from_db()
    assert job.status == Job.Status.DRAFT


def test_status_change_ignores_an_outside_next_and_needs_the_role(client, recruiter, hr_admin):
    job = JobFactory(status=Job.Status.OPEN)
    client.force_login(recruiter)
    response = client.post(
        reverse("recruiting:job_set_status", args=[job.pk, "close"]),
        {"next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("recruiting:job_detail", args=[job.pk])
    client.force_login(hr_admin)
    url = reverse("recruiting:job_set_status", args=[job.pk, "reopen"])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED


def test_unknown_status_action_is_404(client, recruiter):
    job = JobFactory()
    client.force_login(recruiter)
    assert client.post(f"/jobs/{job.pk}/archive/").status_code == 404


def test_job_list_counts_each_jobs_own_stages(client, recruiter):
    job = JobFactory(title="With own stages")
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    call = services.job_stage_add(job=job, name="Phone call", by=recruiter, before="screening")
    for stage in (test.key, test.key, call.key, "applied"):
        ApplicationFactory(job=job, stage=stage)
    JobFactory(title="Default stages only")
    client.force_login(recruiter)
    html = client.get(reverse("recruiting:job_list")).content.decode()
    row = html.split("With own stages")[1].split("</tr>")[0]
    # Pipeline order, each with its count; the total counts them too.
    assert "<div>Phone call: 1</div><div>Technical test: 2</div>" in row
    assert "<td>4</td>" in row
    plain = html.split("Default stages only")[1].split("</tr>")[0]
    assert '<td class="own-stages">—</td>' in plain
