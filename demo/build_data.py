"""Rebuild demo/data from ../shared/data (run by a developer, not by the app).

    python -m demo.build_data

Copies the Apache-2.0 resume PDFs and turns the Apache-2.0 job-description files into
demo/data/jobs.json. The structured fields (department, skills, years) are ours, read by
hand from each description. See demo/data/NOTICE for sources and licences.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
from pdfminer.high_level import extract_text

HERE = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "resume_files"

RESUMES = [
    "alfred_pennyworth_pm.pdf",
    "barry_allen_fe.pdf",
    "bruce_wayne_fullstack.pdf",
    "harvey_dent_mle.pdf",
    "john_doe.pdf",
]

# (source file, title, department, location, remote, required, preferred, min years)
JOBS = [
    (
        "jd_pdf/job_desc_front_end_engineer.pdf",
        "Front End Engineer",
        "Frontend",
        "San Francisco, CA, USA",
        "hybrid",
        ["JavaScript", "React", "HTML", "CSS"],
        ["Vue.js", "TypeScript", "Git"],
        2,
    ),
    (
        "jd_pdf/job_desc_full_stack_engineer.pdf",
        "Full Stack Engineer",
        "Backend",
        "San Francisco, CA, USA",
        "hybrid",
        ["JavaScript", "Node.js", "React", "SQL"],
        ["MongoDB", "AWS", "Docker"],
        3,
    ),
    (
        "jd_pdf/job_desc_java_developer.pdf",
        "Java Developer",
        "Backend",
        "San Francisco, CA, USA",
        "onsite",
        ["Java", "Spring", "SQL"],
        ["Hibernate", "Git", "Microservices"],
        3,
    ),
    (
        "jd_pdf/job_desc_product_manager.pdf",
        "Product Manager",
        "Product",
        "San Francisco, CA, USA",
        "hybrid",
        ["Product Management", "Agile"],
        ["Jira", "SQL", "Data Analysis"],
        5,
    ),
    (
        "jd_docx/Backend_Developer.docx",
        "Backend Developer (Python/Django)",
        "Backend",
        "Remote",
        "remote",
        ["Python", "Django", "REST APIs"],
        ["PostgreSQL", "NumPy", "Pandas", "WebSockets"],
        2,
    ),
    (
        "jd_docx/Data_Scientist.docx",
        "Data Scientist / ML Engineer",
        "Data",
        "Gurgaon, India",
        "remote",
        ["Python", "Machine Learning", "Statistics"],
        ["SQL", "Scikit-learn", "Data Visualization"],
        2,
    ),
    (
        "jd_docx/Senior_Product_Manager.docx",
        "Senior Product Manager",
        "Product",
        "Remote",
        "remote",
        ["Product Management", "Roadmapping"],
        ["Agile", "Analytics"],
        6,
    ),
    (
        "jd_docx/IT_Project_Manager.docx",
        "IT Project Manager",
        "Operations",
        "London, UK",
        "onsite",
        ["Project Management", "Agile"],
        ["Scrum", "Jira"],
        5,
    ),
]


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        raw = extract_text(str(path))
        raw = re.sub(r"-\n\n(?=[a-z])", "", raw)  # words split across lines by the PDF
    else:
        raw = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def main() -> None:
    (HERE / "resumes").mkdir(parents=True, exist_ok=True)
    for name in RESUMES:
        shutil.copyfile(SHARED / "pdf" / name, HERE / "resumes" / name)
    jobs = []
    for source, title, dept, location, remote, required, preferred, years in JOBS:
        jobs.append(
            {
                "external_id": "demo-" + Path(source).stem.lower(),
                "title": title,
                "department": dept,
                "location": location,
                "remote_policy": remote,
                "description": _text(SHARED / source),
                "required_skills": required,
                "preferred_skills": preferred,
                "min_years_experience": years,
                "source": f"srbhr/Resume-Matcher (Apache-2.0): {Path(source).name}",
            }
        )
    (HERE / "jobs.json").write_text(json.dumps(jobs, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(jobs)} jobs and {len(RESUMES)} resumes to {HERE}")


if __name__ == "__main__":
    main()
