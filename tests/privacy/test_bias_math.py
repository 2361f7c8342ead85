"""The bias audit arithmetic on a hand-computed example (no database)."""

from __future__ import annotations

import pytest

from privacy.bias import AuditRow, Status, bias_report, report_csv_rows


def _rows(sex: str, race: str, stages: list[str], scores: list[float | None]) -> list[AuditRow]:
    groups = {"sex": sex, "race_ethnicity": race}
    return [AuditRow(groups, s, score) for s, score in zip(stages, scores, strict=True)]


@pytest.fixture
def report():
    rows = [
        # female × asian: 2 of 5 reached screening (1 interview); 2 of 2 scored are >= 60
        *_rows(
            "female",
            "asian",
            ["interview", "screening", "applied", "applied", "applied"],
            [70, 65, None, None, None],
        ),
        # female × white: 4 of 5 reached screening (1 interview); 1 of 3 scored >= 60 (60 counts)
        *_rows(
            "female",
            "white",
            ["interview", "screening", "screening", "screening", "applied"],
            [60.0, 10, 20, None, None],
        ),
        # male × white: 8 of 10 reached screening, 5 interview; 2 of 5 scored >= 60
        *_rows(
            "male",
            "white",
            ["interview"] * 5 + ["screening"] * 3 + ["applied"] * 2,
            [90, 80, 30, 20, 10, None, None, None, None, None],
        ),
        *_rows("non_binary", "white", ["hired", "hired"], [None, None]),  # too small
        *[AuditRow({}, "applied") for _ in range(3)],  # no self-ID at all: unknown
        *_rows("prefer_not_to_say", "", ["screening", "applied"], [None, None]),
    ]
    return bias_report(
        rows,
        categories=["sex", "race_ethnicity"],
        intersections=[("sex", "race_ethnicity")],
        threshold=60,
        min_group_size=5,
    )


def test_selection_rates_and_impact_ratios_by_hand(report):
    female = report.group("sex", "female").cells
    male = report.group("sex", "male").cells
    assert (female["reached_screening"].selected, female["reached_screening"].denominator) == (
        6,
        10,
    )
    assert male["reached_screening"].rate == pytest.approx(0.8)
    assert male["reached_screening"].status == Status.REFERENCE
    assert female["reached_screening"].impact_ratio == pytest.approx(0.6 / 0.8)
    assert female["reached_screening"].status == Status.FLAGGED  # 0.75 < 0.8
    assert female["reached_interview"].impact_ratio == pytest.approx(0.2 / 0.5)
    # Nobody in a judged group reached an offer: no reference, so no ratio and no flag.
    assert female["reached_offer"].status == Status.NO_REFERENCE
    assert female["reached_offer"].impact_ratio is None


def test_scored_above_threshold_uses_scored_applications_only(report):
    female = report.group("sex", "female").cells["scored_above_threshold"]
    male = report.group("sex", "male").cells["scored_above_threshold"]
    assert (female.selected, female.denominator) == (3, 5)  # 70, 65 and exactly 60
    assert (male.selected, male.denominator) == (2, 5)
    assert female.status == Status.REFERENCE
    assert male.impact_ratio == pytest.approx(0.4 / 0.6)
    assert male.status == Status.FLAGGED
    assert report.scored == 10


def test_small_groups_are_marked_not_hidden_and_unknowns_are_counted(report):
    sex = {g.group: g for g in report.dimension("sex").groups}
    assert sex["non_binary"].applied == 2
    assert sex["non_binary"].cells["reached_hired"].selected == 2
    assert {c.status for c in sex["non_binary"].cells.values()} == {Status.TOO_SMALL}
    # 100% hired would make it the reference if small groups counted: it must not.
    assert report.dimension("sex").reference["reached_hired"] is None
    assert sex["unknown"].applied == 3
    assert sex["prefer_not_to_say"].applied == 2
    assert {c.status for c in sex["unknown"].cells.values()} == {Status.NOT_COMPARED}
    assert sum(g.applied for g in sex.values()) == report.total == 27
    race = {g.group: g for g in report.dimension("race_ethnicity").groups}
    assert race["unknown"].applied == 5  # no self-ID (3) and an empty answer (2)


def test_intersections(report):
    cross = {g.group: g for g in report.dimension("sex × race_ethnicity").groups}
    assert cross["female × asian"].applied == 5
    screening = {name: g.cells["reached_screening"] for name, g in cross.items()}
    # female × white and male × white tie at 0.8: the first name is the reference.
    assert screening["female × white"].status == Status.REFERENCE
    assert screening["male × white"].impact_ratio == pytest.approx(1.0)
    assert screening["male × white"].status == Status.OK
    assert screening["female × asian"].impact_ratio == pytest.approx(0.5)
    assert screening["female × asian"].status == Status.FLAGGED
    assert cross["non_binary × white"].cells["reached_screening"].status == Status.TOO_SMALL
    assert cross["unknown × unknown"].cells["reached_screening"].status == Status.NOT_COMPARED
    assert ("sex × race_ethnicity", "female × asian", "reached_screening", 0.5) in report.flags


def test_csv_has_one_line_per_group_and_outcome(report):
    rows = report_csv_rows(report)
    assert rows[0][:4] == ["dimension", "group", "applications", "outcome"]
    groups = sum(len(d.groups) for d in report.dimensions)
    assert len(rows) == 1 + groups * len(report.outcomes)
    assert [
        "sex",
        "female",
        "10",
        "reached_screening",
        "6",
        "10",
        "0.6000",
        "0.7500",
        "flagged",
    ] in rows


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown stages"):
        bias_report([AuditRow({}, "rejected")], categories=["sex"])
