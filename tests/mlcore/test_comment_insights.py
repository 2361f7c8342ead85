"""Comment insights (issue 19): representative comments, emerging themes, eNPS drivers and
'needs attention' flags, on plain arrays and with the real base encoder."""

from __future__ import annotations

import numpy as np
import pytest

from bench.attention_eval import DEFAULT_DATA, evaluate, load
from mlcore.sentiment.attention import attention_flags, matches
from mlcore.sentiment.insights import (
    embed,
    emerging_themes,
    enps_driver,
    key_phrases,
    representative,
)


def _around(direction: np.ndarray, n: int, spread: float, rng) -> np.ndarray:
    return direction + spread * rng.standard_normal((n, direction.shape[0]))


def test_representative_takes_the_most_central_first_then_a_different_one():

    vectors = np.array(
        [
            [0.0, 1.0, 0.0],  # an outlier
            [1.0, 0.1, 0.0],  # central
            [1.0, 0.1, 0.0],  # the same words again
            [1.0, -0.3, 0.2],  # central-ish, different
            [1.0, 0.0, 0.5],
        ]
    )
    picked = representative(vectors, count=3)
    assert picked[0] in (1, 2)
    assert not {1, 2} <= set(picked[:2]), "the near-duplicate is not the second pick"
    assert 0 not in picked
    assert representative(vectors, count=10) == representative(vectors, count=10)
    assert sorted(representative(vectors, count=10)) == [0, 1, 2, 3, 4]
    assert representative(np.zeros((0, 3)), count=3) == []


def test_themes_find_a_cluster_no_fixed_topic_covers_and_name_it():
    rng = np.random.default_rng(0)
    dim = 32
    parking, pay = np.eye(dim)[0], np.eye(dim)[1]
    vectors = np.vstack([_around(parking, 6, 0.05, rng), _around(pay, 6, 0.05, rng)])
    texts = [f"the car park is full by eight, parking spaces gone {i}" for i in range(6)]
    texts += [f"pay is low and the raise was small {i}" for i in range(6)]
    topics = [[] for _ in range(6)] + [["pay_benefits"]] * 6
    themes = emerging_themes(vectors, texts, topics, min_size=5)
    assert len(themes) == 1  # pay is the fixed topic "pay_benefits": not emerging
    theme = themes[0]
    assert theme.members == tuple(range(6))
    assert any("park" in p for p in theme.phrases)
    assert theme.nearest_topic is None
    # Five comments needed: four of them make no theme.
    assert emerging_themes(vectors[:4], texts[:4], topics[:4], min_size=5) == []


def test_key_phrases_need_two_comments_of_the_cluster():
    texts = ["parking is impossible", "parking again impossible", "my unique zebra story"]
    phrases = key_phrases(texts, [0, 0, 0])
    assert "zebra" not in " ".join(phrases[0])
    assert any("parking" in p for p in phrases[0])


def test_enps_driver_finds_a_strong_positive_item_and_an_unrelated_one():
    rng = np.random.default_rng(1)
    enps = rng.integers(0, 11, size=60)
    related = np.clip(np.round(enps / 2.5) + 1, 1, 5)
    unrelated = rng.integers(1, 6, size=60)
    strong = enps_driver(related, enps)
    weak = enps_driver(unrelated, enps)
    assert strong is not None and weak is not None
    assert strong.rho > 0.9 and strong.low > 0.8 and strong.low <= strong.rho <= strong.high
    assert weak.low < 0 < weak.high
    assert strong.n == 60
    assert enps_driver(related, enps) == strong  # seeded: the same page reads the same


def test_enps_driver_needs_variation_and_pairs():
    assert enps_driver([3, 3, 3, 3], [1, 5, 9, 10]) is None
    assert enps_driver([1, 2], [3, 4]) is None
    with pytest.raises(ValueError, match="one eNPS answer per Likert answer"):
        enps_driver([1, 2, 3], [1, 2])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My manager yells at me every day.", ["harassment"]),
        ("I have never been harassed here.", []),
        ("No safety issues at all.", []),
        ("No raise this year, and I was harassed by a client.", ["harassment"]),
        ("I think about suicide because of work.", ["self_harm"]),
        ("They only promote men.", ["discrimination"]),
        ("The emergency exit is locked at night.", ["safety"]),
        ("Great team, good pay.", []),
    ],
)
def test_attention_flags(text, expected):
    assert attention_flags(text) == expected


def test_a_flag_says_which_words_raised_it():
    (flag,) = matches("Honestly, they bullied me.")
    assert flag.category == "harassment" and flag.phrase == "bullied"


def test_flags_on_the_labelled_set_stay_above_their_measured_floor():
    """The figures in docs/sentiment.md (python -m bench.attention_eval): a change that
    loses recall or precision fails here."""
    table = evaluate(load(DEFAULT_DATA))
    assert table["all"]["precision"] >= 0.85
    assert table["all"]["recall"] >= 0.70
    assert table["self_harm"]["recall"] >= 0.85


def test_embed_uses_the_base_encoder_and_places_paraphrases_close():
    vectors = embed(
        [
            "The car park is always full.",
            "There are never enough parking spaces.",
            "My manager is great.",
        ]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


PARKING = [
    "There is never anywhere to park after 8:30.",
    "The car park is full every morning.",
    "Parking spaces are too few for the number of staff.",
    "I spend 20 minutes looking for a parking spot.",
    "We need more parking near the office.",
    "Finding a place to park is a daily struggle.",
]
OTHERS = [
    "My team is supportive and I always get help when I am stuck.",
    "Salaries have not kept up with the market and several people have left.",
    "Too many meetings, I barely have time for focused work.",
    "On-call is exhausting and most of the alerts are noise.",
    "Promotions feel random; nobody could tell me what I need to do to get one.",
    "The new laptop policy made a real difference, builds are much faster now.",
    "Decisions are made in private channels and we hear about them last.",
    "The mentoring programme helped me grow into a senior role.",
    "The expense tool is painful and reimbursements take weeks.",
    "Team lunches and hack days keep morale high.",
]


def test_real_paraphrases_make_one_theme_and_unrelated_comments_none():
    """The distance threshold on real embeddings (docs/sentiment.md): six differently worded
    parking complaints among ten unrelated comments are one theme, named by its words."""
    texts = OTHERS + PARKING
    themes = emerging_themes(embed(texts), texts, [[] for _ in texts], min_size=5)
    assert len(themes) == 1
    assert set(themes[0].members) == set(range(len(OTHERS), len(texts)))
    assert any("park" in p for p in themes[0].phrases)


def test_driver_matches_scipy_spearman_on_ties_and_on_fractions():
    from scipy.stats import spearmanr

    rng = np.random.default_rng(3)
    enps = rng.integers(0, 11, size=200)
    likert = np.clip(enps // 2 + rng.integers(-1, 2, size=200), 1, 5)
    found = enps_driver(likert, enps)
    assert found is not None
    assert found.rho == pytest.approx(spearmanr(likert, enps).statistic, abs=1e-9)
    fractions = likert + rng.random(200) / 10  # not whole numbers: the general path
    assert enps_driver(fractions, enps).rho == pytest.approx(
        spearmanr(fractions, enps).statistic, abs=1e-9
    )
