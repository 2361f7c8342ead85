"""The highlight palette is defined once, as CSS variables in static/css/app.css (issue 16):
before, four copies held two different reds."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = ROOT / "static" / "css" / "app.css"
PALETTE = {
    "green": "26,127,55",
    "red": "195,38,45",
    "amber": "191,135,0",
    "blue": "9,105,218",
    "grey": "110,119,129",
}
# The colours as they were written before, in every spelling found.
OLD_SPELLINGS = [
    *PALETTE.values(),
    "207,34,46",
    "#cf222e",
    "#bf8700",
    "rgba(26,",
    "rgba(9,",
]


def _sources() -> list[Path]:
    found = []
    for folder, suffixes in (
        ("templates", {".html"}),
        ("static/css", {".css"}),
        ("static/js", {".js"}),
        ("core", {".py"}),
        ("hr", {".py"}),
        ("recruiting", {".py"}),
        ("privacy", {".py"}),
    ):
        found += [p for p in (ROOT / folder).rglob("*") if p.suffix in suffixes]
    return found


def test_app_css_defines_each_colour_once():
    css = APP_CSS.read_text(encoding="utf-8")
    for name, rgb in PALETTE.items():
        definitions = re.findall(rf"--hl-{name}:\s*([\d,]+);", css)
        assert definitions == [rgb], name


def test_no_copy_of_the_palette_elsewhere():
    copies = [
        f"{path.relative_to(ROOT)}: {spelling}"
        for path in _sources()
        if path != APP_CSS
        for spelling in OLD_SPELLINGS
        if spelling in path.read_text(encoding="utf-8").replace(" ", "")
    ]
    assert not copies, copies


def test_every_palette_name_used_is_defined():
    used = set()
    for path in _sources():
        used |= set(re.findall(r"--hl-(\w+)", path.read_text(encoding="utf-8")))
    used |= {"red", "green", "amber"}  # hr-dashboard.js builds "--hl-" + name
    assert used <= set(PALETTE), used - set(PALETTE)
