"""The national view in Chromium: an analyst filters the figures with the keyboard alone, and the
page fits a 390 px phone (its tables scroll in their own boxes)."""

from academy import services as people
from portal.national_refresh import refresh_national_figures
from tests.academy.factories import UserFactory
from tests.browser.support import BROWSER_TEST, expect, signed_in_page
from tests.portal.national_data import build_small

pytestmark = BROWSER_TEST


def test_an_analyst_filters_the_figures_with_the_keyboard_on_a_phone(
    live_server, new_context, screenshot, course_tree, staff_groups
):
    build_small(course_tree)
    refresh_national_figures()
    analyst = UserFactory(full_name="Ana Lyst", groups=[people.ANALYSTS], mfa=True)
    page = signed_in_page(live_server, new_context, analyst, width=390, height=844)
    # The admin loads Wagtail's own scripts and styles: slow on a busy machine.
    page.goto(f"{live_server.url}/admin/reports/national/", timeout=60000)
    expect(page.get_by_role("img", name="Enrolments by month")).to_be_visible()

    kind = page.get_by_label("Organisation kind", exact=True)
    kind.focus()
    kind.select_option("nhs_trust")
    # On to the button past the other filters (Chromium's month fields stop at the month and the
    # year), by the keyboard alone.
    show = page.get_by_role("button", name="Show figures")
    for _ in range(12):
        page.keyboard.press("Tab")
        if show.evaluate("button => button === document.activeElement"):
            break
    expect(show).to_be_focused()
    with page.expect_navigation(timeout=60000):
        page.keyboard.press("Enter")
    expect(page.get_by_text("Organisation kind: NHS trust")).to_be_visible()

    # Nothing wider than the phone but the tables' own scrolling boxes.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "national-view-390")
