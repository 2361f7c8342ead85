"""`python -m mlcore parse`: one JSON line per file, failures inline, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mlcore.cli import main

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "file", "status", "error", "name", "email", "phone", "location", "links", "skills",
    "experience", "education", "years_experience", "text_chars", "parser_version",
    "ocr", "ocr_confidence", "needs_check",
}  # fmt: skip


def _write(tmp_path: Path) -> tuple[Path, Path, Path]:
    good = tmp_path / "ana.txt"
    good.write_text(
        "Ana Sousa\nana.sousa@example.pt | +351 912 345 678\n\nSkills\nPython, Postgres\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    other = tmp_path / "b.txt"
    other.write_text("Bo Lin\nbo.lin@example.com\nExperience\nData Analyst | Acme | 2020 - 2022\n")
    return good, empty, other


def test_parse_prints_one_json_line_per_file_and_goes_on(tmp_path, capsys):
    good, empty, other = _write(tmp_path)
    code = main(["parse", str(good), str(empty), str(other)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert len(lines) == 3
    items = [json.loads(line) for line in lines]
    assert all(set(item) == KEYS for item in items)
    assert [item["status"] for item in items] == ["parsed", "failed", "parsed"]
    assert items[0]["file"] == str(good)
    assert items[0]["phone"] == "+351912345678"
    assert items[0]["skills"] == ["Python", "PostgreSQL"]
    assert items[1]["error"] == "empty file"
    assert items[2]["experience"] == [
        {"title": "Data Analyst", "employer": "Acme", "start": "2020-01", "end": "2022-01"}
    ]


def test_output_keeps_non_ascii(tmp_path, capsys):
    path = tmp_path / "cv.txt"
    path.write_text("Zoë Brontë\nzoe@example.com\n", encoding="utf-8")
    assert main(["parse", str(path)]) == 0
    line = capsys.readouterr().out.strip()
    assert "Zoë Brontë" in line  # ensure_ascii=False: no \\u escapes


def test_missing_path_gives_a_failed_line_and_the_rest_is_parsed(tmp_path):
    good, _, _ = _write(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "mlcore", "parse", str(good), str(tmp_path / "nope.pdf")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "not found" in proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["status"] for line in lines] == ["parsed", "failed"]
    assert lines[1]["file"].endswith("nope.pdf") and lines[1]["error"] == "no such file"


def test_module_entry_point_runs_parse(tmp_path):
    good, empty, _ = _write(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "mlcore", "parse", str(good), str(empty)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    statuses = [json.loads(line)["status"] for line in proc.stdout.splitlines()]
    assert statuses == ["parsed", "failed"]


def test_unknown_subcommand_fails(capsys):
    try:
        main(["frobnicate"])
    except SystemExit as exc:
        assert exc.code != 0
    else:
        raise AssertionError("argparse should refuse an unknown subcommand")
