"""One pager for every list (issue 16): templates/_pager.html keeps the list's other
parameters on each link, and a list with none links to "?page=N", never "?&page=N"."""

from __future__ import annotations

from pathlib import Path

from django.core.paginator import Paginator
from django.template.loader import render_to_string

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LISTS = [
    "hr/people_list.html",
    "recruiting/job_list.html",
    "recruiting/job_ranking.html",
    "recruiting/search.html",
    "privacy/audit_log.html",
]


def _pager(number: int, **context: str) -> str:
    page = Paginator(range(100), 10).get_page(number)
    return render_to_string("_pager.html", {"page": page, **context})


def test_links_keep_the_other_parameters():
    html = _pager(2, query="q=rust&status=open")
    assert 'href="?q=rust&amp;status=open&amp;page=1"' in html
    assert 'href="?q=rust&amp;status=open&amp;page=3"' in html
    assert "Page 2 of 10" in html


def test_no_parameters_give_a_plain_page_link():
    html = _pager(2, query="")
    assert 'href="?page=1"' in html and 'href="?page=3"' in html
    assert "?&" not in html and "?&amp;" not in html


def test_one_page_shows_no_pager_and_words_can_change():
    assert "<nav" not in render_to_string("_pager.html", {"page": Paginator([1], 10).get_page(1)})
    html = _pager(2, previous="Newer", next="Older", label="Pages of applicants")
    assert ">Newer</a>" in html and ">Older</a>" in html
    assert 'aria-label="Pages of applicants"' in html


def test_every_list_uses_the_one_pager():
    for name in LISTS:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert '{% include "_pager.html"' in text, name
        assert "next_page_number" not in text, name
