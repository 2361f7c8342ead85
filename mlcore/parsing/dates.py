"""Date ranges in resumes ("June 2018 - Present", "2012 – 2017", "05/2019 to 03/2021")."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
DATE = (
    rf"(?:{_MONTH}[\s,']*{_YEAR}|(?:0?[1-9]|1[0-2])[/.-]{_YEAR}"
    rf"|{_YEAR}[/.-](?:0[1-9]|1[0-2])\b|{_YEAR})"
)
PRESENT = r"(?:present|current(?:ly)?|now|today|till\s+date|to\s+date|ongoing|date)"
RANGE = re.compile(
    rf"(?<![\w/])(?P<start>{DATE})\s*(?:-+|–|—|to|until|till|through|~)\s*"
    rf"(?P<end>{DATE}|{PRESENT})(?![\w/])",
    re.IGNORECASE,
)
SINGLE = re.compile(rf"(?<![\w/]){DATE}(?![\w/])", re.IGNORECASE)
YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
# A range split over two lines by the layout: "2017 –" then "Present".
DANGLING_START = re.compile(rf"(?:{DATE})\s*(?:-+|–|—|to)\s*$", re.IGNORECASE)
LEADING_END = re.compile(rf"^\s*(?:{DATE}|{PRESENT})\b", re.IGNORECASE)


def parse_month(raw: str) -> str | None:
    """ "June 2020" -> "2020-06"; a bare year gives month 01. None when it is not a date."""
    value = raw.strip().lower().replace("sept", "sep").replace("'", " ").replace(",", " ")
    numeric = re.fullmatch(r"(\d{1,2})[/.-](\d{4})|(\d{4})[/.-](\d{1,2})", value)
    if numeric:
        month, year = (numeric.group(1), numeric.group(2)) if numeric.group(1) else (
            numeric.group(4), numeric.group(3))  # fmt: skip
        return f"{int(year):04d}-{int(month):02d}"
    if re.fullmatch(r"\d{4}", value):
        return f"{value}-01"
    try:
        parsed = date_parser.parse(value, default=dt.datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    return f"{parsed.year:04d}-{parsed.month:02d}"


def parse_end(raw: str) -> str | None:
    if re.fullmatch(PRESENT, raw.strip(), re.IGNORECASE):
        return "present"
    return parse_month(raw)


def month_index(value: str, today: dt.date) -> int:
    if value == "present":
        return today.year * 12 + today.month - 1
    year, month = value.split("-")
    return int(year) * 12 + int(month) - 1


def total_years(ranges: list[tuple[str, str]], today: dt.date | None = None) -> float | None:
    """Years covered by the ranges, counting overlapping months once."""
    today = today or dt.date.today()
    spans = sorted(
        (month_index(start, today), month_index(end, today))
        for start, end in ranges
        if month_index(end, today) >= month_index(start, today)
    )
    if not spans:
        return None
    months = 0
    cur_start, cur_end = spans[0]
    for start, end in spans[1:]:
        if start <= cur_end:
            cur_end = max(cur_end, end)
        else:
            months += cur_end - cur_start
            cur_start, cur_end = start, end
    months += cur_end - cur_start
    return round(months / 12, 1)
