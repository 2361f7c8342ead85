"""Skills-section items: kept verbatim when unknown, aliases normalised, sentences rejected."""

from __future__ import annotations

import pytest

from mlcore.parsing import canonical_skill, parse_resume, same_skill
from mlcore.parsing.skills import find_skills, listed_skills, matched_and_missing, section_items

NON_IT = """Jane Roe
Skills
Excel, MS Office, customer service, cash handling, receptionist, data entry,
time management, HTML5, REST, Oracle, Photoshop, Navision, pivot tables,
microscopy, spectroscopy
Experience
Cashier, Corner Shop, 2019 - 2021
"""


@pytest.mark.usefixtures("nlp")
def test_non_it_skills_of_the_issue_are_found():
    skills = parse_resume(NON_IT.encode(), "cv.txt").skills
    for expected in [
        "Microsoft Excel", "Microsoft Office", "Customer service", "Cash handling", "Reception",
        "Data entry", "Time management", "HTML", "REST APIs", "Oracle Database",
        "Adobe Photoshop", "Microsoft Dynamics NAV", "Pivot tables", "Microscopy",
        "Spectroscopy",
    ]:  # fmt: skip
        assert expected in skills, expected


def test_unknown_items_are_kept_as_written_and_tidied():
    section = "• Forklift-free pallet wrapping\n• Kosher kitchen rules.\n• kosher kitchen rules\n"
    assert listed_skills(section) == ["Forklift-free pallet wrapping", "Kosher kitchen rules"]


def test_aliases_give_one_canonical_name():
    assert listed_skills("MS Excel, Microsoft Excel, Excel, MS-Excel") == ["Microsoft Excel"]
    assert canonical_skill("Apache Spark") == canonical_skill("Spark")
    assert same_skill("MS Excel", "excel")
    assert same_skill("Strong communication skills", "Communication")
    assert not same_skill("Java", "JavaScript")
    assert canonical_skill("  Kosher kitchen rules. ") == "Kosher kitchen rules"


def test_sentences_and_fragments_are_not_skills():
    section = (
        "Responsible for greeting every guest and making sure that each of them left the "
        "store with a smile and a receipt\n"
        "I am a hard worker who loves people\n"
        "Welding, 2019, com, www.example.com, jane@example.com\n"
    )
    assert section_items(section) == ["Welding"]


def test_separators_labels_and_columns():
    section = (
        "Languages: Python, Java; Go | Rust\n"
        "Microsoft Office: Word, Excel, Access and PowerPoint\n"
        "Inventory control                    Conflict resolution\n"
        "Exceptional time management\n"
        "skills\n"
        "Typing (50 words a minute)\n"
    )
    assert listed_skills(section) == [
        "Python", "Java", "Go", "Rust", "Microsoft Office", "Microsoft Word", "Microsoft Excel",
        "Microsoft Access", "Microsoft PowerPoint", "Inventory management",
        "Conflict resolution", "Time management", "Typing",
    ]  # fmt: skip


def test_wrapped_comma_list_is_put_back_together():
    width = "Accounts payable, Payroll, General ledger, Bookkeeping, Invoicing, Customer"
    section = f"{width}\nService Skills, Data entry, Cash handling"
    assert "Customer service" in listed_skills(section)


@pytest.mark.usefixtures("nlp")
def test_soft_skills_count_only_inside_a_skills_section():
    prose = "Summary\nI enjoy sales and leadership and worked in shipping."
    assert "Sales" not in find_skills(prose) and "Leadership" not in find_skills(prose)
    listed = "Skills\nSales, Leadership, Shipping"
    assert {"Sales", "Leadership", "Shipping and receiving"} <= set(find_skills(listed))
    # Multi-word everyday skills are found in running text too.
    assert "Cash handling" in find_skills("Summary\nHandled cash handling and data entry.")


def test_matched_and_missing_compare_by_alias():
    matched, missing = matched_and_missing(
        ["Apache Spark", "MS Excel", "Kubernetes"], ["Spark", "Excel"]
    )
    assert matched == ["Apache Spark", "MS Excel"] and missing == ["Kubernetes"]


@pytest.mark.usefixtures("nlp")
def test_cli_shape_keeps_skills_a_list_of_strings():
    row = parse_resume(NON_IT.encode(), "cv.txt").to_json_dict("cv.txt")
    assert isinstance(row["skills"], list) and all(isinstance(s, str) for s in row["skills"])
