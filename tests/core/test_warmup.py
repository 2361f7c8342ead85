"""Worker start-up loads the configured models and never fails because of one."""

from __future__ import annotations

import logging

from core import warmup


def test_the_configured_models_are_loaded(settings, monkeypatch):
    from mlcore.matching import model

    # An empty cache of our own: an earlier test's loaded model must not make this pass.
    monkeypatch.setattr(model, "_CACHE", {})
    settings.WORKER_WARM_MODELS = ["fit"]
    assert warmup.warm_models() == ["fit"]
    assert len(model._CACHE) == 1  # the process-wide cache the first task reads from


def test_an_unknown_or_broken_model_is_logged_and_skipped(monkeypatch, caplog):
    def broken():
        raise OSError("no such adapter file")

    monkeypatch.setitem(warmup.LOADERS, "broken", broken)
    with caplog.at_level(logging.INFO, logger="core.warmup"):
        assert warmup.warm_models(["nonsense", "broken"]) == []
    assert "unknown model 'nonsense'" in caplog.text
    assert "could not load the broken model" in caplog.text


def test_warming_sentiment_also_loads_the_topic_tagger(settings, monkeypatch):
    from mlcore.sentiment import model, topics

    # Empty caches of our own: an earlier test's loaded models must not make this pass.
    monkeypatch.setattr(model, "_MODELS", {})
    topics.get_tagger.cache_clear()
    settings.WORKER_WARM_MODELS = ["sentiment"]
    assert warmup.warm_models() == ["sentiment"]
    assert model._MODELS  # the analysis task's model
    assert topics.get_tagger.cache_info().currsize == 1  # and its topic tagger
