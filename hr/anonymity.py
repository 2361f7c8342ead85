"""The anonymity rule, in one place: which survey groups may be shown.

A *cell* is a group of responses: a unit of the department tree (the whole company, a
department with everything under it, or the people sitting directly in one department) in a
period (one week or month, or the whole survey). Every figure SmartHR shows, in the dashboard,
its JSON and the CSV export, is a figure of one visible cell.

1. Primary suppression: a cell with 1 to k-1 responses (k = the survey's minimum group size)
   is hidden. An empty cell is shown as empty: it holds nobody's answers.
2. Complementary suppression: a visible cell is the sum of its parts (its sub-departments and
   its direct members; or its periods), so "whole minus the visible parts" gives the hidden
   parts' total. Among the parts of a visible cell, either none is hidden, or at least two
   are and they hold at least k responses together: otherwise the smallest visible part is
   hidden too (and when no part is left to hide, the whole is hidden).
3. A hidden cell hides everything below it (its sub-departments in that period, and its
   periods), or their sum would give it back.

4. Results only once the survey is closed. Suppression protects one snapshot; two snapshots of
   an open survey can be subtracted (invite everyone but a two-person team, read the results,
   invite the team, read again after one answer: the difference is that one answer). So while
   a survey is open HR sees participation only (how many of the invited answered, company-wide)
   and every figure of the answers appears when it closes, once, and never changes after: a
   closed survey takes no answers and cannot be reopened.

Rules 2 and 3 are repeated along both dimensions until nothing changes. The same rule runs on
response counts and, separately, on each question's answer counts and each topic's mention
counts, starting from what the response counts already hide. Limits: docs/surveys.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Union

from .tree import DepartmentTree

ROOT = "all"  # the whole company
NO_DEPARTMENT = "none"  # responses whose employee had no department
ALL_TIME: date | None = None  # the bucket key of "the whole survey"

# A unit of the tree: ROOT, NO_DEPARTMENT, a department id (with its sub-departments), or
# ("=", id): the people directly in that department, not in a sub-department.
Unit = Union[str, int, tuple[str, int]]  # noqa: UP007 (a runtime alias)
Bucket = date | None
Cell = tuple[Unit, Bucket]


def direct(department_id: int) -> tuple[str, int]:
    return ("=", department_id)


def atom_of(department_id: int | None) -> Unit:
    """The finest unit a response with this department belongs to."""
    return NO_DEPARTMENT if department_id is None else direct(department_id)


@dataclass
class Layout:
    """The tree's units and how each splits into parts, for one survey's data."""

    parts: dict[Unit, list[Unit]]  # node -> its parts (only nodes with parts)
    units: list[Unit]

    @classmethod
    def of(cls, tree: DepartmentTree) -> Layout:
        parts: dict[Unit, list[Unit]] = {ROOT: [NO_DEPARTMENT, *tree.children.get(None, [])]}
        units: list[Unit] = [ROOT, NO_DEPARTMENT]
        for dept in tree.ordered():
            parts[dept] = [direct(dept), *tree.children.get(dept, [])]
            units += [dept, direct(dept)]
        return cls(parts=parts, units=units)

    def atoms_under(self, unit: Unit) -> list[Unit]:
        if unit not in self.parts:
            return [unit]
        out: list[Unit] = []
        for part in self.parts[unit]:
            out += self.atoms_under(part)
        return out


def cell_counts(layout: Layout, atom_counts: Mapping[tuple[Unit, date], int]) -> dict[Cell, int]:
    """Counts for every unit and bucket (and the whole survey), from counts per atom and bucket."""
    counts: dict[Cell, int] = {}
    buckets = sorted({b for _, b in atom_counts})
    by_atom: dict[Unit, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for (atom, bucket), n in atom_counts.items():
        by_atom[atom][bucket] += n

    def fill(unit: Unit) -> dict[date, int]:
        if unit in layout.parts:
            total: dict[date, int] = {}
            for part in layout.parts[unit]:
                for bucket, n in fill(part).items():
                    total[bucket] = total.get(bucket, 0) + n
        else:
            total = dict(by_atom.get(unit, {}))
        for bucket in buckets:
            counts[(unit, bucket)] = total.get(bucket, 0)
        counts[(unit, ALL_TIME)] = sum(total.values())
        return total

    fill(ROOT)
    return counts


def suppress(
    layout: Layout,
    counts: Mapping[Cell, int],
    k: int,
    *,
    also_hidden: Iterable[Cell] = (),
) -> set[Cell]:
    """The cells to hide (see the module's rules); `also_hidden` start hidden."""
    buckets = sorted({b for _, b in counts if b is not None})
    all_buckets: list[Bucket] = [ALL_TIME, *buckets]
    hidden: set[Cell] = {c for c, n in counts.items() if 0 < n < k}
    hidden |= set(also_hidden)

    def size(cell: Cell) -> int:
        return counts.get(cell, 0)

    def complete(whole: Cell, parts: list[Cell]) -> bool:
        """Apply rules 2 and 3 to one whole and its parts; True if it hid something."""
        changed = False
        if whole in hidden:
            for part in parts:
                if part not in hidden and size(part) > 0:
                    hidden.add(part)
                    changed = True
            return changed
        while True:
            hid = [p for p in parts if p in hidden and size(p) > 0]
            if not hid or (len(hid) >= 2 and sum(map(size, hid)) >= k):
                return changed
            shown = [p for p in parts if p not in hidden and size(p) > 0]
            if not shown:  # the whole is its one hidden part: hide the whole as well
                hidden.add(whole)
                return True
            hidden.add(min(shown, key=lambda p: (size(p), str(p))))
            changed = True

    changed = True
    while changed:
        changed = False
        for bucket in all_buckets:  # along the tree, period by period, top down
            for unit in layout.units:
                if unit in layout.parts:
                    parts = [(p, bucket) for p in layout.parts[unit]]
                    changed |= complete((unit, bucket), parts)
        for unit in layout.units:  # along time, unit by unit
            changed |= complete((unit, ALL_TIME), [(unit, b) for b in buckets])
    return hidden


def results_visible(status: str) -> bool:
    """Rule 4: figures of the answers only for a closed survey (status from hr.models.Survey)."""
    return status == "closed"
