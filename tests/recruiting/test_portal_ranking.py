"""Ranked candidates page: filters by stage, minimum score, skill and location."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mlcore.matching.calibration import FitCalibration
from recruiting import services
from recruiting.models import FitScore
from recruiting.pipeline import Stage

from ..factories import ApplicationFactory, CandidateFactory, JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job():
    job = JobFactory(required_skills=["Python", "Django", "PostgreSQL"])
    version = FitCalibration.active().version
    rows = [
        ("Ann Strong", 91, Stage.INTERVIEW, "Berlin", ["Python", "Django", "PostgreSQL"]),
        ("Bob Middle", 55, Stage.SCREENING, "Paris", ["Python", "JavaScript"]),
        ("Cy Low", 20, Stage.APPLIED, "Berlin-Mitte", ["Java"]),
    ]
    for name, score, stage, location, skills in rows:
        candidate = CandidateFactory(full_name=name, location=location, skills=skills)
        application = ApplicationFactory(job=job, candidate=candidate, stage=stage)
        FitScore.objects.create(application=application, score=score, model_version=version)
    # Not scored yet: skills at a glance come from the parsed profile.
    ApplicationFactory(job=job, candidate=CandidateFactory(full_name="Dee New", skills=["django"]))
    return job


def names(response) -> list[str]:
    return [r.obj.candidate.full_name for r in response.context["applicants"]]


def test_ranked_best_first_with_skills_at_a_glance(client, recruiter, job):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:job_ranking", args=[job.pk]))
    assert response.status_code == 200
    assert names(response) == ["Ann Strong", "Bob Middle", "Cy Low", "Dee New"]
    dee = response.context["applicants"][-1]
    assert (dee.matched_skills, dee.missing_skills) == (["Django"], ["Python", "PostgreSQL"])
    assert b"tag-missing" in response.content and b"tag-matched" in response.content


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"stage": "screening"}, ["Bob Middle"]),
        ({"min_score": "50"}, ["Ann Strong", "Bob Middle"]),
        ({"skill": "java"}, ["Cy Low"]),  # a whole skill: not JavaScript
        ({"skill": "python", "location": "berlin"}, ["Ann Strong"]),
        ({"location": "berlin"}, ["Ann Strong", "Cy Low"]),
    ],
)
def test_filters(client, recruiter, job, filters, expected):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:job_ranking", args=[job.pk]), filters)
    assert names(response) == expected


def test_a_persons_override_ranks_and_filters(client, recruiter, job):
    # One score rule: the ranking reads the override first, as the board and the API do.
    bob = FitScore.objects.get(application__candidate__full_name="Bob Middle")
    bob.override_score = 95
    bob.save(update_fields=["override_score"])
    ann = FitScore.objects.get(application__candidate__full_name="Ann Strong")
    ann.override_score = 40
    ann.save(update_fields=["override_score"])
    client.force_login(recruiter)
    url = reverse("recruiting:job_ranking", args=[job.pk])
    assert names(client.get(url)) == ["Bob Middle", "Ann Strong", "Cy Low", "Dee New"]
    assert names(client.get(url, {"min_score": "50"})) == ["Bob Middle"]


def test_invalid_filter_is_shown_and_ignored(client, recruiter, job):
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:job_ranking", args=[job.pk]), {"min_score": "200"})
    assert response.status_code == 200
    assert b"less than or equal to 100" in response.content
    assert len(names(response)) == 4


def test_ranking_respects_roles(client, hiring_manager, no_role_user, job):
    client.force_login(hiring_manager)
    assert client.get(reverse("recruiting:job_ranking", args=[job.pk])).status_code == 404
    job.hiring_team.add(hiring_manager)
    assert client.get(reverse("recruiting:job_ranking", args=[job.pk])).status_code == 200
    client.force_login(no_role_user)
    assert client.get(reverse("recruiting:job_ranking", args=[job.pk])).status_code == 403


def test_ranking_query_count_does_not_grow(client, recruiter, job, django_assert_max_num_queries):
    client.force_login(recruiter)
    url = reverse("recruiting:job_ranking", args=[job.pk])
    # 10: the job's stage rows are read once, for the stage filter and every row's stage name.
    with django_assert_max_num_queries(10):
        client.get(url, {"skill": "python"})
    for _ in range(25):
        ApplicationFactory(job=job, candidate=CandidateFactory(skills=["Python"]))
    with django_assert_max_num_queries(10):
        response = client.get(url, {"skill": "python"})
    assert len(names(response)) == 27


def test_a_jobs_own_stage_is_a_filter_choice_and_shown_by_name(client, recruiter, job):
    test = services.job_stage_add(job=job, name="Technical test", by=recruiter)
    ApplicationFactory(job=job, stage=test.key, candidate=CandidateFactory(full_name="Eve Tested"))
    client.force_login(recruiter)
    url = reverse("recruiting:job_ranking", args=[job.pk])
    page = client.get(url)
    choices = list(page.context["filters"].fields["stage"].choices)
    assert (test.key, "Technical test") in choices
    assert [k for k, _ in choices].index(test.key) < [k for k, _ in choices].index("offer")
    assert "<td>Technical test</td>" in page.content.decode()
    filtered = client.get(url, {"stage": test.key})
    assert names(filtered) == ["Eve Tested"]
    assert not filtered.context["filters"].errors


def test_another_jobs_own_stage_is_not_a_filter_choice(client, recruiter, job):
    other = services.job_stage_add(job=JobFactory(), name="Elsewhere", by=recruiter)
    client.force_login(recruiter)
    response = client.get(reverse("recruiting:job_ranking", args=[job.pk]), {"stage": other.key})
    assert "stage" in response.context["filters"].errors
    assert len(names(response)) == 4  # the invalid filter is ignored


def test_ranking_reads_own_stage_names_once(client, recruiter, job, django_assert_max_num_queries):
    client.force_login(recruiter)
    url = reverse("recruiting:job_ranking", args=[job.pk])
    stages = [services.job_stage_add(job=job, name=f"Round {n}", by=recruiter) for n in range(3)]
    ApplicationFactory(job=job, stage=stages[0].key)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    for n in range(12):
        ApplicationFactory(job=job, stage=stages[n % 3].key)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("<td>Round 1</td>") == 4
