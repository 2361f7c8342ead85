"""Accuracy floors of the parser on the hand-labelled eval set (bench/data/parse_eval.jsonl)."""

from __future__ import annotations

import json

import pytest

from bench.parse_accuracy import EVAL_PATH, evaluate, fuzzy_equal

FLOORS = {"email": 0.95, "phone": 0.95, "skills": 0.80, "employers": 0.75, "titles": 0.75}


@pytest.fixture(scope="module")
def scores(data_dir, nlp):
    return evaluate(data_dir.parent)


def test_eval_set_covers_files_and_enough_csv_resumes():
    records = [json.loads(line) for line in EVAL_PATH.read_text(encoding="utf-8").splitlines()]
    csv_rows = [r for r in records if "row_id" in r]
    files = [r for r in records if "path" in r]
    assert len({r["row_id"] for r in csv_rows}) >= 30
    assert len({r["category"] for r in csv_rows}) >= 15
    assert {p["path"].split("/")[1] for p in files} == {"pdf", "docx", "txt"}
    assert not any("/jd_" in p["path"] for p in files)


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_field_f1_floor(scores, field):
    score = scores[field]
    assert score.tp > 0
    assert score.f1 >= FLOORS[field], f"{field}: F1 {score.f1:.3f} < {FLOORS[field]}"


def test_fuzzy_matching_is_not_too_lenient():
    assert fuzzy_equal("B.E", "B.E Computer Science and Engineering")
    assert fuzzy_equal("Osmania University", "Telangana Osmania university")
    assert not fuzzy_equal("Google", "Microsoft")
    assert not fuzzy_equal("Pvt Ltd", "Acme")  # noise words alone never match
