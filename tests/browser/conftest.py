"""Fixtures for the browser tests: headless Debian Chromium driven by Playwright's sync API,
and an axe-core audit that every page a learner sees goes through."""

import contextlib
import os
from pathlib import Path

import pytest
from django.db import connections

from tests.requirements import unavailable

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
SCREENSHOTS = Path(os.environ.get("ACADEMY_SCREENSHOTS", "/tmp/shots"))  # noqa: S108

# WCAG 2.2 A and AA, plus axe's best-practice rules (one <main>, everything inside a landmark,
# heading levels in order, one <h1>), which catch the structural slips WCAG rules let through.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

# Playwright's sync API runs an asyncio event loop in this thread, so Django's guard against
# database access from async code would refuse the test's own queries (e.g. call_command).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(
            "Browser", f"{CHROMIUM} is missing: install Debian's chromium package to run them"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        unavailable("Browser", "playwright is not installed: pip install -e '.[dev]'")
    # Django keeps the migrated rows that serialized_rollback restores on the connection object,
    # and connections are per context: once Playwright's event loop runs, this thread sees fresh
    # connection objects without them, and a test after a flush would start with no Wagtail root
    # page. Carry them over.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


# Every page reports what the Content Security Policy refused (docs/decisions.md, "Content
# Security Policy"): a script, style, image or form the policy blocks is a page that is broken for
# real users, even when the test's own steps happen not to touch it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__academyCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} on ${document.URL}`
    + (event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : "")
    + (event.sample ? `: ${event.sample}` : "")
  );
});
"""


# NHS.UK frontend's style sheet names Frutiger on the NHS's font host, which we may not use
# (docs/decisions.md, "Fonts"); Chromium tries those fonts even though no element is set in
# Frutiger, and the policy refuses them. That refusal is the policy doing its job.
EXPECTED_REFUSALS = ("https://assets.nhs.uk/fonts/",)


@pytest.fixture
def csp_violations():
    """What the policy refused on any page of the test's contexts; the test fails if any.

    A test that provokes a refusal on purpose checks this list and empties it."""
    return []


@pytest.fixture
def new_context(browser, csp_violations):
    """Make fresh browser contexts (each with its own cookies), closed after the test, which
    fails if the Content Security Policy refused anything on their pages."""
    contexts = []

    def on_console(message):
        # Chromium's own report of a refusal; it also covers frame-ancestors, which the framed
        # page cannot see.
        if "Content Security Policy" in message.text:
            csp_violations.append(f"console: {message.text}")

    def make(width: int = 1280, height: int = 900, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="en-GB",
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(10_000)
        context.expose_binding(
            "__academyCspViolation", lambda source, text: csp_violations.append(text)
        )
        context.add_init_script(CSP_LISTENER)
        context.on("console", on_console)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        for page in context.pages:
            # A round trip to each open page delivers the reports it has already sent.
            with contextlib.suppress(Exception):  # a closed or crashed page has no more
                page.evaluate("0")
        context.close()
    unexpected = [v for v in csp_violations if not any(e in v for e in EXPECTED_REFUSALS)]
    assert not unexpected, "The Content Security Policy refused:\n" + "\n".join(
        dict.fromkeys(unexpected)
    )


@pytest.fixture
def screenshot():
    """screenshot(page, "name") writes /tmp/shots/name.png (ACADEMY_SCREENSHOTS to change)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = True) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return take


def _format_violations(label: str, url: str, violations: list[dict]) -> str:
    lines = [f"{label} ({url}): {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(f"  - {violation['id']} [{violation['impact']}] {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"      at {', '.join(map(str, node['target']))}")
            lines.append(f"         {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n           ")
            lines.append(f"           {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"      ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


class A11yAudit:
    """Runs axe-core and the landmark checks on a page, keeping every failure for one report."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.pages: list[str] = []
        self.failures: list[str] = []

    def check(self, page, label: str, *, exclude: tuple[str, ...] = ()) -> None:
        """`exclude`: selectors axe leaves out, for a library's own failures that
        docs/decisions.md lists with their upstream issue."""
        self.pages.append(label)
        problems = []
        mains = page.locator("main").count()
        if mains != 1:
            problems.append(f"  - expected exactly one <main>, found {mains}")
        if not (page.locator("html").get_attribute("lang") or "").strip():
            problems.append("  - <html> has no lang attribute")
        if problems:
            self.failures.append("\n".join([f"{label} ({page.url}):", *problems]))
        context = {"exclude": [[selector] for selector in exclude]} if exclude else None
        results = self.axe.run(page, context=context, options=AXE_OPTIONS)
        if results.violations_count:
            self.failures.append(
                _format_violations(label, page.url, results.response["violations"])
            )

    def report(self) -> str:
        return (
            f"Accessibility problems on {len(self.failures)} of {len(self.pages)} pages checked:"
            "\n\n" + "\n\n".join(self.failures)
        )

    def assert_clean(self) -> None:
        assert not self.failures, self.report()


@pytest.fixture
def a11y(browser):
    """Collects axe results page by page; the test calls a11y.assert_clean() at the end.

    If the test fails before that, whatever was found so far is printed with the failure."""
    audit = A11yAudit()
    yield audit
    if audit.failures:
        print(audit.report())
