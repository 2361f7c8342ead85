"""Counterfactual fairness: swapping names and pronouns barely moves a fit score.

A fixed sample of held-out resumes × 2 held-out jobs, each in 8 variants (male/female ×
four groups of ethnically associated names), scored with the real active fit model. The
ceiling is the issue's goal: mean |Δ| ≤ 1 and max |Δ| ≤ 5 on the 0-100 scale.
"""

from __future__ import annotations

import pytest

from bench.fit_counterfactual import NAMES, measure, sample, variants

pytestmark = pytest.mark.slow

MEAN_CEILING = 1.0
MAX_CEILING = 5.0


@pytest.fixture(scope="module")
def fit_model():
    from mlcore.matching import get_fit_model

    return get_fit_model()


def test_variants_differ_only_in_who_the_person_is():
    text = "Led the data team. He mentored two analysts and his dashboards run daily."
    out = variants(text, 0)
    assert len(out) == len(NAMES) == 8
    by = {(v.gender, v.group): v.text for v in out}
    assert "Emily Kelly" in by["female", "white"] and "Jamal Washington" in by["male", "black"]
    assert "She mentored two analysts and her dashboards" in by["female", "asian"]
    assert "He mentored two analysts and his dashboards" in by["male", "hispanic"]
    # Everything after the header is the same resume.
    bodies = {t.split("\n\n", 1)[1].replace("She", "He").replace("her", "his") for t in by.values()}
    assert len(bodies) == 1


def test_name_and_pronoun_swaps_move_scores_less_than_the_ceiling(fit_model):
    pairs = sample(3, 2)
    assert len(pairs) == 6
    changes, texts = measure(fit_model, pairs)
    assert texts == 6 * 8
    mean = sum(changes.any) / len(changes.any)
    assert mean <= MEAN_CEILING, f"mean |Δ| {mean:.3f}"
    assert max(changes.any) <= MAX_CEILING, f"max |Δ| {max(changes.any):.3f}"
    assert max(changes.ethnicity) <= MAX_CEILING and max(changes.gender) <= MAX_CEILING


def test_the_check_can_see_a_change(fit_model):
    """Without masking the same variants do move: the measurement is not blind."""
    changes, _ = measure(fit_model, sample(3, 2), masked=False)
    assert max(changes.any) > MAX_CEILING
