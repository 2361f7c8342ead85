"""Joining trained workplace versions into one ensemble (issue 19): members copied unchanged,
biases and temperature fitted again on the validation reviews only."""

from __future__ import annotations

import json
import shutil

import pytest

from mlcore.registry import Registry, RegistryError
from mlcore.sentiment import corpus, metrics
from mlcore.sentiment.join import join
from mlcore.sentiment.model import TASK, SentimentModel
from mlcore.sentiment.train import TrainConfig, tune_bias_for


def _parts() -> corpus.Corpus:
    reviews = [
        ("Great people and fair pay, I love it here.", 5),
        ("Management ignores us and the pay is awful.", 1),
        ("It is fine, nothing special, some good days.", 3),
        ("Good benefits, but the hours are brutal and no one listens.", 2),
        ("Supportive manager, flexible hours.", 4),
        ("Toxic culture, constant layoffs.", 1),
    ]
    found = [corpus.Example(t, s, "test", "acme") for t, s in reviews]
    return corpus.Corpus(train=[], validation=found, evaluation=found[:4])


@pytest.fixture
def registry(tmp_path):
    active = Registry().active(TASK)
    if not (active.path / "members").is_dir():
        pytest.skip("the active sentiment version is not a members/ version")
    meta = json.loads((active.path / "meta.json").read_text())
    if meta["training"].get("recipe") != "workplace":
        pytest.skip("the active sentiment version is not a workplace version")
    found = Registry(tmp_path)
    found._write({TASK: {"active": None, "history": []}})
    for name in ("a", "b"):
        shutil.copytree(active.path, tmp_path / TASK / f"{TASK}-{name}")
        meta["version"] = f"{TASK}-{name}"
        (tmp_path / TASK / f"{TASK}-{name}" / "meta.json").write_text(json.dumps(meta))
    return found


def test_joined_version_has_every_member_and_its_own_calibration(registry):
    outcome = join(
        [f"{TASK}-a", f"{TASK}-b"], registry=registry, version=f"{TASK}-ab", parts=_parts()
    )
    per_version = len(list((registry.get(TASK, f"{TASK}-a").path / "members").iterdir()))
    found = sorted(int(p.name) for p in (outcome.path / "members").iterdir())
    assert found == list(range(2 * per_version))  # every member of both, renumbered
    meta = json.loads((outcome.path / "meta.json").read_text())
    assert meta["joined_from"] == [f"{TASK}-a", f"{TASK}-b"]
    assert meta["metrics"]["held_out"]["n"] == 4
    assert meta["metrics"]["out_of_fold"]["n"] == 6
    assert "joined from" in (outcome.path / "MODEL_CARD.md").read_text()
    assert registry._read()[TASK]["active"] is None  # not activated unless asked
    # Two copies of the same member average to that member: the same probabilities.
    joined = SentimentModel._load_ensemble(outcome.version, outcome.path)
    single = SentimentModel._load_ensemble(f"{TASK}-a", registry.get(TASK, f"{TASK}-a").path)
    for model in (joined, single):
        model.temperature, model.bias = 1.0, model.bias * 0
    text = ["The team is great but my manager never listens."]
    assert joined.predict_probs(text)[0] == pytest.approx(single.predict_probs(text)[0], abs=1e-5)


def test_join_refuses_one_version_or_an_unknown_one(registry):
    with pytest.raises(RegistryError, match="at least two"):
        join([f"{TASK}-a"], registry=registry, parts=_parts())
    with pytest.raises(RegistryError):
        join([f"{TASK}-a", f"{TASK}-nope"], registry=registry, parts=_parts())


def test_negative_beta_lifts_negative_recall_on_the_scored_rows():
    import torch

    # Negatives scored a little below positives: plain F1 leaves some, F-2 catches more.
    gold = [0] * 10 + [2] * 30
    scores = torch.tensor(
        [[-0.9 + 0.1 * (i % 5), -3.0, -0.7] for i in range(10)] + [[-1.5, -3.0, -0.3]] * 30
    )
    grid = TrainConfig().bias_grid
    plain = tune_bias_for(scores, gold, grid)
    weighted = tune_bias_for(scores, gold, grid, negative_beta=2.0)
    assert weighted[0] >= plain[0]
    assert metrics.f_beta([0, 0, 2], [0, 2, 2], 0, 1.0) == pytest.approx(2 / 3)
    assert metrics.f_beta([0, 0, 2], [0, 0, 0], 0, 2.0) > metrics.f_beta(
        [0, 0, 2], [0, 0, 0], 0, 1.0
    )
