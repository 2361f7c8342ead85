"""Bias audit arithmetic: selection rates, impact ratios and the four-fifths flag.

Pure Python, no Django: rows in, a report out, so the method can be checked by hand.

One row is one application: the applicant's self-identified groups, the furthest pipeline
stage it reached and the fit model's score (None when not scored). For each outcome
("reached screening", ..., "hired", "scored above threshold") and each group:

* selection rate = applications with that outcome / the group's applications (for the score
  outcome: / the group's scored applications);
* impact ratio = the group's rate / the rate of the group with the highest rate among the
  groups that can be judged;
* flagged when the impact ratio is under 0.8 (the four-fifths rule of thumb).

A group can be judged when its denominator is at least `min_group_size` and it is a real
answer: "unknown" (no answer) and "prefer not to say" are counted and shown, never compared.
Limits of the method: docs/responsible-ai.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

UNKNOWN = "unknown"
PREFER_NOT = "prefer_not_to_say"
NOT_COMPARED_VALUES = frozenset({UNKNOWN, PREFER_NOT})
# The forward path of the pipeline; an application rejected or withdrawn at "interview"
# reached "interview".
STAGE_ORDER: tuple[str, ...] = ("applied", "screening", "interview", "offer", "hired")
SCORE_OUTCOME = "scored_above_threshold"
FOUR_FIFTHS = 0.8
INTERSECTION_SEP = " × "


class Status:
    REFERENCE = "reference"  # the highest rate: the others are compared with it
    OK = "ok"
    FLAGGED = "flagged"  # impact ratio under 0.8
    TOO_SMALL = "too_small"  # fewer than min_group_size: too small to judge
    NOT_COMPARED = "not_compared"  # unknown or prefer not to say
    NO_REFERENCE = "no_reference"  # no judged group was selected at all: no ratio exists


STATUS_LABELS = {
    Status.REFERENCE: "reference group",
    Status.OK: "ok",
    Status.FLAGGED: "under four-fifths",
    Status.TOO_SMALL: "too small to judge",
    Status.NOT_COMPARED: "not compared (unknown / prefer not to say)",
    Status.NO_REFERENCE: "no group selected",
}


@dataclass(frozen=True)
class AuditRow:
    groups: Mapping[str, str]  # category -> answer; missing or empty means unknown
    furthest_stage: str  # one of STAGE_ORDER
    score: float | None = None


@dataclass
class OutcomeCell:
    selected: int
    denominator: int
    rate: float | None
    impact_ratio: float | None
    status: str


@dataclass
class GroupResult:
    group: str
    applied: int
    cells: dict[str, OutcomeCell]

    @property
    def flagged(self) -> list[str]:
        return [o for o, c in self.cells.items() if c.status == Status.FLAGGED]


@dataclass
class DimensionResult:
    name: str  # "sex", or "sex × race_ethnicity" for an intersection
    groups: list[GroupResult]
    reference: dict[str, str | None]  # outcome -> the reference group


@dataclass
class BiasReport:
    outcomes: list[str]
    threshold: float
    min_group_size: int
    total: int
    scored: int
    dimensions: list[DimensionResult] = field(default_factory=list)

    def dimension(self, name: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.name == name)

    def group(self, dimension: str, group: str) -> GroupResult:
        return next(g for g in self.dimension(dimension).groups if g.group == group)

    @property
    def flags(self) -> list[tuple[str, str, str, float]]:
        """(dimension, group, outcome, impact ratio) for every ratio under 0.8."""
        return [
            (d.name, g.group, outcome, g.cells[outcome].impact_ratio or 0.0)
            for d in self.dimensions
            for g in d.groups
            for outcome in g.flagged
        ]


def outcomes_for(stages: Sequence[str] = STAGE_ORDER) -> list[str]:
    return [f"reached_{s}" for s in stages[1:]] + [SCORE_OUTCOME]


def _value(row: AuditRow, category: str) -> str:
    return row.groups.get(category) or UNKNOWN


def _group_of(row: AuditRow, categories: Sequence[str]) -> tuple[str, bool]:
    """The row's group label in these categories, and whether it is a real answer in all."""
    values = [_value(row, c) for c in categories]
    return INTERSECTION_SEP.join(values), not any(v in NOT_COMPARED_VALUES for v in values)


def _selected(row: AuditRow, outcome: str, threshold: float) -> tuple[bool, bool]:
    """(counts in the denominator, selected) for one row and outcome."""
    if outcome == SCORE_OUTCOME:
        if row.score is None:
            return False, False
        return True, row.score >= threshold
    stage = outcome.removeprefix("reached_")
    reached = STAGE_ORDER.index(row.furthest_stage) >= STAGE_ORDER.index(stage)
    return True, reached


def _dimension(
    name: str,
    categories: Sequence[str],
    rows: Sequence[AuditRow],
    outcomes: Sequence[str],
    *,
    threshold: float,
    min_group_size: int,
) -> DimensionResult:
    applied: dict[str, int] = defaultdict(int)
    comparable: dict[str, bool] = {}
    selected: dict[tuple[str, str], int] = defaultdict(int)
    denominators: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        group, real = _group_of(row, categories)
        applied[group] += 1
        comparable[group] = real
        for outcome in outcomes:
            counted, chosen = _selected(row, outcome, threshold)
            denominators[group, outcome] += int(counted)
            selected[group, outcome] += int(chosen)

    reference: dict[str, str | None] = {}
    best_rate: dict[str, float] = {}
    for outcome in outcomes:
        judged = [
            (selected[g, outcome] / denominators[g, outcome], g)
            for g in applied
            if comparable[g] and denominators[g, outcome] >= min_group_size
        ]
        # Ties go to the first group name, so the report does not change between runs.
        top = min(judged, key=lambda rg: (-rg[0], rg[1]), default=None)
        reference[outcome] = top[1] if top and top[0] > 0 else None
        best_rate[outcome] = top[0] if top else 0.0

    groups = []
    for group in sorted(applied, key=lambda g: (not comparable[g], -applied[g], g)):
        cells = {}
        for outcome in outcomes:
            n, k = denominators[group, outcome], selected[group, outcome]
            rate = k / n if n else None
            ratio = None
            if not comparable[group]:
                status = Status.NOT_COMPARED
            elif n < min_group_size:
                status = Status.TOO_SMALL
            elif reference[outcome] is None:
                status = Status.NO_REFERENCE
            else:
                ratio = (rate or 0.0) / best_rate[outcome]
                if group == reference[outcome]:
                    status = Status.REFERENCE
                else:
                    status = Status.FLAGGED if ratio < FOUR_FIFTHS else Status.OK
            cells[outcome] = OutcomeCell(k, n, rate, ratio, status)
        groups.append(GroupResult(group, applied[group], cells))
    return DimensionResult(name, groups, reference)


def bias_report(
    rows: Iterable[AuditRow],
    *,
    categories: Sequence[str],
    intersections: Sequence[tuple[str, str]] = (),
    threshold: float = 60.0,
    min_group_size: int = 5,
) -> BiasReport:
    """The report for every category and each intersection (pair of categories)."""
    rows = list(rows)
    unknown_stages = {r.furthest_stage for r in rows} - set(STAGE_ORDER)
    if unknown_stages:
        raise ValueError(f"unknown stages {sorted(unknown_stages)}; expected {STAGE_ORDER}")
    outcomes = outcomes_for()
    report = BiasReport(
        outcomes=outcomes,
        threshold=threshold,
        min_group_size=min_group_size,
        total=len(rows),
        scored=sum(r.score is not None for r in rows),
    )
    dimensions = [(category, [category]) for category in categories] + [
        (INTERSECTION_SEP.join(pair), list(pair)) for pair in intersections
    ]
    for name, parts in dimensions:
        report.dimensions.append(
            _dimension(
                name, parts, rows, outcomes, threshold=threshold, min_group_size=min_group_size
            )
        )
    return report


def report_csv_rows(report: BiasReport) -> list[list[str]]:
    """The report as a table: one line per dimension, group and outcome."""
    out = [
        [
            "dimension",
            "group",
            "applications",
            "outcome",
            "selected",
            "denominator",
            "selection_rate",
            "impact_ratio",
            "status",
        ]
    ]
    for d in report.dimensions:
        for g in d.groups:
            for outcome, c in g.cells.items():
                out.append(
                    [
                        d.name,
                        g.group,
                        str(g.applied),
                        outcome,
                        str(c.selected),
                        str(c.denominator),
                        "" if c.rate is None else f"{c.rate:.4f}",
                        "" if c.impact_ratio is None else f"{c.impact_ratio:.4f}",
                        c.status,
                    ]
                )
    return out
