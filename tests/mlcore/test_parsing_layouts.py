"""Experience and education across layouts (issue 18): rules only, no spaCy, no files."""

from __future__ import annotations

import pytest

from bench.parse_eval_render import date_text, render
from mlcore.parsing.education import is_institution_name, parse_education_section
from mlcore.parsing.experience import parse_experience_section


def _jobs(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(e.title, e.employer, e.start) for e in parse_experience_section(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # "Title – Company", dates on the next line
            "Paralegal – Harbour Legal Aid\nJanuary 2017 to Present\n• Drafted letters.",
            [("Paralegal", "Harbour Legal Aid", "2017-01")],
        ),
        (  # "Company | Title | years"
            "Brightwater Bank | Credit Analyst | 2017–now\n• Reviewed loans.\n"
            "Kestrel Labs | Line Cook | 2012–2016\n• Cooked.",
            [
                ("Credit Analyst", "Brightwater Bank", "2017-01"),
                ("Line Cook", "Kestrel Labs", "2012-01"),
            ],
        ),
        (  # dates first, then company line, then title line
            "Sept 2012 - Dec 2013\nOrchard Foods Ltd\nWarehouse Supervisor\n• Led a team.",
            [("Warehouse Supervisor", "Orchard Foods Ltd", "2012-09")],
        ),
        (  # title line, company line, numeric dates
            "Teaching Assistant\nHoly Cross Primary, Leeds\n03/2017 – 2019\n• Supported pupils.",
            [("Teaching Assistant", "Holy Cross Primary", "2017-03")],
        ),
        (  # a table: one job per row
            "Period   Position   Employer\n05/2019 to 03/2021   Barista   Bean There Cafe\n"
            "01/2016 to 04/2019   Cashier   Corner Mart",
            [("Barista", "Bean There Cafe", "2019-05"), ("Cashier", "Corner Mart", "2016-01")],
        ),
        (  # "Title at Company", dates in brackets
            "Data Analyst at Northwind Traders\n(2015 - 2018)\n• Built reports.",
            [("Data Analyst", "Northwind Traders", "2015-01")],
        ),
    ],
)
def test_experience_layouts(text, expected):
    assert _jobs(text) == expected


def test_title_without_a_head_word_takes_the_side_the_resume_uses():
    # The first entry says employers come first on the line; "Student Teaching" has no
    # title word, so only the layout tells which part is the title.
    text = (
        "Riverside Hospital | Staff Nurse | 2019–now\n• Cared for patients.\n"
        "Pinecrest Academy | Student Teaching | 2016–2018\n• Taught."
    )
    assert _jobs(text)[1] == ("Student Teaching", "Pinecrest Academy", "2016-01")


def test_descriptions_and_numbered_sentences_are_not_jobs():
    text = (
        "Sales Manager, Honda Cars\n2015 - Present\n"
        "1. Worked as an area sales manager at a dealership for 10 years\n"
        "and improved the responsiveness of applications. Successfully deployed them\n"
    )
    assert _jobs(text) == [("Sales Manager", "Honda Cars", "2015-01")]


def test_keyed_role_and_client_lines():
    text = "Duration: MAR 2017 - Till date\nClient: SpringerNature\nRole: ABAP Developer\n"
    assert _jobs(text) == [("ABAP Developer", "SpringerNature", "2017-03")]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Holy Trinity College", True),
        ("Monash", True),
        ("IIT Roorkee", True),
        ("English Literature", False),
        ("Computer Science and Engineering", False),
        ("GPA 3.8", False),
    ],
)
def test_institution_without_keyword(name, expected):
    assert is_institution_name(name) is expected


def test_education_school_above_or_below_the_degree():
    above = "Trinity College Dublin\nBA in English Literature (2014)\nSciences Po\nMA (2016)"
    below = "Bachelor of Science\nMonash — 2012\nMaster of Science\nEcole Polytechnique — 2014"
    assert [e.institution for e in parse_education_section(above)] == [
        "Trinity College Dublin",
        "Sciences Po",
    ]
    assert [e.institution for e in parse_education_section(below)] == [
        "Monash",
        "Ecole Polytechnique",
    ]
    assert [e.year for e in parse_education_section(below)] == [2012, 2014]


@pytest.mark.parametrize(
    ("style", "text", "start"),
    [
        ("long_to", "January 2017 to Present", "2017-01"),
        ("num_year", "03/2017 – Present", "2017-03"),
        ("years_now", "2017–now", "2017-01"),
        ("abbr", "Sept 2017 - Present", "2017-09"),
    ],
)
def test_rendered_date_styles_parse_back(style, text, start):
    rendered, label_start, label_end = date_text(style, (2017, 1 if style != "abbr" else 9), None)
    if style == "num_year":
        rendered, label_start, _ = date_text(style, (2017, 3), None)
    assert rendered == text
    assert label_end == "present"
    assert _jobs(f"Chef – Blue Door Bistro\n{rendered}")[0][2] == label_start == start


def test_renderer_makes_every_format_and_readable_labels():
    record = {
        "id": "x",
        "template": "t01",
        "format": "txt",
        "name": "Ana Lima",
        "email": "ana@example.com",
        "phone": "+14155550100",
        "phone_display": "(415) 555-0100",
        "location": "Austin, TX",
        "summary": "Cook meals.",
        "skills": ["Excel"],
        "jobs": [
            {
                "title": "Cook",
                "employer": "Diner Co",
                "city": "Austin",
                "start": [2018, 2],
                "end": None,
                "bullets": ["Cooked."],
            },
        ],
        "education": [{"degree": "BA", "institution": "Rice University", "year": 2016}],
    }
    for fmt, magic in (("pdf", b"%PDF-"), ("docx", b"PK"), ("txt", b"Ana Lima")):
        data, name, expected = render(record, "t06", fmt)
        assert data.startswith(magic) and name.endswith(fmt)
        assert expected["experience"][0]["start"] == "2018-01"  # "2018 - Present": year only


def test_wide_eval_set_is_wide_enough():
    from bench.parse_eval_render import HELD_OUT_TEMPLATES, load_records

    records = load_records()
    assert len(records) >= 150
    assert {r["format"] for r in records} == {"pdf", "docx", "txt"}
    assert len({r["template"] for r in records}) >= 8
    assert {r["template"] for r in records} >= HELD_OUT_TEMPLATES
    assert {"train", "test"} <= {r["source_split"] for r in records}
