"""The lint step refuses the two imports that would break the layering: Django inside mlcore/
and a model library inside a Django app (ruff TID251, pyproject.toml and mlcore/ruff.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The project's own ruff (the one `make lint` runs), else one on PATH.
_VENV_RUFF = Path(sys.executable).with_name("ruff")
RUFF = str(_VENV_RUFF) if _VENV_RUFF.exists() else (shutil.which("ruff") or "ruff")


def _lint(path: str, source: str) -> subprocess.CompletedProcess[str]:
    # --stdin-filename: the file is linted as if it lived there, with that folder's config.
    return subprocess.run(
        [RUFF, "check", "--select", "TID251", "--stdin-filename", path, "-"],
        input=source,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("mlcore/planted.py", "from django.conf import settings\n"),
        ("mlcore/matching/planted.py", "import django\n"),
        ("recruiting/planted.py", "import torch\n"),
        ("hr/services/planted.py", "from transformers import AutoModel\n"),
    ],
)
def test_a_planted_import_fails_lint(path, source):
    result = _lint(path, source)
    assert result.returncode != 0 and "TID251" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("mlcore/planted.py", "import torch\n"),
        ("bench/planted.py", "import torch\n"),
        ("recruiting/planted.py", "from mlcore.matching import get_fit_model\n"),
    ],
)
def test_the_allowed_imports_pass(path, source):
    result = _lint(path, source)
    assert result.returncode == 0, result.stdout + result.stderr
