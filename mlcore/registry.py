"""The model registry: versioned artefacts in folders, plus a manifest saying which is active.

    <root>/manifest.json
    <root>/<task>/<version>/   meta.json, MODEL_CARD.md, adapter + head files

`root` is `mlcore/models` in the repository (what ships) unless SMARTHR_MODEL_DIR says
otherwise. Activating a version and rolling back are manifest edits, written atomically.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TASKS = ("fit", "sentiment")
_DEFAULT_ROOT = Path(__file__).resolve().parent / "models"


class RegistryError(Exception):
    """A registry request that cannot be met; the message says why."""


@dataclass(frozen=True)
class ModelVersion:
    task: str
    version: str
    path: Path
    meta: dict[str, Any] = field(default_factory=dict)


_JSON_CACHE: dict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = {}


def _read_json(path: Path) -> dict[str, Any] | None:
    """The file's JSON, or None when it does not exist. Parsed again only when the file
    changed (inode, size or modification time): the web app asks for the active version on every
    request, and another process may activate a version at any time."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    signature = (stat.st_ino, stat.st_mtime_ns, stat.st_size)  # a rewrite is a new inode
    cached = _JSON_CACHE.get(path)
    if cached is None or cached[0] != signature:
        cached = (signature, json.loads(path.read_text()))
        _JSON_CACHE[path] = cached
    return copy.deepcopy(cached[1])  # callers may edit what they get (the manifest is)


def default_root() -> Path:
    return Path(os.environ.get("SMARTHR_MODEL_DIR") or _DEFAULT_ROOT)


class Registry:
    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()

    # --- manifest --------------------------------------------------------------------

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def _read(self) -> dict[str, Any]:
        manifest = _read_json(self.manifest_path)
        if manifest is None:
            return {task: {"active": None, "history": []} for task in TASKS}
        return manifest

    def _write(self, manifest: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".manifest-", suffix=".json")
        with os.fdopen(fd, "w") as fh:
            json.dump(manifest, fh, indent=2, sort_keys=True)
            fh.write("\n")
        os.replace(tmp, self.manifest_path)  # atomic: readers see the old or the new file

    @staticmethod
    def _check_task(task: str) -> None:
        if task not in TASKS:
            raise RegistryError(f"Unknown model task {task!r}; known: {', '.join(TASKS)}.")

    # --- reading ---------------------------------------------------------------------

    def versions(self, task: str) -> list[ModelVersion]:
        """Every version on disk for `task`, oldest first."""
        self._check_task(task)
        folder = self.root / task
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(p for p in folder.iterdir() if (p / "meta.json").is_file()):
            meta = _read_json(path / "meta.json") or {}
            found.append(ModelVersion(task=task, version=path.name, path=path, meta=meta))
        return sorted(found, key=lambda v: (v.meta.get("created_at", ""), v.version))

    def get(self, task: str, version: str) -> ModelVersion:
        self._check_task(task)
        path = self.root / task / version
        if "/" not in version and version not in ("", ".", ".."):
            meta = _read_json(path / "meta.json")
            if meta is not None:
                return ModelVersion(task=task, version=version, path=path, meta=meta)
        known = ", ".join(v.version for v in self.versions(task)) or "none"
        raise RegistryError(f"No {task} model version {version!r} (known: {known}).")

    def active(self, task: str) -> ModelVersion:
        self._check_task(task)
        version = self._read().get(task, {}).get("active")
        if not version:
            raise RegistryError(
                f"No active {task} model. Train one (python -m mlcore train-{task}) "
                f"or activate one (python -m mlcore models activate {task} VERSION)."
            )
        return self.get(task, version)

    def history(self, task: str) -> list[str]:
        self._check_task(task)
        return list(self._read().get(task, {}).get("history", []))

    # --- writing ---------------------------------------------------------------------

    def new_version_dir(self, task: str, name: str | None = None) -> tuple[str, Path]:
        """A fresh, empty folder for a version being trained."""
        self._check_task(task)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        version = name or f"{task}-{stamp}"
        path = self.root / task / version
        if path.exists():
            raise RegistryError(f"{path} exists already; choose another version name.")
        path.mkdir(parents=True)
        return version, path

    def activate(
        self, task: str, version: str, *, gate: bool = False, force_reason: str | None = None
    ) -> ModelVersion:
        """Make `version` the active one. With `gate`, a fit version must pass the activation
        gate (mlcore/matching/gate.py) unless `force_reason` says why it is activated anyway
        (kept in its meta.json and model card)."""
        chosen = self.get(task, version)
        if gate and task == "fit":
            from mlcore.matching.gate import failures, record_forced

            refused = failures(chosen.path)
            if refused and not force_reason:
                raise RegistryError(
                    f"{version} is not activated: it loses to zero-shot MiniLM or has no "
                    "evaluation:\n  " + "\n  ".join(refused) + "\n"
                    'Use --force --reason "..." to activate it anyway (the reason is recorded).'
                )
            if refused:
                record_forced(chosen.path, force_reason or "", refused)
        manifest = self._read()
        entry = manifest.setdefault(task, {"active": None, "history": []})
        if entry.get("active") != version:
            if entry.get("active"):
                entry.setdefault("history", []).append(entry["active"])
            entry["active"] = version
            self._write(manifest)
        return chosen

    def rollback(self, task: str) -> ModelVersion:
        """Re-activate the version that was active before the current one."""
        manifest = self._read()
        entry = manifest.get(task) or {}
        history = list(entry.get("history", []))
        if not history:
            raise RegistryError(f"No earlier {task} model to roll back to.")
        previous = history.pop()
        self.get(task, previous)  # it must still exist
        entry["active"], entry["history"] = previous, history
        manifest[task] = entry
        self._write(manifest)
        return self.get(task, previous)
