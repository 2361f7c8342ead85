"""The 70/40 score bands are one rule (issue 16): recruiting.selectors.fit.score_band, which
the template filter calls."""

from __future__ import annotations

import pytest

from recruiting.selectors.fit import STRONG_FIT, WEAK_FIT, score_band
from recruiting.templatetags.fit import score_band as score_band_filter


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (None, "none"),
        (0, "low"),
        (39.9, "low"),
        (40, "mid"),
        (69.9, "mid"),
        (70, "high"),
        (100, "high"),
    ],
)
def test_bands(score, band):
    assert score_band(score) == band
    assert score_band_filter(score) == band


def test_the_thresholds_are_the_documented_ones():
    assert (STRONG_FIT, WEAK_FIT) == (70, 40)
