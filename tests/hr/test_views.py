"""HR pages (HR admins only) and the public answer form."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from hr import services
from hr.models import Invitation, Question, Response, Survey

from .conftest import questions
from .factories import close, respond

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,})/")


@pytest.fixture
def token(hr_admin, survey, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_invite(by=hr_admin, survey=survey, departments=[org["sales"]])
    return LINK.search(mail.outbox[0].body).group(1)


# --- HR pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["recruiter", "hiring_manager", "no_role_user"])
def test_hr_pages_are_forbidden_to_other_roles(client, request, role_fixture, survey):
    client.force_login(request.getfixturevalue(role_fixture))
    for url in (
        "/hr/surveys/",
        "/hr/surveys/new/",
        f"/hr/surveys/{survey.pk}/",
        f"/hr/surveys/{survey.pk}/results/",
        f"/hr/surveys/{survey.pk}/results.json",
        f"/hr/surveys/{survey.pk}/results.csv",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/hr/surveys/{survey.pk}/close/")
    assert response.status_code == 403
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN


def test_anonymous_visitors_are_sent_to_login(client, survey):
    response = client.get(f"/hr/surveys/{survey.pk}/results.json")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_hr_admin_builds_and_opens_a_survey(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(
        "/hr/surveys/new/", {"title": "Pulse", "description": "", "min_group_size": "5"}
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hr/surveys/{survey.pk}/"
    response = client.post(
        f"/hr/surveys/{survey.pk}/questions/",
        {"kind": "single_choice", "text": "Pick one", "choices": "Tea\nCoffee", "required": "on"},
    )
    assert response.status_code == 302
    assert Question.objects.get().choices == ["Tea", "Coffee"]
    client.post(f"/hr/surveys/{survey.pk}/open/")
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    page = client.get(f"/hr/surveys/{survey.pk}/")
    assert page.status_code == 200 and b"Send invitations" in page.content


def test_a_bad_question_keeps_what_was_typed(client, hr_admin):
    client.force_login(hr_admin)
    survey = services.survey_create(by=hr_admin, title="Pulse")
    response = client.post(
        f"/hr/surveys/{survey.pk}/questions/",
        {"kind": "single_choice", "text": "Favourite snack?", "choices": "Only one option"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Favourite snack?" in body and "Only one option" in body
    assert "between 2 and 20" in body
    assert not Question.objects.exists()


def test_invite_and_remind_buttons(
    client, hr_admin, survey, org, django_capture_on_commit_callbacks
):
    client.force_login(hr_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/hr/surveys/{survey.pk}/invite/", {"departments": [org["eng"].pk]})
    assert response.status_code == 302
    assert Invitation.objects.count() == 6 and len(mail.outbox) == 6
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/hr/surveys/{survey.pk}/remind/")
    assert len(mail.outbox) == 12
    assert client.post(f"/hr/surveys/{survey.pk}/explode/").status_code == 404


def test_results_page_json_and_csv(client, hr_admin, survey):
    for score in (10, 9, 9, 6, 3):
        respond(survey, enps=score, likert=4, choice="Pay", text="ok", label="neutral")
    close(survey)
    client.force_login(hr_admin)
    page = client.get(f"/hr/surveys/{survey.pk}/results/")
    assert page.status_code == 200
    assert b"vendor/chartjs/chart.umd.min.js" in page.content
    assert b"js/hr-dashboard.js" in page.content
    data = client.get(f"/hr/surveys/{survey.pk}/results.json").json()
    assert data["overview"]["responses"] == 5 and data["overview"]["enps"] == 20
    csv_response = client.get(f"/hr/surveys/{survey.pk}/results.csv")
    assert csv_response.status_code == 200
    assert "attachment" in csv_response["Content-Disposition"]
    assert "overview,,Whole company,whole survey,enps,20" in csv_response.content.decode()


@pytest.mark.parametrize(
    "params", [{"department": "abc"}, {"period": "March"}, {"grain": "day"}, {"department": "9999"}]
)
def test_bad_filters_answer_400_with_a_message(client, hr_admin, survey, params):
    client.force_login(hr_admin)
    response = client.get(f"/hr/surveys/{survey.pk}/results.json", params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_filter"
    assert client.get(f"/hr/surveys/{survey.pk}/results/", params).status_code == 200


def test_chart_library_is_served_with_its_licence(client):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/chartjs/chart.umd.min.js")
    licence = finders.find("vendor/chartjs/LICENSE.md")
    with open(licence) as fh:
        assert "MIT" in fh.read()


# --- the answer form ---------------------------------------------------------------------


def test_answer_form_needs_no_login_and_thanks_after(client, survey, token):
    page = client.get(f"/s/{token}/")
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "strict-origin"  # origin only, never the token
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    assert b'name="viewport"' in page.content
    enps, likert, choice, _text = questions(survey)
    response = client.post(
        f"/s/{token}/",
        {f"q{enps.pk}": "8", f"q{likert.pk}": "5", f"q{choice.pk}": "Growth"},
    )
    assert response.status_code == 302 and response["Location"] == "/s/thanks/"
    assert client.get("/s/thanks/").status_code == 200
    assert Response.objects.count() == 1


def test_used_unknown_and_closed_links_get_clear_pages(client, hr_admin, survey, token):
    unknown = client.get("/s/nope-this-is-not-a-token/")
    assert unknown.status_code == 404 and b"not valid" in unknown.content
    enps, likert, choice, _ = questions(survey)
    answers = {f"q{enps.pk}": "8", f"q{likert.pk}": "5", f"q{choice.pk}": "Growth"}
    client.post(f"/s/{token}/", answers)
    used = client.get(f"/s/{token}/")
    assert used.status_code == 410 and b"already been used" in used.content
    assert client.post(f"/s/{token}/", answers).status_code == 410
    assert Response.objects.count() == 1
    other = Invitation.objects.filter(used=False).first()
    assert other is not None
    services.survey_close(by=hr_admin, survey=survey)
    # A fresh token for the unused invitation, to see the closed page.
    from hr.services.surveys import token_hash

    Invitation.objects.filter(pk=other.pk).update(token_hash=token_hash("closed-survey-token"))
    closed = client.get("/s/closed-survey-token/")
    assert closed.status_code == 410 and b"closed" in closed.content


def test_incomplete_form_shows_each_error_at_its_field_and_keeps_input(client, survey, token):
    enps, likert, choice, text = questions(survey)
    response = client.post(
        f"/s/{token}/",
        {f"q{enps.pk}": "7", f"q{likert.pk}": "", f"q{text.pk}": "My long thoughtful comment"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "2 answers need attention" in body
    assert f'id="error-q{likert.pk}"' in body and f'id="error-q{choice.pk}"' in body
    assert f'id="error-q{enps.pk}"' not in body
    assert "My long thoughtful comment" in body  # typed text kept
    assert re.search(rf'name="q{enps.pk}" value="7"\s+checked', body)  # chosen score kept
    assert not Response.objects.exists()
