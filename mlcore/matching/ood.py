"""Out-of-distribution fit evaluation sets: unseen resumes ranking O*NET occupations.

The fit model trained on `resumes/` (one resume set, 25 categories) and jobs from `jobs/`,
`matching/` and 53 O*NET occupations. These sets take resumes from `resumes_more/`
(LiveCareer and dotin, neither seen in training), label each with one O*NET occupation
from the title the resume gives itself (hand-written rules: bench/data/ood_occupations.json),
and ask each method to rank that occupation first among all the sample's occupations, with
the occupations written in several shapes and the resumes also placed after long front matter.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np

from . import datasets
from .evaluation import EvalSet

JobShape = Literal["onet", "title", "short", "posting"]
JOB_SHAPES: tuple[JobShape, ...] = ("onet", "title", "short", "posting")

# The model reads 256 word pieces, roughly the first 1,200 characters: the long-resume set
# puts every resume's own text after at least this many characters of neutral front matter.
LONG_RESUME_START = 1200
_PREAMBLE_MIN_CHARS = LONG_RESUME_START + 100  # margin: blinding may shorten a word or two

_TASKS_PER_POSTING = 10
_REQUIRED_SKILLS = 8
_PREFERRED_SKILLS = 7
_REQUIREMENT_LINES = 5
_DROPPED_TITLE_WORDS = frozenset(
    {"senior", "sr", "junior", "jr", "lead", "i", "ii", "iii", "iv", "1", "2", "3"}
)
_MIN_RESUME_CHARS = 300


@dataclass(frozen=True)
class OccupationRule:
    code: str  # O*NET-SOC code
    titles: re.Pattern[str]  # must match the whole normalised title


@dataclass(frozen=True)
class OodSpec:
    rules: tuple[OccupationRule, ...]
    preambles: tuple[str, ...]


@dataclass(frozen=True)
class LabelledResume:
    key: str
    source: str  # "livecareer" or "dotin"
    title: str  # the title the resume gives itself
    code: str  # its O*NET-SOC occupation
    text: str


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    description: str
    tasks: tuple[str, ...]  # core tasks first, then supplemental, file order
    technologies: tuple[tuple[str, str, bool], ...]  # (name, category, hot), hot first

    @property
    def major_group(self) -> str:
        """The SOC major group: the code's first two digits (23 groups in all)."""
        return self.code[:2]


def load_spec(path: Path) -> OodSpec:
    raw = json.loads(Path(path).read_text())
    rules = tuple(
        OccupationRule(row["onet"], re.compile(row["titles"])) for row in raw["occupations"]
    )
    return OodSpec(rules, tuple(raw["preambles"]))


def normalise_title(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", title.lower().replace("&", " and ")).split()
    return " ".join(w for w in words if w not in _DROPPED_TITLE_WORDS)


def occupation_for_title(title: str, rules: Iterable[OccupationRule]) -> str | None:
    """The first rule whose pattern matches the whole normalised title, else None."""
    normal = normalise_title(title)
    for rule in rules:
        if rule.titles.fullmatch(normal):
            return rule.code
    return None


def _labelled(
    source: str, title: str, text: str, rules: Iterable[OccupationRule]
) -> LabelledResume | None:
    code = occupation_for_title(title, rules)
    if code is None or len(text.strip()) < _MIN_RESUME_CHARS:
        return None
    return LabelledResume(datasets._key(text), source, title.strip(), code, text)


def livecareer_resumes(rules: Iterable[OccupationRule]) -> list[LabelledResume]:
    """LiveCareer resumes whose first line (their own headline title) a rule maps."""
    path = datasets.shared_data_dir() / "resumes_more" / "livecareer_resume_dataset"
    csv.field_size_limit(1 << 26)
    out = []
    with (path / "livecareer_resumes_pdftotext.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = row["Resume_text"].strip()
            title = text.split("\n", 1)[0] if text else ""
            if (resume := _labelled("livecareer", title, text, rules)) is not None:
                out.append(resume)
    return out


def dotin_resumes(rules: Iterable[OccupationRule]) -> list[LabelledResume]:
    """dotin resumes whose first annotated Designation a rule maps."""
    path = datasets.shared_data_dir() / "resumes_more" / "dotin_resume_ner"
    out = []
    with (path / "dotin_resume_ner_spans.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            titles = [e["text"] for e in doc["entities"] if e["label"] == "Designation"]
            text = doc["text"].strip().lstrip('"').strip()
            if titles and (resume := _labelled("dotin", titles[0], text, rules)) is not None:
                out.append(resume)
    return out


def sample_resumes(
    resumes: Iterable[LabelledResume], *, n: int, per_occupation: int, seed: int
) -> list[LabelledResume]:
    """Distinct texts, at most `per_occupation` per occupation (so a few common titles
    do not fill the set), then at most `n` in all; the same seed gives the same sample."""
    rng = random.Random(seed)
    by_code: dict[str, list[LabelledResume]] = defaultdict(list)
    seen: set[str] = set()
    for resume in resumes:
        if resume.key not in seen:
            seen.add(resume.key)
            by_code[resume.code].append(resume)
    chosen: list[LabelledResume] = []
    for code in sorted(by_code):
        members = sorted(by_code[code], key=lambda r: r.key)
        rng.shuffle(members)
        chosen += members[:per_occupation]
    if len(chosen) > n:
        chosen = rng.sample(chosen, n)
    return sorted(chosen, key=lambda r: (r.code, r.key))


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_occupations(codes: Iterable[str]) -> dict[str, Occupation]:
    wanted = set(codes)
    onet = datasets.shared_data_dir() / "onet"
    rows = {r["O*NET-SOC Code"]: r for r in _read_csv(onet / "occupation_data.csv")}
    missing = wanted - rows.keys()
    if missing:
        raise KeyError(f"not O*NET 29.2 occupations: {sorted(missing)}")
    tasks: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for row in _read_csv(onet / "task_statements.csv"):
        if row["O*NET-SOC Code"] in wanted:
            tasks[row["O*NET-SOC Code"]].append((row["Task Type"] != "Core", row["Task"]))
    tech: dict[str, list[tuple[bool, str, str]]] = defaultdict(list)
    for row in _read_csv(onet / "technology_skills.csv"):
        if row["O*NET-SOC Code"] in wanted:
            hot = row["Hot Technology"] == "Y"
            tech[row["O*NET-SOC Code"]].append((not hot, row["Example"], row["Commodity Title"]))
    return {
        code: Occupation(
            code,
            rows[code]["Title"],
            rows[code]["Description"],
            # sorted() is stable: core tasks first, each kind in the file's order
            tuple(t for _, t in sorted(tasks[code], key=lambda x: x[0])),
            tuple((name, cat, not cold) for cold, name, cat in sorted(tech[code])),
        )
        for code in sorted(wanted)
    }


def _posting(occupation: Occupation) -> str:
    """A long posting laid out as the app builds a job's text (title, description,
    requirements, required and preferred skills: recruiting's `job_fit_text`)."""
    duties = "\n".join(f"- {t}" for t in occupation.tasks[:_TASKS_PER_POSTING])
    description = f"{occupation.description}\n\nResponsibilities:\n{duties}"
    by_category: dict[str, list[str]] = defaultdict(list)
    for name, category, _ in occupation.technologies:
        by_category[category].append(name)
    lines = [
        f"- Experience with {category.lower()}, such as {', '.join(names[:3])}"
        for category, names in list(by_category.items())[:_REQUIREMENT_LINES]
    ]
    requirements = "Requirements:\n" + "\n".join(lines) if lines else ""
    hot = [name for name, _, is_hot in occupation.technologies if is_hot]
    other = [name for name, _, is_hot in occupation.technologies if not is_hot]
    parts = [occupation.title, description, requirements]
    if hot:
        parts.append("Required skills: " + ", ".join(hot[:_REQUIRED_SKILLS]))
    if other:
        parts.append("Preferred skills: " + ", ".join(other[:_PREFERRED_SKILLS]))
    return "\n\n".join(p for p in parts if p)


def job_texts(occupations: dict[str, Occupation], shape: JobShape) -> dict[str, str]:
    """Each occupation's job text in one shape:

    * onet: exactly the text the model trained on for O*NET jobs (title, description, ten
      core tasks, technologies);
    * title: the O*NET title alone;
    * short: title and O*NET's one-to-three-sentence description;
    * posting: a long posting (description, ten tasks, requirements, required and
      preferred skills) laid out as the app lays out a job.
    """
    if shape == "onet":
        jobs = datasets._onet_jobs({code: {"onet": [code]} for code in occupations})
        return {job.source.removeprefix("onet:"): job.text for job in jobs}
    if shape == "title":
        return {code: occ.title for code, occ in occupations.items()}
    if shape == "short":
        return {code: f"{occ.title}\n\n{occ.description}" for code, occ in occupations.items()}
    if shape == "posting":
        return {code: _posting(occ) for code, occ in occupations.items()}
    raise ValueError(f"unknown job shape {shape!r}; one of {', '.join(JOB_SHAPES)}")


def long_resume(resume: LabelledResume, preambles: tuple[str, ...], seed: int) -> str:
    """The resume after occupation-neutral front matter (availability, languages,
    references…, drawn per resume) at least LONG_RESUME_START characters long, so
    everything that says what the person does starts late."""
    if sum(len(p) + 2 for p in preambles) < _PREAMBLE_MIN_CHARS:
        raise ValueError(f"the preambles must add up to {_PREAMBLE_MIN_CHARS} characters")
    order = list(preambles)
    random.Random(f"{seed}:{resume.key}").shuffle(order)
    front: list[str] = []
    while sum(len(p) + 2 for p in front) < _PREAMBLE_MIN_CHARS:
        front.append(order[len(front)])
    return "\n\n".join([*front, resume.text])


def training_occupation_codes() -> frozenset[str]:
    """The O*NET occupations the shipped model's training jobs came from."""
    categories = json.loads(datasets.CATEGORY_MAP.read_text())["categories"]
    return frozenset(code for spec in categories.values() for code in spec["onet"])


@dataclass
class OodSample:
    resumes: list[LabelledResume]
    occupations: dict[str, Occupation]

    @property
    def major_groups(self) -> set[str]:
        return {occ.major_group for occ in self.occupations.values()}


OodPart = Literal["validation", "test"]


def occupation_part(code: str) -> OodPart:
    """Each occupation is in the validation or the test part, by a fixed hash of its code:
    choices (pooling, blend weight) are made on validation and reported on test, and the two
    share no occupation and no resume."""
    digest = hashlib.sha256(f"fit-ood-split:{code}".encode()).digest()
    return "validation" if digest[-1] % 2 == 0 else "test"


def ood_part(spec: OodSpec, part: OodPart, *, n: int, per_occupation: int, seed: int) -> OodSample:
    """The part's resumes (all labelled ones, at most `per_occupation` per occupation, at most
    `n` in all) and their occupations."""
    pool = livecareer_resumes(spec.rules) + dotin_resumes(spec.rules)
    pool = [r for r in pool if occupation_part(r.code) == part]
    resumes = sample_resumes(pool, n=n, per_occupation=per_occupation, seed=seed)
    return OodSample(resumes, load_occupations({r.code for r in resumes}))


def ood_sample(spec: OodSpec, *, n: int, per_occupation: int, seed: int) -> OodSample:
    pool = livecareer_resumes(spec.rules) + dotin_resumes(spec.rules)
    resumes = sample_resumes(pool, n=n, per_occupation=per_occupation, seed=seed)
    return OodSample(resumes, load_occupations({r.code for r in resumes}))


def _resume_query_set(
    name: str, sample: OodSample, jobs: dict[str, str], resume_texts: list[str]
) -> EvalSet:
    codes = sorted(sample.occupations)
    relevance = np.array([[int(r.code == c) for r in sample.resumes] for c in codes])
    groups = len(sample.major_groups)
    sources: defaultdict[str, int] = defaultdict(int)
    for r in sample.resumes:
        sources[r.source] += 1
    about = f"{len(codes)} O*NET occupations in {groups} of 23 major groups; resumes: " + ", ".join(
        f"{k} {v}" for k, v in sorted(sources.items())
    )
    return EvalSet(
        name, [jobs[c] for c in codes], resume_texts, relevance, queries="resumes", about=about
    )


def resume_subset(eval_set: EvalSet, keep: list[bool], name: str, about: str) -> EvalSet:
    """The same occupations to rank, for only some of the resumes (columns)."""
    cols = [i for i, k in enumerate(keep) if k]
    return replace(
        eval_set,
        name=name,
        resumes=[eval_set.resumes[i] for i in cols],
        relevance=eval_set.relevance[:, cols],
        about=about,
    )


def ood_sets(sample: OodSample, preambles: tuple[str, ...], seed: int) -> list[EvalSet]:
    """The out-of-distribution sets, all over the same sampled resumes:

    * resumes: the training-format occupation texts (only the resumes are new);
    * …unseen occupations / …beyond IT: the same ranking, scored only over resumes whose
      occupation was not a training occupation / is outside SOC group 15 (computer and
      mathematical);
    * job shapes: the same occupations as title only, title + short description, and a long
      posting;
    * long resumes: every resume after at least 1,200 characters of neutral front matter.
    """
    texts = [r.text for r in sample.resumes]
    base = _resume_query_set(
        "OOD resumes (LiveCareer + dotin → O*NET, training-format job text)",
        sample,
        job_texts(sample.occupations, "onet"),
        texts,
    )
    trained = training_occupation_codes()
    unseen = [r.code not in trained for r in sample.resumes]
    unseen_codes = {r.code for r in sample.resumes if r.code not in trained}
    beyond_it = [not r.code.startswith("15-") for r in sample.resumes]
    beyond_groups = {r.code[:2] for r in sample.resumes if not r.code.startswith("15-")}
    out = [
        base,
        resume_subset(
            base,
            unseen,
            "OOD resumes, occupations not in training",
            f"{len(unseen_codes)} of {len(sample.occupations)} occupations are not among the "
            f"{len(trained)} training occupations; all {len(sample.occupations)} are ranked",
        ),
        resume_subset(
            base,
            beyond_it,
            "OOD resumes beyond IT (SOC major group is not 15)",
            f"{len(beyond_groups)} major groups; all {len(sample.occupations)} occupations "
            "are ranked",
        ),
    ]
    shape_names: dict[JobShape, str] = {
        "title": "job shape (a): title only",
        "short": "job shape (b): title + short description",
        "posting": "job shape (c): long posting (description, 10 tasks, requirements, skills)",
    }
    for shape, name in shape_names.items():
        out.append(_resume_query_set(name, sample, job_texts(sample.occupations, shape), texts))
    long_texts = [long_resume(r, preambles, seed) for r in sample.resumes]
    long_set = _resume_query_set(
        f"long resumes: own text starts after ≥{LONG_RESUME_START} characters of neutral "
        "front matter",
        sample,
        job_texts(sample.occupations, "onet"),
        long_texts,
    )
    out.append(long_set)
    return out
