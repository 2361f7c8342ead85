"""What the fit model reads: never self-identification, never the masked personal fields.

The real active fit model scores a real application through the app's scoring service
(embeddings and explanations); every text handed to the tokenizer is recorded.
"""

from __future__ import annotations

import pytest

from mlcore import encoder
from recruiting.models import Application, FitScore
from recruiting.services import scoring

from .conftest import SELF_ID_TEXTS

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MASKED = ("quentin", "zabriskie", "example.org", "@", "555 0199", "0199")


class _RecordingTokenizer:
    """The real tokenizer, writing down every text it is asked to read."""

    def __init__(self, real, seen: list[str]) -> None:
        self._real, self._seen = real, seen

    def __call__(self, texts, *args, **kwargs):
        self._seen.extend([texts] if isinstance(texts, str) else texts)
        return self._real(texts, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real, name)


@pytest.fixture
def model_inputs(monkeypatch):
    """Every text any fit model path tokenizes (the plain 256-token read, a blend's windows,
    explanations with offsets) goes through `encoder.tokenizer()`: record them all."""
    seen: list[str] = []
    real = encoder.tokenizer
    monkeypatch.setattr(encoder, "tokenizer", lambda: _RecordingTokenizer(real(), seen))
    return seen


def test_scoring_and_explanations_read_masked_text_without_self_id(candidate, model_inputs):
    application = Application.objects.get(candidate=candidate)
    (fit,) = scoring.applications_score(applications=[application])
    assert FitScore.objects.filter(pk=fit.pk).exists()
    assert fit.explanation["attributions"]["resume"]  # the explanation path ran too
    # Resume embedding, job embedding and both explanation sides went through the tokenizer.
    assert len(model_inputs) >= 4
    joined = "\n".join(model_inputs).lower()
    assert "django" in joined and "[name]" in joined and "[email]" in joined
    for text in model_inputs:
        lowered = text.lower()
        for value in MASKED:
            assert value not in lowered, f"{value!r} reached the fit model"
        for value in SELF_ID_TEXTS:
            assert value.lower() not in lowered, f"self-ID {value!r} reached the fit model"
    # The score informs, a person decides: scoring never moved the application.
    application.refresh_from_db()
    assert application.stage == "screening" and application.stage_events.count() == 1
    # The stored explanation words are the masked ones too.
    words = " ".join(w for w, _ in fit.explanation["attributions"]["resume"]).lower()
    assert "quentin" not in words and "zabriskie" not in words


def test_fit_model_score_masks_what_the_tokenizer_gets(model_inputs):
    from mlcore.matching import get_fit_model

    resume = (
        "Maria Gonzalez\nmaria.gonzalez@example.org · (415) 555-0134 · "
        "linkedin.com/in/mariagonzalez\n12 Baker Street\nDate of birth: 4 May 1990\n"
        "She led a team of five Python engineers; her services run on AWS."
    )
    get_fit_model().score("Python engineer, AWS", [resume])
    (text,) = [t for t in model_inputs if "python engineers" in t.lower()]
    for value in ("maria", "gonzalez", "example.org", "555", "linkedin", "baker", "1990"):
        assert value not in text.lower(), value
    assert " she " not in f" {text.lower()} " and " her " not in f" {text.lower()} "


class _Stop(Exception):
    pass


def test_training_texts_are_masked(monkeypatch, tmp_path):
    """Every text training reads is warmed through the embedder first: record them there
    (then stop), including an organisation's own outcome pairs with a named candidate."""
    from mlcore.matching import train

    seen: list[str] = []

    class RecordingEmbedder:
        def __init__(self, model, max_length):
            self.cached = self

        def warm(self, texts, progress=True):
            seen.extend(texts)
            raise _Stop

    monkeypatch.setattr(train, "_Embedder", RecordingEmbedder)
    # A slice of the real data keeps the test quick (masking every training text takes ~1 min).
    real = train.datasets.category_split()
    small = train.datasets.CategorySplit(
        real.train_resumes[:4], real.train_jobs[:4], real.val_resumes[:2], real.val_jobs[:2], [], []
    )
    monkeypatch.setattr(train.datasets, "category_split", lambda: small)
    real_matching = train.datasets.matching_split

    def small_matching(text):
        m = real_matching(text)
        return train.datasets.MatchingSplit(text, m.train[:3], m.val[:2], [])

    monkeypatch.setattr(train.datasets, "matching_split", small_matching)
    resume = (
        "Quentin Zabriskie\nquentin.zabriskie@example.org | +1 415 555 0199\n"
        "He built Django services; his team ships weekly."
    )
    config = train.TrainConfig(extra_pairs=[("Django developer", resume, True)])
    with pytest.raises(_Stop):
        train.train_fit(out_dir=tmp_path, version="test", config=config, progress=False)
    assert len(seen) >= 4 + 4 + 2 + 2 + 3 + 2 + 1 + 2  # the training data and our pair
    ours = [t for t in seen if "django services" in t.lower()]
    assert ours == [
        "[NAME] [NAME] [EMAIL] | [PHONE] They built Django services; their team ships weekly."
    ]
    joined = "\n".join(seen).lower()
    for value in ("quentin", "zabriskie", "@example.org"):
        assert value not in joined
