"""Browser tests: Playwright drives the system's Chromium against pytest-django's live server.

They are skipped where /usr/bin/chromium or the playwright package is missing, except with
REQUIRE_SERVICES=1 (CI), where that is an error. `SCREENSHOTS=1` saves a PNG of each main
page to docs/screenshots/ (the README shows them); without it nothing is written.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM, used by the test
# itself to set up data, refuses to run "in an async context" unless told it is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "pw-for-tests"  # tests/factories.py UserFactory


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "needs the playwright package (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            if os.environ.get("REQUIRE_SERVICES") == "1":
                raise pytest.UsageError(f"{item.nodeid}: REQUIRE_SERVICES=1 but it {reason}")
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    context.set_default_navigation_timeout(120_000)
    tab = context.new_page()
    yield tab
    context.close()


def login(page: Any, user: Any) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def screenshot(page: Any, name: str) -> None:
    """docs/screenshots/<name>.png, only with SCREENSHOTS=1 (so CI never rewrites them)."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
