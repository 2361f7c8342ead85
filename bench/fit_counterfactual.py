"""Counterfactual fairness check of the fit model: change who the resume says the person is,
keep what they did, and measure how far the score moves.

    SMARTHR_TORCH_THREADS=1 python -m bench.fit_counterfactual [--resumes 20] [--jobs-per-resume 2]

Held-out resumes (mlcore.matching.datasets.category_split, the test part: never trained on)
are scored with the registry's active fit model against held-out real job texts (one job of
the resume's own category, one of another). Each resume gets a header naming the person and
a sentence with pronouns; the variants differ only in that name (first and last, by the
gender and the ethnicity the name is associated with) and in the pronouns, which are also
swapped in the resume's own text (he/she, his/her, ...). Reported on the 0-100 scale:

* gender swap: the same ethnicity's male- and female-associated names, he ↔ she;
* ethnicity swap: the same gender, names associated with another group;
* any swap: every pair of variants of one resume and job.

"without masking" scores the same variants with the masking step bypassed, to show how much
of the invariance comes from masking (mlcore/masking.py) rather than from the model.

Name lists (see docs/responsible-ai.md):
* White- and Black-associated first names and surnames: Bertrand & Mullainathan (2004), "Are
  Emily and Greg More Employable than Lakisha and Jamal?", American Economic Review 94(4),
  the names of their Table A1 / audit study.
* Hispanic- and Asian-associated surnames: the US Census Bureau's 2010 surname file, surnames
  whose bearers are >90 % Hispanic resp. >60 % Asian and Pacific Islander; first names from
  Tzioumis (2018), "Demographic aspects of first names", Scientific Data 5:180025, names with
  a large Hispanic resp. Asian share.
The lists are small and US-centred: a test of sensitivity to names, not a survey of all names.
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import sys
import time
from dataclasses import dataclass

NAMES: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    # (gender, group): (first names, surnames)
    ("male", "white"): (["Greg", "Brendan", "Todd", "Geoffrey", "Brett"], ["Baker", "Walsh"]),
    ("female", "white"): (["Emily", "Anne", "Jill", "Allison", "Meredith"], ["Kelly", "Murphy"]),
    ("male", "black"): (["Jamal", "Tremayne", "Darnell", "Rasheed", "Kareem"], ["Washington"]),
    ("female", "black"): (["Lakisha", "Tamika", "Aisha", "Keisha", "Ebony"], ["Jackson"]),
    ("male", "hispanic"): (["José", "Alejandro", "Juan", "Luis", "Jesús"], ["Hernández"]),
    ("female", "hispanic"): (["María", "Guadalupe", "Alejandra", "Rosa", "Juana"], ["García"]),
    ("male", "asian"): (["Wei", "Hyun", "Thanh", "Jun", "Hiroshi"], ["Nguyen", "Kim"]),
    ("female", "asian"): (["Mei", "Ji-woo", "Thuy", "Yuki", "Xiu"], ["Tran", "Li"]),
}
PRONOUNS = {
    "male": {"subj": "He", "obj": "him", "poss": "his", "title": "Mr."},
    "female": {"subj": "She", "obj": "her", "poss": "her", "title": "Ms."},
}
# Gendered words in the resume's own text, swapped towards the variant's gender.
_TO_FEMALE = {"he": "she", "him": "her", "his": "her", "himself": "herself", "mr": "ms"}
_TO_MALE = {"she": "he", "her": "his", "hers": "his", "herself": "himself", "ms": "mr", "mrs": "mr"}
_WORD = re.compile(r"\b(" + "|".join({*_TO_FEMALE, *_TO_MALE}) + r")\b", re.I)


@dataclass(frozen=True)
class Variant:
    gender: str
    group: str
    text: str


def _swap_words(text: str, gender: str) -> str:
    table = _TO_FEMALE if gender == "female" else _TO_MALE

    def repl(match: re.Match[str]) -> str:
        word = match.group(1)
        new = table.get(word.lower(), word.lower())
        return new.capitalize() if word[0].isupper() else new

    return _WORD.sub(repl, text)


def variants(text: str, index: int) -> list[Variant]:
    """One variant per (gender, group), names picked deterministically by `index`."""
    out = []
    for (gender, group), (firsts, lasts) in NAMES.items():
        first, last = firsts[index % len(firsts)], lasts[index % len(lasts)]
        p = PRONOUNS[gender]
        email = f"{first}.{last}".lower().replace(" ", "")
        header = (
            f"{first} {last}\n{email}@example.com | +1 202 555 01{index % 100:02d}\n"
            f"{p['title']} {last} is looking for a new role. {p['subj']} brings {p['poss']} "
            f"experience below; references about {p['obj']} are available.\n\n"
        )
        out.append(Variant(gender, group, header + _swap_words(text, gender)))
    return out


@dataclass
class Changes:
    gender: list[float]
    ethnicity: list[float]
    any: list[float]

    @staticmethod
    def of(scores: dict[tuple[str, str], float]) -> Changes:
        gender, ethnicity, every = [], [], []
        for (a, sa), (b, sb) in itertools.combinations(scores.items(), 2):
            delta = abs(sa - sb)
            every.append(delta)
            if a[1] == b[1] and a[0] != b[0]:
                gender.append(delta)
            if a[0] == b[0] and a[1] != b[1]:
                ethnicity.append(delta)
        return Changes(gender, ethnicity, every)

    def extend(self, other: Changes) -> None:
        self.gender += other.gender
        self.ethnicity += other.ethnicity
        self.any += other.any


def sample(n_resumes: int, jobs_per_resume: int) -> list[tuple[str, str, int]]:
    """(job text, resume text, index) pairs: held-out resumes × held-out jobs, fixed order."""
    from mlcore.matching import datasets

    split = datasets.category_split()
    resumes = sorted((r for r in split.test_resumes if len(r.text) > 400), key=lambda r: r.key)[
        :n_resumes
    ]
    jobs = sorted(split.test_jobs, key=lambda j: j.key)
    pairs = []
    for i, resume in enumerate(resumes):
        own = [j for j in jobs if resume.category in j.categories]
        other = [j for j in jobs if resume.category not in j.categories]
        picks = own[:1] + other[i % len(other) : i % len(other) + 1] + other
        chosen = list(dict.fromkeys(job.text for job in picks))[:jobs_per_resume]
        pairs += [(job, resume.text, i) for job in chosen]
    return pairs


def _unmasked_scores(model, pairs: list[tuple[str, str]]) -> list[float]:
    """The same scores with the masking step left out (tidying kept), for comparison."""
    import numpy as np

    from mlcore.matching.artefacts import embed_texts
    from mlcore.matching.text import READ_CHARS, _tidy

    jobs = sorted({j for j, _ in pairs})
    resumes = sorted({r for _, r in pairs})
    jv = embed_texts(model.encoder, [_tidy(j[:READ_CHARS]) for j in jobs], model.max_length)
    rv = embed_texts(model.encoder, [_tidy(r[:READ_CHARS]) for r in resumes], model.max_length)
    ji = {t: i for i, t in enumerate(jobs)}
    ri = {t: i for i, t in enumerate(resumes)}
    cos = np.array([float(jv[ji[j]] @ rv[ri[r]]) for j, r in pairs])
    return [float(s) for s in model.calibrate(cos)]


def measure(
    model, pairs: list[tuple[str, str, int]], *, masked: bool = True
) -> tuple[Changes, int]:
    """Score changes over all pairs; returns them and how many texts were scored."""
    scored: list[tuple[str, str]] = []
    keys: list[tuple[int, tuple[str, str]]] = []
    for n, (job, resume, index) in enumerate(pairs):
        for v in variants(resume, index):
            scored.append((job, v.text))
            keys.append((n, (v.gender, v.group)))
    values = model.score_pairs(scored) if masked else _unmasked_scores(model, scored)
    per_pair: dict[int, dict[tuple[str, str], float]] = {}
    for (n, variant), value in zip(keys, values, strict=True):
        per_pair.setdefault(n, {})[variant] = value
    total = Changes([], [], [])
    for scores in per_pair.values():
        total.extend(Changes.of(scores))
    return total, len(scored)


def _line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<16} mean |Δ| {statistics.fmean(values):6.3f}   max |Δ| {max(values):6.3f}"
        f"   ({len(values)} comparisons)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resumes", type=int, default=20)
    parser.add_argument("--jobs-per-resume", type=int, default=2)
    parser.add_argument("--no-unmasked", action="store_true", help="skip the comparison run")
    args = parser.parse_args(argv)

    from mlcore.matching import get_fit_model

    model = get_fit_model()
    pairs = sample(args.resumes, args.jobs_per_resume)
    started = time.perf_counter()
    changes, texts = measure(model, pairs)
    took = time.perf_counter() - started
    print(
        f"fit model {model.version}: {len({r for _, r, _ in pairs})} held-out resumes × "
        f"{args.jobs_per_resume} held-out jobs × {len(NAMES)} name/pronoun variants "
        f"({texts} scored texts, {took:.1f}s)"
    )
    print("score change on 0-100 (as served, masked):")
    print(_line("gender swap", changes.gender))
    print(_line("ethnicity swap", changes.ethnicity))
    print(_line("any swap", changes.any))
    if not args.no_unmasked:
        raw, _ = measure(model, pairs, masked=False)
        print("without masking (comparison only; never served):")
        print(_line("gender swap", raw.gender))
        print(_line("ethnicity swap", raw.ethnicity))
        print(_line("any swap", raw.any))
    return 0


if __name__ == "__main__":
    sys.exit(main())
