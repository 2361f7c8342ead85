"""How a version cuts a long text into windows (`Reading.last_window`, issue 15 speed)."""

from __future__ import annotations

import json

import pytest

from mlcore.matching.whole_text import Reading, window_starts
from mlcore.registry import Registry


def test_the_last_window_ends_at_the_text_end_or_holds_what_is_left():
    # 300 word pieces, windows of 254 in steps of 222.
    assert window_starts(300, 254, 32, 2) == [0, 46]  # "end": re-reads 208 pieces
    assert window_starts(300, 254, 32, 2, "stride") == [0, 222]  # 78 pieces, 32 overlap
    assert window_starts(600, 254, 32, 8, "stride") == [0, 222, 444]
    assert window_starts(600, 254, 32, 8) == [0, 222, 346]
    # Short texts and texts past the cap are cut the same either way.
    for layout in ("end", "stride"):
        assert window_starts(200, 254, 32, 8, layout) == [0]
        assert window_starts(10_000, 254, 32, 2, layout) == [0, 222]


def test_a_reading_without_the_field_keeps_the_old_layout_and_rejects_unknown_ones():
    assert Reading(overlap=32).last_window == "end"  # versions saved before the field
    with pytest.raises(ValueError, match="last_window"):
        Reading(last_window="middle")


def test_the_stride_version_differs_from_its_parent_only_in_the_layout():
    registry = Registry()
    parent = json.loads(
        (registry.get("fit", "fit-20261130-adapter").path / "meta.json").read_text()
    )
    child = json.loads((registry.get("fit", "fit-20261130-stride").path / "meta.json").read_text())
    assert child["reading"] == {**parent["reading"], "last_window": "stride"}
    for key in ("blend", "calibration", "occupations", "selection", "base_model", "max_length"):
        assert child[key] == parent[key], key
