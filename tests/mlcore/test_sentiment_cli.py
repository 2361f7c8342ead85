"""`python -m mlcore sentiment`: one JSON line per stdin line, empty lines inline, --explain."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlcore.registry import Registry

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
KEYS = {"label", "probs", "topics", "model_version"}


def _run(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "SMARTHR_TORCH_THREADS": os.environ.get("SMARTHR_TORCH_THREADS", "1")}
    return subprocess.run(
        [sys.executable, "-m", "mlcore", "sentiment", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def test_each_line_gets_a_json_line_in_order_and_empty_lines_an_error():
    lines = [
        "The managers are rude and the pay is awful.",
        "",
        "I love my team!",
        "   ",
        "Caf\xe9 food is great",  # non-ASCII survives the round trip
    ]
    done = _run(["--batch-size", "2"], ("\n".join(lines) + "\n").encode())
    assert done.returncode == 0, done.stderr.decode()
    items = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(items) == len(lines)
    active = Registry().active("sentiment").version

    for n in (0, 2, 4):
        assert set(items[n]) == KEYS
        assert items[n]["model_version"] == active
        assert sum(items[n]["probs"].values()) == pytest.approx(1.0, abs=1e-3)
    assert items[0]["label"] == "negative"
    assert items[2]["label"] == "positive"
    assert "pay_benefits" in items[0]["topics"]
    for n in (1, 3):
        assert items[n] == {
            "error": f"empty text on line {n + 1}",
            "line": n + 1,
            "label": None,
            "probs": None,
            "topics": [],
            "model_version": active,
        }


def test_explain_adds_word_attributions():
    done = _run(["--explain"], b"Long hours, but a great team.\n")
    assert done.returncode == 0, done.stderr.decode()
    (item,) = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert set(item) == KEYS | {"attributions"}
    words = [w for w, _ in item["attributions"]]
    assert words == ["Long", "hours,", "but", "a", "great", "team."]
    assert max(abs(w) for _, w in item["attributions"]) == pytest.approx(1.0, abs=1e-3)


def test_an_unknown_model_version_is_a_clear_error(tmp_path):
    done = _run(["--model-version", "no-such-version"], b"hello\n")
    assert done.returncode == 1
    assert done.stdout == b""
    assert "No sentiment model version 'no-such-version'" in done.stderr.decode()
