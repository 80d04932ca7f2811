"""Fixtures for the browser tests: headless Debian Chromium driven by Playwright's sync API."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("ACADEMY_SCREENSHOTS", "/tmp/shots"))

# Playwright's sync API runs an asyncio event loop in this thread, so Django's guard against
# database access from async code would refuse the test's own queries (e.g. call_command).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def _unavailable(reason: str):
    """Skip on a developer machine without Chromium; in CI a missing browser is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package to run them")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        _unavailable("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):
    """Make fresh browser contexts (separate cookies), closed after the test."""
    contexts = []

    def make():
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
