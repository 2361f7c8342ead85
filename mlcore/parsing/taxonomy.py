"""Build skills_taxonomy.json: O*NET technology skills, O*NET task-statement techniques,
the curated synonyms and the hand-written list of everyday (non-IT) skills.

Run once when the O*NET release or a curated file changes; the product only reads the JSON:

    python -m mlcore.parsing.taxonomy ../shared/data/onet/technology_skills.csv

The task statements are read from task_statements.csv next to the technology file.
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
GENERAL_PATH = DATA_DIR / "skills_general.json"
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
# Technique names in O*NET task statements ("Examine specimens using microscopy"): the
# suffixes name methods, not everyday words; the few that are school subjects are left out.
_TECHNIQUE = re.compile(
    r"\b[a-z]+(?:scopy|graphy|metry|phoresis|otomy|puncture|centesis)\b", re.IGNORECASE
)
_NOT_TECHNIQUES = {
    "geometry", "geography", "symmetry", "trigonometry", "topography", "biography",
    "asymmetry", "hydrography",
}  # fmt: skip
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


def task_techniques(tasks_csv: Path) -> dict[str, int]:
    """Technique words of O*NET task statements -> how many statements name them."""
    counts: collections.Counter[str] = collections.Counter()
    with tasks_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found = {w.lower() for w in _TECHNIQUE.findall(row["Task"])}
            counts.update(found - _NOT_TECHNIQUES)
    return dict(sorted(counts.items()))


def _text_matched(alias: str, text_words: set[str]) -> bool:
    """A general-skill alias is searched in running text unless it is one everyday word.

    "cash handling" or "HACCP" in a sentence say the skill; "Sales", "Shipping" or
    "Leadership" in a sentence do not, so those count only as items of a skills section.
    """
    if " " in alias.strip() or alias.lower() in text_words:
        return True
    if sum(c.isupper() for c in alias) >= 2 or re.search(r"[\d&/+#-]", alias):
        return True
    return bool(_TECHNIQUE.fullmatch(alias))


def add_general(  # noqa: C901
    taxonomy: dict[str, object], general_path: Path, techniques: dict[str, int]
) -> dict[str, object]:
    """Add the hand-written everyday skills and the task-statement techniques.

    They live under their own keys (general_skills, extra_aliases, listed_aliases) so that
    readers of "skills" (name masking treats every word there as never a person's name)
    keep the technical vocabulary only.
    """
    general = json.loads(general_path.read_text(encoding="utf-8"))
    tech: dict[str, list[str]] = taxonomy["skills"]  # type: ignore[assignment]
    owner: dict[str, str] = {}
    for canonical, aliases in tech.items():
        for alias in (canonical, *aliases):
            owner.setdefault(alias.lower(), canonical)
    text_words = {w.lower() for w in general["text_words"]}
    listed_only = set(general["listed_only"]) | set(general["domains"].get("soft", {}))
    skills: dict[str, set[str]] = {}
    extra: dict[str, set[str]] = {}
    listed: dict[str, set[str]] = {}

    def add(canonical: str, alias: str, *, text: bool) -> None:
        canonical = owner.get(canonical.lower(), canonical)
        key = alias.lower()
        if owner.get(key, canonical) != canonical:
            return  # the first owner of an alias keeps it: no alias maps to two skills
        owner[key] = canonical
        if key == canonical.lower() and canonical in tech:
            return
        if text:
            (extra if canonical in tech else skills).setdefault(canonical, set()).add(alias)
        else:
            listed.setdefault(canonical, set()).add(alias)

    for canonical, aliases in general["aliases"].items():
        for alias in aliases:
            add(canonical, alias, text=True)
    for domain in general["domains"].values():
        for canonical, aliases in domain.items():
            for alias in (canonical, *aliases):
                text = canonical not in listed_only and _text_matched(alias, text_words)
                add(canonical, alias, text=text)
    for canonical, aliases in general["listed_aliases"].items():
        for alias in aliases:
            add(canonical, alias, text=False)
    for word in techniques:
        add(word.capitalize(), word.capitalize(), text=True)
    for canonical in listed:  # a skill recognised only in skills lists is still a skill
        if canonical not in tech:
            skills.setdefault(canonical, set())
    taxonomy["source"] = (
        "O*NET 29.2 Technology Skills (technology_skills.csv) and Task Statements "
        "(task_statements.csv) + skills_synonyms.json + skills_general.json"
    )
    taxonomy["licence"] = (
        "CC BY 4.0 (O*NET entries); Apache-2.0 (SmartHR synonyms and general skills)"
    )
    taxonomy["case_sensitive"] = sorted(
        set(taxonomy["case_sensitive"]) | set(general["case_sensitive"])  # type: ignore[call-overload]
    )
    # Every alias listed here is matched in running text, the canonical name only if listed.
    taxonomy["general_skills"] = {k: sorted(v) for k, v in sorted(skills.items())}
    taxonomy["extra_aliases"] = {k: sorted(v) for k, v in sorted(extra.items())}
    taxonomy["listed_aliases"] = {k: sorted(v) for k, v in sorted(listed.items())}
    taxonomy["task_techniques"] = techniques
    return taxonomy


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
    parser.add_argument("--tasks", type=Path, default=None, help="task_statements.csv")
    parser.add_argument("--out", type=Path, default=TAXONOMY_PATH)
    args = parser.parse_args(argv)
    tasks = args.tasks or args.onet_csv.with_name("task_statements.csv")
    taxonomy = add_general(build(args.onet_csv), GENERAL_PATH, task_techniques(tasks))
    text = json.dumps(taxonomy, ensure_ascii=False, indent=0, sort_keys=False)
    args.out.write_text(text + "\n", encoding="utf-8")
    n_tech, n_general = len(taxonomy["skills"]), len(taxonomy["general_skills"])  # type: ignore[arg-type]
    print(f"{n_tech} + {n_general} skills, {len(text.encode()) // 1024} KB -> {args.out}")


if __name__ == "__main__":
    main()
