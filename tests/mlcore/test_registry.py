"""The model registry on a throw-away folder: versions, activate, rollback, clear errors."""

from __future__ import annotations

import json
import time

import pytest

from mlcore.registry import Registry, RegistryError


def _version(registry: Registry, task: str, name: str, created_at: str) -> None:
    _, path = registry.new_version_dir(task, name)
    (path / "meta.json").write_text(json.dumps({"created_at": created_at}))


@pytest.fixture
def registry(tmp_path) -> Registry:
    registry = Registry(tmp_path / "models")
    _version(registry, "sentiment", "s-old", "2026-01-01T00:00:00+00:00")
    _version(registry, "sentiment", "s-new", "2026-02-01T00:00:00+00:00")
    return registry


def test_versions_are_listed_oldest_first_and_nothing_is_active_yet(registry):
    assert [v.version for v in registry.versions("sentiment")] == ["s-old", "s-new"]
    assert registry.versions("fit") == []
    with pytest.raises(RegistryError, match=r"No active sentiment model.*train-sentiment"):
        registry.active("sentiment")


def test_activate_then_rollback_restores_the_previous_version(registry):
    registry.activate("sentiment", "s-old")
    registry.activate("sentiment", "s-new")
    assert registry.active("sentiment").version == "s-new"
    assert registry.history("sentiment") == ["s-old"]
    # A second Registry on the same folder reads the same manifest: state is on disk.
    assert Registry(registry.root).active("sentiment").version == "s-new"

    back = registry.rollback("sentiment")
    assert back.version == "s-old"
    assert registry.active("sentiment").version == "s-old"
    assert registry.history("sentiment") == []
    with pytest.raises(RegistryError, match="No earlier sentiment model"):
        registry.rollback("sentiment")


def test_activating_the_active_version_again_adds_no_history(registry):
    registry.activate("sentiment", "s-new")
    registry.activate("sentiment", "s-new")
    assert registry.history("sentiment") == []


def test_tasks_are_independent(registry):
    _version(registry, "fit", "f-1", "2026-03-01T00:00:00+00:00")
    registry.activate("fit", "f-1")
    registry.activate("sentiment", "s-old")
    assert registry.active("fit").version == "f-1"
    assert registry.active("sentiment").version == "s-old"


def test_errors_name_the_problem(registry):
    with pytest.raises(RegistryError, match=r"No sentiment model version 'nope'.*s-old, s-new"):
        registry.activate("sentiment", "nope")
    with pytest.raises(RegistryError, match="Unknown model task 'weather'"):
        registry.versions("weather")
    with pytest.raises(RegistryError, match="exists already"):
        registry.new_version_dir("sentiment", "s-old")


def test_rollback_refuses_a_version_deleted_from_disk(registry):
    registry.activate("sentiment", "s-old")
    registry.activate("sentiment", "s-new")
    (registry.root / "sentiment" / "s-old" / "meta.json").unlink()
    with pytest.raises(RegistryError, match="No sentiment model version 's-old'"):
        registry.rollback("sentiment")
    assert registry.active("sentiment").version == "s-new"  # unchanged


def test_generated_version_names_are_unique_folders(tmp_path):
    registry = Registry(tmp_path)
    first, path = registry.new_version_dir("sentiment")
    assert first.startswith("sentiment-") and path.is_dir() and not any(path.iterdir())
    time.sleep(1.05)  # names carry the second they were made
    second, _ = registry.new_version_dir("sentiment")
    assert second != first


def test_manifest_write_leaves_no_temporary_files(registry):
    registry.activate("sentiment", "s-old")
    assert sorted(p.name for p in registry.root.iterdir()) == ["manifest.json", "sentiment"]


def test_model_dir_environment_variable_moves_the_root(tmp_path, monkeypatch):
    monkeypatch.setenv("SMARTHR_MODEL_DIR", str(tmp_path / "elsewhere"))
    assert Registry().root == tmp_path / "elsewhere"


def test_a_change_made_by_another_process_is_seen_at_once(registry):
    """Reads are cached per file, so a reader must notice every rewrite, even one of the
    same size within the same clock tick (s-old / s-new have names of equal length)."""
    reader = Registry(registry.root)
    registry.activate("sentiment", "s-old")
    assert reader.active("sentiment").version == "s-old"
    for expected in ("s-new", "s-old", "s-new"):
        Registry(registry.root).activate("sentiment", expected)  # as a CLI process would
        assert reader.active("sentiment").version == expected
    meta = registry.root / "sentiment" / "s-new" / "meta.json"
    meta.write_text(json.dumps({"created_at": "2026-03-01T00:00:00+00:00", "note": "x"}))
    assert reader.get("sentiment", "s-new").meta["note"] == "x"


def test_version_names_cannot_leave_the_task_folder(registry):
    with pytest.raises(RegistryError, match="No sentiment model version"):
        registry.get("sentiment", "../fit")
