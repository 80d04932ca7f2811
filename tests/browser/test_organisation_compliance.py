"""An organisation's compliance page in Chromium, by keyboard: from the organisation's page to
the figures, filtered to a role tier; charts with their tables, axe-clean at desktop and phone
widths, nothing wider than a 390 px phone."""

import io
import re

from django.core.management import call_command

from academy.models import User
from academy.selectors import managed_organisations
from tests.browser.support import BROWSER_TEST, expect, signed_in_page

pytestmark = BROWSER_TEST


def _press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def _no_overflow(page, width):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window"


def test_a_manager_reads_and_filters_compliance_by_keyboard(
    live_server, new_context, a11y, screenshot
):
    call_command("load_demo", stdout=io.StringIO())
    manager = User.objects.get(email="manager@example.org")
    organisation = managed_organisations(user=manager).first()
    for width in (1280, 390):
        page = signed_in_page(live_server, new_context, manager, width=width)
        page.goto(f"{live_server.url}/organisation/{organisation.pk}/")
        _press(page, page.get_by_role("link", name="Training compliance"))

        expect(page.get_by_role("heading", name="Training compliance", level=1)).to_be_visible()
        for chart, table in (
            (
                "Share of staff trained to the Standards in each role tier",
                "Staff trained and up to date, by role tier",
            ),
            (
                "Share of staff whose learning covers each principle",
                "Staff whose learning covers each principle",
            ),
            (
                "Share of staff trained to the Standards at the end of each month",
                "Share trained at the end of each month",
            ),
        ):
            expect(page.get_by_role("img", name=chart)).to_be_visible()
            expect(page.get_by_role("table", name=table)).to_be_visible()
        _no_overflow(page, width)
        screenshot(page, f"compliance-{width}")
        a11y.check(page, f"the compliance page at {width}px")

        _press(page, page.locator("summary", has_text="Change the figures shown"))
        page.get_by_label("Role tier", exact=True).focus()
        page.keyboard.type("Senior")
        _press(page, page.get_by_role("button", name="Show these figures"))

        expect(page).to_have_url(re.compile(r"compliance/\?tier=senior_staff"))
        expect(page.locator("#filters-in-force")).to_contain_text("Senior staff")
        download = page.get_by_role("link", name="Download as CSV (for any spreadsheet)")
        assert "tier=senior_staff" in download.get_attribute("href")  # the download keeps it
        _no_overflow(page, width)
        a11y.check(page, f"the compliance page for senior staff at {width}px")
    a11y.assert_clean()
