"""The models as a service: limits without a model, and one real call per model (slow)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from integrations.ml import MAX_FIT_RESUMES, MAX_SENTIMENT_CHARS, MAX_SENTIMENT_TEXTS

pytestmark = pytest.mark.django_db


def test_ml_needs_the_ml_scope(make_client, recruiter):
    client = make_client(recruiter, scopes=["recruiting:read"])
    response = client.post("/api/v1/ml/sentiment/", {"texts": ["fine"]}, format="json")
    assert response.status_code == 403


def test_too_many_items_is_413_and_empty_input_400(recruiter_api):
    many = recruiter_api.post(
        "/api/v1/ml/sentiment/", {"texts": ["ok"] * (MAX_SENTIMENT_TEXTS + 1)}, format="json"
    )
    assert many.status_code == 413
    assert many.json()["error"]["code"] == "input_too_large"
    assert "texts" in many.json()["error"]["fields"]
    long = recruiter_api.post(
        "/api/v1/ml/sentiment/", {"texts": ["x" * (MAX_SENTIMENT_CHARS + 1)]}, format="json"
    )
    assert long.status_code == 413
    fit = recruiter_api.post(
        "/api/v1/ml/fit/",
        {"job_text": "Python", "resume_texts": ["a"] * (MAX_FIT_RESUMES + 1)},
        format="json",
    )
    assert fit.status_code == 413
    for body in ({"texts": []}, {"texts": ["   "]}, {}, {"texts": "not a list"}):
        response = recruiter_api.post("/api/v1/ml/sentiment/", body, format="json")
        assert response.status_code == 400, body
        assert "texts" in response.json()["error"]["fields"]


def test_parse_refuses_an_unsupported_file(recruiter_api):
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    response = recruiter_api.post("/api/v1/ml/parse/", {"file": upload}, format="multipart")
    assert response.status_code == 415


@pytest.mark.slow
def test_parse_returns_the_profile_and_version(recruiter_api):
    text = b"Jane Doe\njane.doe@example.com\n+44 20 7946 0958\nSkills: Python, Django, SQL\n"
    upload = SimpleUploadedFile("jane.txt", text, content_type="text/plain")
    response = recruiter_api.post("/api/v1/ml/parse/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["email"] == "jane.doe@example.com" and "Python" in body["skills"]
    assert body["model_version"]


@pytest.mark.slow
def test_fit_scores_the_matching_resume_higher(recruiter_api):
    response = recruiter_api.post(
        "/api/v1/ml/fit/",
        {
            "job_text": "Senior Python developer: Django, PostgreSQL, REST APIs.",
            "resume_texts": [
                "Python developer, six years of Django and PostgreSQL, built REST APIs.",
                "Pastry chef: croissants, sourdough and wedding cakes.",
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    good, bad = body["results"]
    assert good["score"] > bad["score"]
    assert body["model_version"] and good["model_version"] == body["model_version"]
    assert "Django" in good["matched_skills"] or "Python" in good["matched_skills"]


@pytest.mark.slow
def test_sentiment_labels_and_model_version(recruiter_api):
    response = recruiter_api.post(
        "/api/v1/ml/sentiment/",
        {"texts": ["I love my team and the work.", "My manager ignores me; I am miserable."]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [r["label"] for r in body["results"]] == ["positive", "negative"]
    assert body["model_version"]
    assert abs(sum(body["results"][0]["probs"].values()) - 1) < 0.01
