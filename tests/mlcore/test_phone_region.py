"""Phone numbers written without a country code are read in the country the resume points at;
the deployment's default region is the last guess, not the first."""

from __future__ import annotations

import pytest

from mlcore.parsing.phone_region import candidate_regions, region_hints
from mlcore.parsing.resume import structure

# (where the resume says it is, the number as people there write it, E.164)
NATIONAL = [
    ("London, United Kingdom", "07700 900 125", "+447700900125"),
    ("Manchester", "0161 496 0000", "+441614960000"),
    ("Dublin 4, Ireland", "087 123 4567", "+353871234567"),
    ("Bengaluru, Karnataka", "098765 43210", "+919876543210"),
    ("Berlin, Deutschland", "030 12345678", "+493012345678"),
    ("Paris, France", "06 12 34 56 78", "+33612345678"),
    ("Sydney NSW 2000, Australia", "0412 345 678", "+61412345678"),
    ("Shanghai, China", "138 0013 8000", "+8613800138000"),
    ("Toronto, ON M5V 2T6", "(416) 555-0199", "+14165550199"),
    ("Austin, TX 78701", "(512) 555-0147", "+15125550147"),
]


def _resume(place: str, phone: str) -> str:
    return (
        f"Alex Morgan\n{place}\nalex.morgan@example.com | {phone}\n\n"
        "Experience\nAnalyst, Acme Ltd, 2019 - 2024\n"
    )


@pytest.mark.parametrize(("place", "phone", "e164"), NATIONAL)
def test_national_numbers_are_read_in_the_resumes_own_country(place, phone, e164):
    assert structure(_resume(place, phone), region="US").phone == e164


def test_another_number_with_its_code_points_at_the_country():
    text = "Sam Lee\nsam@example.com\nOffice +44 20 7946 0958 | Mobile 07700 900 461\n"
    assert region_hints(text)[0] == "GB"


def test_without_any_hint_the_default_region_comes_before_the_guesses():
    regions, trusted = candidate_regions("Sam Lee\nsam@example.com", "US")
    assert regions[0] == "US" and trusted == 1
    assert structure("Sam Lee\nsam@example.com | (202) 555-0147\n", region="US").phone == (
        "+12025550147"
    )


def test_a_number_only_another_country_accepts_is_still_found():
    # No place on the resume, a US default, and a UK mobile: the UK is a guess that fits.
    assert structure("Sam Lee\nsam@example.com | 07911 123456\n", region="US").phone == (
        "+447911123456"
    )


def test_new_york_is_not_read_as_india():
    assert region_hints("Jo Park\nNew York, NY 10001") == ["US"]
