"""Split resume text into named sections (summary, experience, education, skills, ...)."""

from __future__ import annotations

import re

# Heading words people use, mapped to one section name each. Keys are lower-case with
# punctuation removed; a line is a heading when all of it is one of these.
HEADINGS: dict[str, str] = {}
_VOCAB = {
    "summary": [
        "summary", "professional summary", "profile", "professional profile", "objective",
        "career objective", "about me", "about", "career summary", "executive summary",
        "personal statement", "overview", "career profile", "introduction",
    ],
    "experience": [
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "relevant experience",
        "experience details", "company details", "professional background",
        "work experience details", "internships", "internship", "industrial experience",
    ],
    "education": [
        "education", "education details", "academic background", "academics",
        "educational qualification", "educational qualifications", "academic qualifications",
        "academic qualification", "qualifications", "education and training",
        "academic details", "scholastic profile",
    ],
    "skills": [
        "skills", "technical skills", "key skills", "skill details", "core skills",
        "core competencies", "competencies", "computer skills", "it skills", "skill set",
        "skillset", "technologies", "technical proficiency", "computer proficiency",
        "tools", "tools and technologies", "areas of expertise", "expertise",
        "technical expertise", "software skills", "skills summary", "technical summary",
        # LiveCareer-style and other common skills-list headings
        "skill highlights", "highlights", "core qualifications", "core strengths",
        "key competencies", "professional skills", "skills and abilities",
        "skills and competencies", "relevant skills", "additional skills", "soft skills",
        "technical competencies", "summary of skills", "skills profile", "specialties",
        "proficiencies", "personal skills", "key qualifications", "areas of strength",
        "computer knowledge", "software", "software proficiency", "skills and expertise",
    ],
    "projects": ["projects", "project details", "personal projects", "academic projects",
                 "key projects", "project profile"],
    "certifications": ["certifications", "certificates", "certification", "licenses",
                       "licenses and certifications", "courses", "training", "trainings"],
    "languages": ["languages", "language skills", "languages known"],
    "awards": ["awards", "achievements", "honors", "honours", "awards and achievements",
               "accomplishments"],
    "publications": ["publications", "research"],
    "interests": ["interests", "hobbies", "hobbies and interests", "extracurricular activities",
                  "activities"],
    "contact": ["contact", "contact information", "contact details", "personal details",
                "personal information", "personal profile"],
    "references": ["references"],
    "volunteering": ["volunteering", "volunteer experience"],
    "strengths": ["strengths", "key strengths"],
}  # fmt: skip
for _name, _words in _VOCAB.items():
    for _word in _words:
        HEADINGS[_word] = _name

# Some exports glue a heading to the end of the previous line ("...12 monthsCompany Details").
_GLUED = re.compile(r"(?<=\S)\s*(Education Details|Company Details|Skill Details)\s*$")
_PUNCT = re.compile(r"[^a-z ]+")


def heading_of(line: str) -> str | None:
    """The section a heading line opens, or None when the line is not a heading."""
    stripped = line.strip().strip(":").strip()
    if not stripped or len(stripped) > 40:
        return None
    key = _PUNCT.sub(" ", stripped.lower().replace("&", " and "))
    key = " ".join(key.split())
    return HEADINGS.get(key)


def split_lines(text: str) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        match = _GLUED.search(line)
        if match and match.start() > 0:
            out.extend([line[: match.start()], match.group(1)])
        else:
            out.append(line)
    return out


def split_sections(text: str) -> dict[str, str]:
    """Section name -> its text. Lines before the first heading go to "header".

    A heading that appears twice (two "Experience" blocks) has both bodies joined.
    """
    sections: dict[str, list[str]] = {"header": []}
    current = "header"
    for line in split_lines(text):
        name = heading_of(line)
        # "Key skills: Python, SQL" is a heading with its body on the same line.
        if name is None and ":" in line[:40]:
            head, _, rest = line.partition(":")
            inline = heading_of(head)
            if inline is not None and rest.strip():
                current = inline
                sections.setdefault(current, []).append(rest.strip())
                continue
        if name is not None:
            current = name
            sections.setdefault(current, [])
            continue
        sections[current].append(line)
    return {k: "\n".join(v).strip() for k, v in sections.items() if "\n".join(v).strip()}
