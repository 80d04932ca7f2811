"""The footer's information pages in Chromium, by keyboard, at desktop and phone widths."""

import datetime

import pytest

from portal.demo_pages import INFORMATION_PAGES
from portal.pages import InformationPage
from tests.browser.support import BROWSER_TEST, expect

pytestmark = BROWSER_TEST


@pytest.fixture
def pages(course_tree):
    for spec in INFORMATION_PAGES:
        page = InformationPage(**spec, show_in_menus=True, last_reviewed=datetime.date(2026, 12, 1))
        course_tree.home.add_child(instance=page).save_revision().publish()


@pytest.mark.parametrize("width", [1280, 390])
def test_each_information_page_is_reached_from_the_footer_by_keyboard(
    live_server, new_context, a11y, screenshot, pages, width
):
    page = new_context(width=width).new_page()
    page.goto(live_server.url + "/")
    footer = page.get_by_role("navigation", name="About this service")
    for spec in INFORMATION_PAGES:
        footer.get_by_role("link", name=spec["title"]).focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text(spec["title"])
        expect(page.get_by_text("Last reviewed on 1 December 2026.")).to_be_visible()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{spec['title']} is {overflow}px wider than the window"
        a11y.check(page, f"{spec['title']} at {width}px")
    screenshot(page, f"information-page-{width}")
    a11y.assert_clean()
