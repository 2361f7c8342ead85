"""O*NET's occupations as a shared frame of reference for fit.

Every text (job or resume) is also described by how much it reads like each of the 1,016
O*NET 29.2 occupations: its zero-shot MiniLM vector is compared with one prototype per
occupation, and a softmax turns the similarities into an occupation profile. Two texts whose
profiles overlap (Bhattacharyya coefficient, Σ √p·√q) are about the same kind of work, even
when they share few words: a resume headed "RN, med-surg" and a posting for "Registered
Nurses" both read as occupation 29-1141.00.

A prototype mixes two things MiniLM embeds well: the occupation's title and description, and
the mean of its 50-odd alternate titles (the names people give the job: "Staff Nurse",
"Charge Nurse"...). `desc_weight` sets the mix; `temperature` how sharp a profile is. Both are
chosen on out-of-distribution validation data (mlcore/matching/occupation_blend.py).

The prototypes are derived from the O*NET 29.2 Database by the U.S. Department of Labor,
Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 licence;
O*NET® is a trademark of USDOL/ETA. They ship with the model version (1.6 MB as float16).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .text import prepare_job

SPACE_FILE = "occupations.safetensors"
NAMES_FILE = "occupations.json"
ATTRIBUTION = (
    "This product includes information from the O*NET 29.2 Database by the U.S. Department "
    "of Labor, Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 "
    "license. O*NET® is a trademark of USDOL/ETA."
)


@dataclass(frozen=True)
class ProfileReading:
    """How a vector becomes an occupation profile: similarity to desc_weight·description +
    (1 − desc_weight)·mean alternate title, times `temperature`, then a softmax."""

    desc_weight: float
    temperature: float

    def to_json_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class OccupationSpace:
    codes: tuple[str, ...]
    titles: tuple[str, ...]
    descriptions: np.ndarray  # occupations × 384, unit rows: "Title\n\nDescription"
    title_means: np.ndarray  # occupations × 384, unit rows: mean of its titles' unit vectors

    def prototypes(self, reading: ProfileReading) -> np.ndarray:
        w = reading.desc_weight
        return (w * self.descriptions + (1.0 - w) * self.title_means).astype(np.float32)

    def without(self, codes: Iterable[str]) -> OccupationSpace:
        """The same space with some occupations left out (leave-occupations-out folds)."""
        dropped = set(codes)
        keep = [i for i, c in enumerate(self.codes) if c not in dropped]
        return OccupationSpace(
            tuple(self.codes[i] for i in keep),
            tuple(self.titles[i] for i in keep),
            self.descriptions[keep],
            self.title_means[keep],
        )

    def save(self, folder: Path) -> None:
        from safetensors.numpy import save_file

        save_file(
            {
                "descriptions": self.descriptions.astype(np.float16),
                "title_means": self.title_means.astype(np.float16),
            },
            str(folder / SPACE_FILE),
        )
        names = {"codes": list(self.codes), "titles": list(self.titles), "source": ATTRIBUTION}
        (folder / NAMES_FILE).write_text(json.dumps(names, indent=0, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, folder: Path) -> OccupationSpace:
        from safetensors.numpy import load_file

        arrays = load_file(str(folder / SPACE_FILE))
        names = json.loads((folder / NAMES_FILE).read_text())
        return cls(
            tuple(names["codes"]),
            tuple(names["titles"]),
            arrays["descriptions"].astype(np.float32),
            arrays["title_means"].astype(np.float32),
        )


def profiles(vectors: np.ndarray, prototypes: np.ndarray, temperature: float) -> np.ndarray:
    """√(softmax(temperature · cos)) per row: unit vectors whose dot product is the
    Bhattacharyya coefficient of two occupation profiles (1 = the same profile)."""
    logits = temperature * (np.asarray(vectors, dtype=np.float32) @ prototypes.T)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    return np.asarray(np.sqrt(p).astype(np.float32))


def top_occupations(
    profile: np.ndarray, space: OccupationSpace, k: int = 3
) -> list[dict[str, Any]]:
    """The k occupations a text reads most like, with their shares of the profile."""
    p = np.square(np.asarray(profile, dtype=np.float64))
    order = np.argsort(-p)[:k]
    return [
        {"code": space.codes[i], "title": space.titles[i], "share": round(float(p[i]), 3)}
        for i in order
    ]


def _unit(rows: np.ndarray) -> np.ndarray:
    unit = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return np.asarray(unit, dtype=np.float32)


def build_space(onet_dir: Path, embed: Callable[[list[str]], np.ndarray]) -> OccupationSpace:
    """Embed every occupation's title + description and all its titles (the O*NET title and
    every alternate title) with `embed` (unit zero-shot MiniLM vectors)."""

    def rows(name: str) -> list[dict[str, str]]:
        with (onet_dir / name).open(newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    occupations = rows("occupation_data.csv")
    codes = [r["O*NET-SOC Code"] for r in occupations]
    names = {r["O*NET-SOC Code"]: r["Title"] for r in occupations}
    titles: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        titles[code].append(names[code])
    for r in rows("alternate_titles.csv"):
        if r["O*NET-SOC Code"] in names and r["Alternate Title"] not in titles[r["O*NET-SOC Code"]]:
            titles[r["O*NET-SOC Code"]].append(r["Alternate Title"])
    # Descriptions are read as a job is (blinded, tidied); titles as they are.
    descriptions = embed([prepare_job(f"{r['Title']}\n\n{r['Description']}") for r in occupations])
    flat = [(code, t) for code in codes for t in titles[code]]
    vectors = embed([t for _, t in flat])
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, (code, _) in enumerate(flat):
        by_code[code].append(i)
    means = np.stack([vectors[by_code[c]].mean(axis=0) for c in codes])
    return OccupationSpace(
        tuple(codes), tuple(names[c] for c in codes), _unit(descriptions), _unit(means)
    )
