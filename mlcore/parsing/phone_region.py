"""Which country a resume's national phone numbers belong to, read from the resume itself.

A number written without its country code ("07700 900 125") can only be read with a region.
The resume says which, most of the time: a country or city on the address line, another
number written with its +code, or a number only one country's plan accepts. The deployment's
PHONE_DEFAULT_REGION is the last guess, not the first: a UK CV sent to a US company is still
a UK CV.
"""

from __future__ import annotations

import functools
import re

import phonenumbers
from phonenumbers import geocoder

# Country names that are also US states or places, read as the US place.
_AMBIGUOUS_NAMES = frozenset({"georgia", "jersey"})

# Other ways people write a country (the names themselves come from libphonenumber).
_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "united states of america": "US",
    "deutschland": "DE",
    "españa": "ES",
    "italia": "IT",
    "nederland": "NL",
    "the netherlands": "NL",
    "holland": "NL",
    "schweiz": "CH",
    "suisse": "CH",
    "österreich": "AT",
    "uae": "AE",
    "prc": "CN",
    "hong kong sar": "HK",
    "south korea": "KR",
    "republic of ireland": "IE",
    "éire": "IE",
}

# Large cities, for address lines that name a city and no country.
_CITIES: dict[str, tuple[str, ...]] = {
    "GB": (
        "london",
        "manchester",
        "birmingham",
        "leeds",
        "glasgow",
        "edinburgh",
        "liverpool",
        "bristol",
        "sheffield",
        "cardiff",
        "belfast",
        "nottingham",
        "leicester",
        "newcastle",
        "southampton",
        "brighton",
        "cambridge",
        "oxford",
        "coventry",
        "aberdeen",
    ),
    "IE": (
        "dublin",
        "cork",
        "galway",
        "limerick",
        "waterford",
    ),
    "IN": (
        "mumbai",
        "delhi",
        "new delhi",
        "bangalore",
        "bengaluru",
        "chennai",
        "hyderabad",
        "pune",
        "kolkata",
        "ahmedabad",
        "noida",
        "gurgaon",
        "gurugram",
        "jaipur",
        "kochi",
        "lucknow",
        "chandigarh",
    ),
    "DE": (
        "berlin",
        "munich",
        "münchen",
        "hamburg",
        "frankfurt",
        "cologne",
        "köln",
        "stuttgart",
        "düsseldorf",
        "leipzig",
        "dresden",
    ),
    "FR": (
        "paris",
        "lyon",
        "marseille",
        "toulouse",
        "nantes",
        "lille",
        "bordeaux",
        "strasbourg",
    ),
    "AU": (
        "sydney",
        "melbourne",
        "brisbane",
        "perth",
        "adelaide",
        "canberra",
        "hobart",
    ),
    "CN": (
        "beijing",
        "shanghai",
        "shenzhen",
        "guangzhou",
        "hangzhou",
        "chengdu",
        "wuhan",
        "nanjing",
    ),
    "CA": (
        "toronto",
        "vancouver",
        "montreal",
        "montréal",
        "calgary",
        "ottawa",
        "edmonton",
        "winnipeg",
    ),
    "NZ": (
        "auckland",
        "wellington",
        "christchurch",
    ),
    "SG": ("singapore",),
    "ZA": (
        "johannesburg",
        "cape town",
        "durban",
        "pretoria",
    ),
    "NG": (
        "lagos",
        "abuja",
    ),
    "KE": ("nairobi",),
    "PK": (
        "karachi",
        "lahore",
        "islamabad",
    ),
    "PH": (
        "manila",
        "cebu",
    ),
    "AE": (
        "dubai",
        "abu dhabi",
    ),
    "NL": (
        "amsterdam",
        "rotterdam",
        "utrecht",
        "eindhoven",
    ),
    "ES": (
        "madrid",
        "barcelona",
        "valencia",
        "seville",
    ),
    "IT": (
        "rome",
        "milan",
        "milano",
        "turin",
        "naples",
    ),
}

_US_STATES = frozenset(
    {
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    }
)
_CA_PROVINCES = frozenset(
    {"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"}
)
# "Austin, TX 78701" / "Toronto, ON M5V 2T6": a place, a comma, a two-letter code.
_STATE_CODE = re.compile(r",\s*([A-Z]{2})\b(?:\s+[0-9A-Z]{3,})?")
_PLUS_CODE = re.compile(r"(?<![\w+])\+\s?(\d{1,3})[\s.\-()]*\d")

# Regions tried when the resume gives no hint and the default reads nothing: the countries
# most CVs in English come from. Only valid numbers are taken from these.
FALLBACK_REGIONS = ("GB", "IN", "IE", "AU", "CA", "DE", "FR", "CN", "NZ", "ZA", "SG")


@functools.cache
def _countries() -> dict[str, str]:
    names: dict[str, str] = {}
    for region in phonenumbers.SUPPORTED_REGIONS:
        example = phonenumbers.example_number(region)
        name = geocoder.country_name_for_number(example, "en") if example else ""
        if name and name.lower() not in _AMBIGUOUS_NAMES:
            names[name.lower()] = region
    names.update(_ALIASES)
    return names


@functools.cache
def _cities() -> dict[str, str]:
    return {city: region for region, cities in _CITIES.items() for city in cities}


@functools.cache
def _place_pattern() -> re.Pattern[str]:
    """Country names in any case ("UK", "india"); cities only capitalised, so that words like
    "Cork" or "Perth" count as places only where they are written as names. A name inside a
    longer one ("New York", "New South Wales") is not matched on its own."""
    countries = "|".join(re.escape(n) for n in sorted(_countries(), key=len, reverse=True))
    cities = "|".join(
        re.escape(c[:1].upper()) + "(?i:" + re.escape(c[1:]) + ")"
        for c in sorted(_cities(), key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w])(?<!New )((?i:{countries})|{cities})(?![\w])")


def place_pattern() -> re.Pattern[str]:
    """Country names and large cities (the pattern `region_hints` reads places with)."""
    return _place_pattern()


def region_hints(text: str) -> list[str]:
    """Regions the text points at, strongest first: numbers written with a +code, then
    "City, ST" codes, then country and city names (in the order they appear)."""
    hints: list[str] = []

    def add(region: str | None) -> None:
        if region and region != "ZZ" and region not in hints:
            hints.append(region)

    for match in _PLUS_CODE.finditer(text):
        code = int(match.group(1))
        regions = phonenumbers.region_codes_for_country_code(code)
        # +1 and +7 span several regions; the first is the main one (US, RU).
        add(regions[0] if regions else None)
    for match in _STATE_CODE.finditer(text):
        state = match.group(1)
        add("US" if state in _US_STATES else "CA" if state in _CA_PROVINCES else None)
    places = {**_cities(), **_countries()}
    for match in _place_pattern().finditer(text):
        add(places.get(match.group(1).lower()))
    return hints


def candidate_regions(text: str, default: str | None) -> tuple[list[str], int]:
    """The regions to read national numbers in, in order, and how many of them to trust:
    the resume's hints and the default region are trusted, the fallback list is a guess."""
    regions = region_hints(text)
    if default and default.upper() not in regions:
        regions.append(default.upper())
    trusted = len(regions)
    regions += [r for r in FALLBACK_REGIONS if r not in regions]
    return regions, trusted
