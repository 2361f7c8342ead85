"""The fit activation gate: `models activate fit V` refuses a version that has no evaluation
on record or loses to zero-shot on any set, and `--force --reason` records why it was
activated anyway. On a throw-away registry, through the CLI as an operator types it."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from mlcore.cli import main
from mlcore.registry import Registry


def _fit_version(root, name: str, sets: dict[str, tuple[str, float, float]] | None) -> None:
    path = root / "fit" / name
    path.mkdir(parents=True)
    (path / "meta.json").write_text(json.dumps({"created_at": "2026-11-30T00:00:00+00:00"}))
    (path / "MODEL_CARD.md").write_text(f"# {name}\n")
    if sets is not None:
        record = {
            "sets": {
                set_name: {
                    "primary": metric,
                    "version": {metric: mine},
                    "zero_shot": {metric: zero},
                }
                for set_name, (metric, mine, zero) in sets.items()
            }
        }
        (path / "evaluation.json").write_text(json.dumps(record))


@pytest.fixture
def root(tmp_path, monkeypatch):
    root = tmp_path / "models"
    monkeypatch.setenv("SMARTHR_MODEL_DIR", str(root))
    _fit_version(root, "fit-old", {"OOD resumes": ("mrr", 0.70, 0.70)})
    Registry(root).activate("fit", "fit-old")
    return root


def _activate(*args: str) -> tuple[int, str, str]:
    out = io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["models", "activate", "fit", *args], out)
    return code, out.getvalue(), err.getvalue()


def test_a_version_without_an_evaluation_is_refused_and_told_how_to_get_one(root):
    _fit_version(root, "fit-new", None)
    code, _, err = _activate("fit-new")
    assert code == 2
    assert "no evaluation on record" in err
    assert "python -m bench.fit_eval --candidate fit-new --record" in err
    assert Registry(root).active("fit").version == "fit-old"


def test_a_version_that_loses_on_one_set_is_refused_naming_the_set(root):
    _fit_version(
        root,
        "fit-new",
        {
            "OOD resumes": ("mrr", 0.75, 0.70),
            "job shape (a): title only": ("mrr", 0.49, 0.50),
            "matching": ("roc_auc", 0.83, 0.73),
        },
    )
    code, _, err = _activate("fit-new")
    assert code == 2
    assert "job shape (a): title only: mrr 0.490 < zero-shot 0.500" in err
    assert "OOD resumes" not in err and "matching" not in err
    assert Registry(root).active("fit").version == "fit-old"


def test_a_version_at_least_as_good_everywhere_is_activated(root):
    _fit_version(
        root,
        "fit-new",
        {"OOD resumes": ("mrr", 0.75, 0.70), "matching": ("roc_auc", 0.73, 0.73)},
    )
    code, out, _ = _activate("fit-new")
    assert code == 0
    assert json.loads(out) == {"task": "fit", "active": "fit-new"}
    assert Registry(root).active("fit").version == "fit-new"
    assert "forced_activations" not in json.loads((root / "fit/fit-new/meta.json").read_text())


def test_force_needs_a_reason_and_the_reason_is_kept_with_the_version(root):
    _fit_version(root, "fit-new", {"long resumes": ("mrr", 0.05, 0.09)})
    code, _, err = _activate("fit-new", "--force")
    assert code == 2 and "--force needs --reason" in err
    assert Registry(root).active("fit").version == "fit-old"

    code, _, _ = _activate("fit-new", "--force", "--reason", "rollback drill, 2026-11-30")
    assert code == 0
    assert Registry(root).active("fit").version == "fit-new"
    meta = json.loads((root / "fit/fit-new/meta.json").read_text())
    (forced,) = meta["forced_activations"]
    assert forced["reason"] == "rollback drill, 2026-11-30"
    assert forced["gate_refused"] == ["long resumes: mrr 0.050 < zero-shot 0.090"]
    card = (root / "fit/fit-new/MODEL_CARD.md").read_text()
    assert "Reason: rollback drill, 2026-11-30" in card
    assert "long resumes: mrr 0.050 < zero-shot 0.090" in card


def test_the_gate_is_for_fit_only(tmp_path, monkeypatch):
    root = tmp_path / "models"
    monkeypatch.setenv("SMARTHR_MODEL_DIR", str(root))
    path = root / "sentiment" / "s-1"
    path.mkdir(parents=True)
    (path / "meta.json").write_text(json.dumps({"created_at": "2026-11-30T00:00:00+00:00"}))
    out = io.StringIO()
    assert main(["models", "activate", "sentiment", "s-1"], out) == 0
