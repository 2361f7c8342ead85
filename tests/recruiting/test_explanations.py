"""Fit explanations on the candidate page: the text's own words, both signs, the unread rest,
keyboard reach, and the on-request methods (SHAP, integrated gradients, attention)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.templatetags.attributions import word_highlights
from recruiting import services
from recruiting.models import FitScore, UploadBatch
from recruiting.selectors.explanations import FIT_METHODS
from recruiting.templatetags.fit import top_words

from ..factories import JobFactory


def test_highlights_keep_the_words_and_show_the_unread_rest_plain():
    pairs = [["Node.js,", 0.9], ["<b>React</b>", -0.6], ["and", 0.01], ["later", None]]
    html = str(word_highlights(pairs))
    assert ">Node.js,</mark>" in html and 'data-sign="up"' in html and 'data-sign="down"' in html
    assert "&lt;b&gt;React&lt;/b&gt;" in html and "<b>" not in html  # escaped
    assert html.count('tabindex="0"') == 2  # the strong words are reachable with Tab
    assert '<span class="attr-unread"' in html and html.rstrip().endswith("later</span>")
    assert 'title="+0.90 raised the score"' in html


def test_attention_is_drawn_without_a_sign():
    html = str(word_highlights([["Python", 1.0], ["team", 0.4]], False))
    assert "attr-looked" in html and "raised" not in html and 'data-sign="down"' not in html


def test_old_stored_explanations_still_render():
    old = [["node", 0.8], [".", 0.1], ["js", 0.7], ["[", 0.5], ["name", 0.5], ["]", 0.5]]
    html = str(word_highlights(old))
    assert html.count("<mark") == 6 and "attr-unread" not in html
    assert top_words(old) == {"up": ["node"], "down": []}  # the mask and short pieces left out


def test_placeholders_with_punctuation_are_never_reasons_and_case_is_merged():
    pairs = [["[NAME],", 0.9], ["Python", 0.3], ["python.", 0.3], ["[EMAIL]", -0.9]]
    pairs += [["(COBOL)", -0.4], ["Team", None]]
    assert top_words(pairs) == {"up": ["Python"], "down": ["COBOL"]}


def test_methods_are_offered_most_faithful_first_with_their_meaning():
    # docs/fit.md: integrated gradients, word contributions, SHAP, attention.
    assert [m.key for m in FIT_METHODS] == [
        "integrated_gradients",
        "attributions",
        "shap",
        "attention",
    ]
    attention = next(m for m in FIT_METHODS if m.key == "attention")
    assert not attention.signed and "where the model looked" in attention.name.lower()


@pytest.mark.django_db(transaction=True)
def test_recruiter_asks_for_shap_and_attention_and_sees_them(client, recruiter, shared_data):
    job = JobFactory(
        title="Front End Engineer",
        description="Build user interfaces with JavaScript, React, HTML and CSS.",
        owner=recruiter,
        required_skills=["JavaScript", "React"],
    )
    batch = services.upload_batch_create(by=recruiter, source=UploadBatch.Source.API, job=job)
    name = "barry_allen_fe.pdf"
    data = (shared_data / "resume_files" / "pdf" / name).read_bytes()
    item = services.resume_ingest(batch=batch, data=data, filename=name)
    item.refresh_from_db()
    fit = FitScore.objects.get(application__candidate=item.resume.candidate)
    page_url = reverse("recruiting:candidate_detail", args=[item.resume.candidate_id])
    client.force_login(recruiter)

    html = client.get(page_url).content.decode()
    assert html.index("2. Word contributions") < html.index("4. Attention: where the model")
    assert reverse("recruiting:fit_explain_method", args=[fit.pk, "shap"]) in html

    for method in ("shap", "attention"):
        url = reverse("recruiting:fit_explain_method", args=[fit.pk, method])
        assert client.post(url).status_code == 302  # computed by the (eager) task
    fit.refresh_from_db()
    shap_pairs = fit.explanation["shap"]["resume"]
    text = item.resume.__class__.objects.get(pk=item.resume.pk).model_text
    assert " ".join(w for w, _ in shap_pairs) == text  # the blinded text's own words
    assert fit.explanation["attention"]["job"]
    assert "integrated_gradients" not in fit.explanation  # only what was asked for

    html = client.get(page_url).content.decode()
    assert 'data-method="shap"' in html and 'data-method="attention"' in html
    assert reverse("recruiting:fit_explain_method", args=[fit.pk, "shap"]) not in html
    assert (
        client.post(reverse("recruiting:fit_explain_method", args=[fit.pk, "x"])).status_code == 404
    )
