"""Build skills_taxonomy.json from O*NET technology skills plus the curated synonyms file.

Run once when the O*NET release or the synonyms change; the product only reads the JSON:

    python -m mlcore.parsing.taxonomy ../shared/data/onet/technology_skills.csv
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SYNONYMS_PATH = DATA_DIR / "skills_synonyms.json"
TAXONOMY_PATH = DATA_DIR / "skills_taxonomy.json"

ONET_CREDIT = (
    "This product includes information from the O*NET 29.2 Database by the U.S. Department "
    "of Labor, Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 "
    "license. O*NET(R) is a trademark of USDOL/ETA. SmartHR renamed, filtered and added "
    "synonyms to the entries."
)

# Commodity categories whose rare (single-occupation) entries are still worth matching: the
# tools of software, data and engineering work that resumes in this product mention.
_DEV_COMMODITIES = {
    "Object or component oriented development software",
    "Development environment software",
    "Web platform development software",
    "Data base management system software",
    "Program testing software",
    "Configuration management software",
    "Business intelligence and data analysis software",
    "Enterprise application integration software",
    "Application server software",
    "Cloud-based data access and sharing software",
}
_VENDORS = (
    "Microsoft", "Oracle", "Google", "Apache", "Amazon", "IBM", "Adobe", "Atlassian",
    "Autodesk", "Apple", "The MathWorks", "Red Hat", "Dassault Systemes", "ESRI", "Intuit",
    "Bentley", "Corel", "Cisco", "VMware", "Trimble", "Qlik Tech", "National Instruments",
    "StataCorp", "PTC", "Unity Technologies", "Hewlett-Packard HP", "Eclipse",
)  # fmt: skip
# Remainders that are everyday words once the vendor is gone ("Microsoft Project" ->
# "Project"): matching them alone would flag half of all resumes.
_COMMON = set(
    [
        "project",
        "access",
        "word",
        "teams",
        "office",
        "docs",
        "sheets",
        "drive",
        "meet",
        "dynamics",
        "publisher",
        "exchange",
        "notes",
        "forms",
        "analytics",
        "cloud",
        "workspace",
        "edge",
        "explorer",
        "paint",
        "photos",
        "maps",
        "keep",
        "calendar",
        "slides",
        "sites",
        "bamboo",
        "jersey",
        "works",
        "server",
        "database",
        "reports",
        "designer",
        "studio",
        "suite",
        "planner",
        "store",
        "pay",
        "search",
        "fonts",
        "classroom",
        "lens",
        "photo",
        "video",
        "media",
        "connect",
        "live",
        "sync",
        "flow",
        "stream",
        "one",
    ]
)
_ACRONYM_TAIL = re.compile(r"^(?P<phrase>.+?)\s+(?P<acr>[A-Z][A-Za-z0-9&/.+-]*[A-Z0-9])$")


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(token) >= 2 and bool(letters) and sum(c.isupper() for c in letters) >= 2


def onet_aliases(name: str, *, popular: bool = False) -> tuple[str, set[str]] | None:
    """(canonical, aliases) for one O*NET example, or None when it is a generic category."""
    base = re.sub(r"\s+(software|systems?)$", "", name).strip()
    words = base.split()
    if base != name and len(words) == 1 and not popular and base[1:].islower():
        return None  # "Accounting software", "Payroll software": categories, not products
    aliases = {name, base}
    canonical = base
    match = _ACRONYM_TAIL.match(base)
    if match and _is_acronym(match.group("acr")):
        phrase, acr = match.group("phrase"), match.group("acr")
        descriptive = all(w.islower() for w in phrase.split()[1:]) if " " in phrase else False
        # Only a descriptive phrase ("Structured query language SQL") makes the acronym a
        # skill of its own; after a brand ("Automate the Schools ATS") a bare acronym would
        # match unrelated text (ATS is also an applicant tracking system).
        if descriptive:
            canonical = acr
            aliases |= {phrase, acr}
    elif (
        len(words) >= 2
        and all(w.islower() for w in words[1:])
        and not any(ch.isdigit() for ch in base)
    ):
        return None  # "Web browser software", "Scheduling software": categories, not skills
    for vendor in _VENDORS:
        if base.startswith(vendor + " "):
            rest = base[len(vendor) + 1 :]
            if rest.lower() in _COMMON or len(rest) < 2:
                break
            if " " in rest and not re.search(r"\s\S*(?:[A-Z]{2}|\d|[A-Z][a-z]+[A-Z])", rest):
                break  # "Data Pipeline": generic words once the vendor is gone
            aliases.add(rest)
            if vendor == "Microsoft":
                aliases.add("MS " + rest)
            if " " not in rest and canonical == base:
                canonical = rest
            break
    return canonical, aliases


def build(onet_csv: Path, synonyms_path: Path = SYNONYMS_PATH) -> dict[str, object]:
    curated = json.loads(synonyms_path.read_text(encoding="utf-8"))
    rename: dict[str, str] = curated["rename"]
    drop = set(curated["drop"])
    with onet_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = collections.Counter(r["Example"] for r in rows)
    popular = {r["Example"] for r in rows if r["Hot Technology"] == "Y" or r["In Demand"] == "Y"}
    keep = {
        r["Example"]
        for r in rows
        if counts[r["Example"]] >= 2
        or r["Hot Technology"] == "Y"
        or r["In Demand"] == "Y"
        or r["Commodity Title"] in _DEV_COMMODITIES
    }
    skills: dict[str, set[str]] = {}
    alias_owner: dict[str, str] = {}

    def add(canonical: str, aliases: set[str]) -> None:
        bucket = skills.setdefault(canonical, set())
        for alias in {canonical, *aliases}:
            key = alias.lower()
            if alias in drop or alias_owner.get(key, canonical) != canonical:
                continue  # the first owner of an alias keeps it: no alias maps to two skills
            alias_owner[key] = canonical
            bucket.add(alias)

    # Curated skills first, so their aliases win every tie.
    for canonical, extra in curated["skills"].items():
        add(canonical, set(extra))
    for name in sorted(keep):
        if name in drop:
            continue
        entry = onet_aliases(name, popular=name in popular)
        if entry is None:
            continue
        canonical, aliases = entry
        canonical = rename.get(name, canonical)
        if canonical in drop:
            continue
        add(canonical, aliases)
    return {
        "source": "O*NET 29.2 Technology Skills (technology_skills.csv) + skills_synonyms.json",
        "licence": "CC BY 4.0 (O*NET entries); Apache-2.0 (SmartHR synonyms)",
        "credit": ONET_CREDIT,
        "case_sensitive": sorted(set(curated["case_sensitive"])),
        "skills": {k: sorted(v - {k}) for k, v in sorted(skills.items()) if v},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("onet_csv", type=Path)
    parser.add_argument("--out", type=Path, default=TAXONOMY_PATH)
    args = parser.parse_args(argv)
    taxonomy = build(args.onet_csv)
    text = json.dumps(taxonomy, ensure_ascii=False, indent=0, sort_keys=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{len(taxonomy['skills'])} skills, {len(text.encode()) // 1024} KB -> {args.out}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
