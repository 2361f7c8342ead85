"""Training and evaluation data for the fit model, built from ../shared/data.

Two sources of labelled job–resume fit:

* category pairs: 25 resume categories (resumes/) against jobs that fit each category:
  O*NET occupations (title, description, core tasks, technologies) and real postings
  (jobs/ IT postings, matching/ LinkedIn-style descriptions) whose title names the role.
  Many different resumes, so a model that ignores the resume cannot score well;
* the matching set: 512 job descriptions labelled relevant or not to ONE resume.

Splits are deterministic and grouped by text, so no text is on both sides.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

_HERE = Path(__file__).resolve().parent
CATEGORY_MAP = _HERE / "data" / "category_jobs.json"
MAX_POSTINGS_PER_CATEGORY = 12
_TASKS_PER_OCCUPATION = 10
_TECH_PER_OCCUPATION = 15


def shared_data_dir() -> Path:
    """../shared/data beside the project; SMARTHR_SHARED_DIR names the shared folder."""
    root = os.environ.get("SMARTHR_SHARED_DIR")
    base = Path(root) if root else _HERE.parents[2] / "shared"
    return base / "data"


@dataclass(frozen=True)
class Resume:
    key: str  # text group: identical texts share it
    category: str
    text: str


@dataclass(frozen=True)
class Job:
    key: str
    title: str
    text: str
    source: str
    categories: frozenset[str] = field(default_factory=frozenset)


@dataclass
class CategorySplit:
    train_resumes: list[Resume]
    train_jobs: list[Job]
    val_resumes: list[Resume]
    val_jobs: list[Job]
    test_resumes: list[Resume]
    test_jobs: list[Job]


@dataclass(frozen=True)
class LabelledJob:
    key: str
    text: str
    relevant: bool


@dataclass
class MatchingSplit:
    resume_text: str
    train: list[LabelledJob]
    val: list[LabelledJob]
    test: list[LabelledJob]


def _key(text: str) -> str:
    # Same recipe as the text_group column of ../shared/data: sha1 of the normalised text.
    return hashlib.sha1(" ".join(text.lower().split()).encode(), usedforsecurity=False).hexdigest()[
        :16
    ]


def _bucket(key: str, salt: str) -> float:
    """A stable number in [0, 1) per text: the split never depends on row order or RNG."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()
    return int(digest[:12], 16) / 16**12


def _clean(text: str) -> str:
    text = text.replace("_x000D_", " ")
    return re.sub(r"[ \t]+", " ", re.sub(r"\n{3,}", "\n\n", text)).strip()


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def load_resumes() -> tuple[Resume, ...]:
    """Distinct resume texts with their category (duplicates in the file collapse)."""
    seen: dict[str, Resume] = {}
    for row in _read_csv(shared_data_dir() / "resumes" / "updated_resume_dataset.train.csv"):
        key = row["text_group"]
        if key not in seen:
            seen[key] = Resume(key=key, category=row["Category"], text=_clean(row["Resume"]))
    return tuple(seen.values())


def _onet_jobs(categories: dict[str, dict[str, Any]]) -> list[Job]:
    onet = shared_data_dir() / "onet"
    wanted: dict[str, set[str]] = defaultdict(set)
    for category, spec in categories.items():
        for code in spec["onet"]:
            wanted[code].add(category)
    occupations = {r["O*NET-SOC Code"]: r for r in _read_csv(onet / "occupation_data.csv")}
    tasks: dict[str, list[str]] = defaultdict(list)
    for row in _read_csv(onet / "task_statements.csv"):
        if row["O*NET-SOC Code"] in wanted and row["Task Type"] == "Core":
            tasks[row["O*NET-SOC Code"]].append(row["Task"])
    tech: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for row in _read_csv(onet / "technology_skills.csv"):
        if row["O*NET-SOC Code"] in wanted:
            tech[row["O*NET-SOC Code"]].append((row["Hot Technology"] != "Y", row["Example"]))
    jobs = []
    for code, cats in sorted(wanted.items()):
        occ = occupations[code]
        tools = [name for _, name in sorted(tech[code])[:_TECH_PER_OCCUPATION]]
        duties = "\n".join(f"- {t}" for t in tasks[code][:_TASKS_PER_OCCUPATION])
        text = f"{occ['Title']}\n\n{occ['Description']}\n\nResponsibilities:\n{duties}"
        if tools:
            text += "\n\nTechnologies: " + ", ".join(tools)
        jobs.append(Job(_key(text), occ["Title"], text, f"onet:{code}", frozenset(cats)))
    return jobs


def _posting_jobs(categories: dict[str, dict[str, Any]]) -> list[Job]:
    """Real postings whose title names a category's role (capped per category)."""
    data = shared_data_dir()
    postings: list[tuple[str, str, str]] = []
    for row in _read_csv(data / "jobs" / "armenian_job_postings_it_subset.csv"):
        parts = [row["Title"], row["JobDescription"], row["JobRequirment"], row["RequiredQual"]]
        body = "\n\n".join(p for p in parts[1:] if p and p != "NA")
        postings.append((row["Title"], f"{row['Title']}\n\n{body}", "it_postings"))
    # Only the matching set's training texts: its validation and test texts stay unseen.
    train_keys = {j.key for j in matching_split("").train}
    for row in _read_csv(data / "matching" / "resume_jd_relevancy.train.csv"):
        if row["text_group"] in train_keys:
            title = row["job_description"].split("\n", 1)[0]
            postings.append((title, row["job_description"], "matching"))
    patterns = {c: re.compile(spec["title"], re.I) for c, spec in categories.items()}
    by_key: dict[str, Job] = {}
    taken: dict[str, int] = defaultdict(int)
    for title, text, source in sorted(postings, key=lambda p: _key(p[1])):
        cats = {c for c, rx in patterns.items() if rx.search(title)}
        cats = {c for c in cats if taken[c] < MAX_POSTINGS_PER_CATEGORY}
        key = _key(text)
        if not cats or key in by_key:
            continue
        for c in cats:
            taken[c] += 1
        by_key[key] = Job(key, title, _clean(text), source, frozenset(cats))
    return list(by_key.values())


@lru_cache(maxsize=1)
def load_category_jobs() -> tuple[Job, ...]:
    categories = json.loads(CATEGORY_MAP.read_text())["categories"]
    merged: dict[str, Job] = {}
    for job in _onet_jobs(categories) + _posting_jobs(categories):
        merged.setdefault(job.key, job)
    return tuple(merged.values())


class _HasKey(Protocol):
    @property
    def key(self) -> str: ...


_Keyed = TypeVar("_Keyed", bound=_HasKey)


def _split(
    items: list[_Keyed], group_of: Callable[[_Keyed], str], salt: str, test: float, val: float
) -> tuple[list[_Keyed], list[_Keyed], list[_Keyed]]:
    """Per group (category), order by a stable hash and cut: at least one test item per
    group that has two or more, so every category is judged."""
    groups: dict[str, list[_Keyed]] = defaultdict(list)
    for item in items:
        groups[group_of(item)].append(item)
    train, val_part, test_part = [], [], []
    for _, members in sorted(groups.items()):
        members.sort(key=lambda m: _bucket(m.key, salt))
        n = len(members)
        n_test = max(1, round(n * test)) if n >= 2 else 0
        n_val = max(1, round(n * val)) if n - n_test >= 3 else 0
        test_part += members[:n_test]
        val_part += members[n_test : n_test + n_val]
        train += members[n_test + n_val :]
    return train, val_part, test_part


def category_split(test: float = 0.3, val: float = 0.15) -> CategorySplit:
    resumes = list(load_resumes())
    jobs = list(load_category_jobs())
    r_train, r_val, r_test = _split(resumes, lambda r: r.category, "resumes", test, val)
    # Texts from the matching set's training part may only train here too.
    pinned = [j for j in jobs if j.source == "matching"]
    free = [j for j in jobs if j.source != "matching"]
    # A job is grouped by its first category (sorted) so shared occupations split once.
    j_train, j_val, j_test = _split(free, lambda j: sorted(j.categories)[0], "jobs", test, val)
    return CategorySplit(r_train, j_train + pinned, r_val, j_val, r_test, j_test)


def matching_split(resume_text: str, test: float = 0.2, val: float = 0.15) -> MatchingSplit:
    """The one-resume set, split by job text and stratified by label."""
    rows = _read_csv(shared_data_dir() / "matching" / "resume_jd_relevancy.train.csv")
    jobs: dict[str, LabelledJob] = {}
    for row in rows:
        jobs.setdefault(
            row["text_group"],
            LabelledJob(row["text_group"], _clean(row["job_description"]), row["label"] == "True"),
        )
    train, val_part, test_part = _split(
        list(jobs.values()), lambda j: str(j.relevant), "matching", test, val
    )
    return MatchingSplit(resume_text, train, val_part, test_part)


def matching_resume_text() -> str:
    """Text of the matching set's one resume (a real person's: used in memory only)."""
    from mlcore.parsing import parse_resume

    path = shared_data_dir() / "matching" / "resume.pdf"
    result = parse_resume(path.read_bytes(), path.name)
    if not result.ok:
        raise RuntimeError(f"cannot read {path}: {result.error}")
    return _clean(result.text)
