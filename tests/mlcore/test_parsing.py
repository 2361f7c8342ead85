"""parse_resume on real resume files and on small texts that pin down each rule."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from conftest import make_pdf
from mlcore.parsing import (
    PARSER_VERSION,
    EducationEntry,
    ExperienceEntry,
    ParsedResume,
    detect_content_type,
    parse_resume,
)
from mlcore.parsing.nlp import get_nlp
from mlcore.parsing.skills import TAXONOMY_PATH, find_skills, load_taxonomy

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CLI_KEYS = [
    "file", "status", "error", "name", "email", "phone", "location", "links", "skills",
    "experience", "education", "years_experience", "text_chars", "parser_version",
    "ocr", "ocr_confidence", "needs_check",
]  # fmt: skip
TODAY = dt.date(2025, 1, 1)


def test_spacy_is_loaded_once(nlp):
    assert get_nlp() is nlp
    assert "ner" in nlp.pipe_names
    assert "parser" not in nlp.pipe_names  # disabled: the parser only reads entities


def test_content_type_comes_from_content_not_name(data_dir):
    pdf = (data_dir / "resume_files/pdf/john_doe.pdf").read_bytes()
    docx = (data_dir / "resume_files/docx/hr_helper_sample_resume.docx").read_bytes()
    txt = (data_dir / "resume_files/txt/hr_helper_sample_resume.txt").read_bytes()
    assert detect_content_type(pdf, "resume.docx") == "application/pdf"
    assert detect_content_type(docx, "resume.txt") == DOCX
    assert detect_content_type(txt, "resume.pdf") == "text/plain"
    assert detect_content_type(b"\x89PNG\r\n\x1a\n" + bytes(200), "resume.pdf") is None
    assert parse_resume(txt, "resume.pdf").content_type == "text/plain"


def test_real_pdf_fields(data_dir):
    data = (data_dir / "resume_files/pdf/john_doe.pdf").read_bytes()
    result = parse_resume(data, "john_doe.pdf", today=TODAY)
    assert result.status == "parsed" and result.error is None
    assert result.content_type == "application/pdf" and result.pages == 2
    assert result.parser_version == PARSER_VERSION
    assert result.name == "John Doe"
    assert result.email == "john.doe@email.com"
    assert result.phone == "+11234567890"
    assert "linkedin.com/in/johndoe" in result.links and "github.com/johndoe" in result.links
    assert {"Java", "Angular", "Spring Boot", "MySQL", "MongoDB", "Docker"} <= set(result.skills)
    assert result.experience[0] == ExperienceEntry(
        title="Full Stack Java Developer",
        employer="ABC Company, Inc.",
        start="2018-06",
        end="present",
    )
    assert result.experience[1].start == "2016-07" and result.experience[1].end == "2018-06"
    assert result.education == [
        EducationEntry("Bachelor of Science in Computer Science", "State University", 2016)
    ]
    # June 2016 -> Jan 2025 with the two jobs touching, not overlapping: 8.5 years
    assert result.years_experience == 8.5
    assert {"experience", "education", "skills", "summary"} <= set(result.sections)


def test_two_column_pdf_keeps_columns_apart(data_dir):
    data = (data_dir / "resume_files/pdf/senior-backend-developer.pdf").read_bytes()
    result = parse_resume(data, "senior-backend-developer.pdf")
    assert result.status == "parsed"
    text = result.text
    # The left column (skills) must not be interleaved with the right one (experience).
    assert text.index("Communication") < text.index("Certified Scrum Master")
    assert text.index("Certified Scrum Master") < text.index("Highly experienced")
    assert text.index("Highly experienced") < text.index("EXPERIENCE") < text.index("PROJECTS")
    assert "SENIOR BACKEND DEVELOPER" in text  # letter-spaced heading put back together
    titles = [(e.title, e.employer, e.start, e.end) for e in result.experience]
    assert titles[:2] == [
        ("Senior Backend Developer", "Microsoft", "2018-01", "present"),
        ("Backend Developer", "Google", "2015-01", "2017-12"),
    ]


def test_generated_two_column_pdf_reads_column_by_column():
    left = [(40, 700 - 14 * i, f"Left line {i}") for i in range(10)]
    right = [(330, 700 - 14 * i, f"Right line {i}") for i in range(10)]
    result = parse_resume(make_pdf([left + right]), "two.pdf")
    lines = [line for line in result.text.split("\n") if line.strip()]
    assert lines.index("Left line 9") < lines.index("Right line 0")


def test_docx_paragraphs_tables_and_header(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "maria.lopez@example.org | +44 20 7946 0958"
    document.add_heading("Maria Lopez", level=1)
    document.add_paragraph("Experience")
    table = document.add_table(rows=2, cols=3)
    table.rows[0].cells[0].text = "Data Engineer"
    table.rows[0].cells[1].text = "Monzo"
    table.rows[0].cells[2].text = "Mar 2020 - Present"
    table.rows[1].cells[0].text = "Analyst"
    table.rows[1].cells[1].text = "Barclays"
    table.rows[1].cells[2].text = "Sep 2017 - Feb 2020"
    document.add_paragraph("Skills")
    document.add_paragraph("Postgres, JS, Apache Airflow, dbt")
    buffer = io.BytesIO()
    document.save(buffer)
    result = parse_resume(buffer.getvalue(), "maria.docx", today=TODAY)
    assert result.status == "parsed" and result.content_type == DOCX
    assert result.email == "maria.lopez@example.org"
    assert result.phone == "+442079460958"
    assert result.name == "Maria Lopez"
    assert [(e.title, e.employer, e.start, e.end) for e in result.experience] == [
        ("Data Engineer", "Monzo", "2020-03", "present"),
        ("Analyst", "Barclays", "2017-09", "2020-02"),
    ]
    assert {"PostgreSQL", "JavaScript"} <= set(result.skills)


def test_synonyms_map_to_one_canonical_skill(nlp):
    skills = find_skills("Stack: JS, javascript, Postgres, PostgreSQL, k8s, ReactJS and React.js")
    assert skills == ["JavaScript", "PostgreSQL", "Kubernetes", "React"]


def test_short_and_everyday_skill_words_need_their_case(nlp):
    assert find_skills("Go, R and C") == ["Go", "R", "C"]
    assert find_skills("we go to the park, r and c are letters") == []
    assert "SAN" not in find_skills("John Doe, San Francisco")


def test_taxonomy_is_small_and_credited():
    assert TAXONOMY_PATH.stat().st_size < 1024 * 1024
    taxonomy = load_taxonomy()
    assert "O*NET" in taxonomy["credit"] and "CC BY 4.0" in taxonomy["credit"]
    skills = taxonomy["skills"]
    assert len(skills) > 1000
    for junk in ("Facebook", "Web browser", "Email", "Word processing", "Spreadsheet"):
        assert junk not in skills


def test_overlapping_jobs_are_counted_once():
    text = "\n".join(
        [
            "Sam Carter",
            "Experience",
            "Senior Engineer, Initech, Jan 2018 - Dec 2020",
            "Consultant, Globex, Jan 2019 - Dec 2019",
            "Engineer, Hooli, Jan 2015 - Dec 2016",
        ]
    )
    result = parse_resume(text.encode(), "cv.txt", today=TODAY)
    assert len(result.experience) == 3
    # 2018-01..2020-12 (35 months, Globex inside it) + 2015-01..2016-12 (23 months) = 58
    assert result.years_experience == round(58 / 12, 1)


def test_date_column_before_headers_is_paired_in_order(data_dir):
    data = (data_dir / "resume_files/pdf/bruce_wayne_fullstack.pdf").read_bytes()
    result = parse_resume(data, "bruce.pdf")
    assert [(e.employer, e.start, e.end) for e in result.experience] == [
        ("OpenAI", "2020-06", "present"),
        ("Uber", "2015-07", "2020-05"),
        ("Facebook", "2012-06", "2015-06"),
    ]


def test_to_json_dict_has_exactly_the_cli_shape(data_dir):
    data = (data_dir / "resume_files/docx/hr_helper_sample_resume.docx").read_bytes()
    result = parse_resume(data, "cv.docx")
    assert isinstance(result, ParsedResume)
    item = result.to_json_dict("cv.docx")
    assert list(item) == CLI_KEYS
    assert item["text_chars"] == len(result.text) > 0
    assert item["experience"][0] == {
        "title": "Senior Data Scientist",
        "employer": "DataCo",
        "start": "2022-01",
        "end": "present",
    }
    assert item["education"][0]["year"] == 2020
    json.dumps(item)  # JSON-serialisable as it is
    failed = parse_resume(b"", "x.pdf").to_json_dict("x.pdf")
    assert list(failed) == CLI_KEYS
    assert failed["links"] == [] and failed["skills"] == [] and failed["name"] is None
