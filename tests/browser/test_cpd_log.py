"""My CPD log in Chromium, by keyboard alone: from the dashboard to the log, an activity added
after a mistake is pointed out, changed and deleted; axe-clean at desktop and phone widths."""

import io

from django.core.management import call_command

from portal.demo_content import PASSWORD
from tests.browser.support import BROWSER_TEST, expect

pytestmark = BROWSER_TEST


def _press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def _no_overflow(page, width):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window"


def test_a_learner_keeps_their_cpd_log_by_keyboard(live_server, new_context, a11y, screenshot):
    call_command("load_demo", stdout=io.StringIO())
    for width in (1280, 390):
        page = new_context(width=width).new_page()
        page.goto(live_server.url + "/accounts/login/?next=/dashboard/")
        page.get_by_label("Email").fill("certified@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Password").press("Enter")
        _press(page, page.get_by_role("link", name="Go to my CPD log"))
        expect(page.get_by_role("heading", name="My CPD log", level=1)).to_be_visible()
        expect(page.get_by_role("table", name="CPD hours logged in each year")).to_be_visible()
        activities = page.get_by_role("list", name="CPD activities")
        expect(activities.get_by_text("Course completed").first).to_be_visible()
        _no_overflow(page, width)
        screenshot(page, f"cpd-log-{width}")
        a11y.check(page, f"my CPD log at {width}px")

        _press(page, page.get_by_role("button", name="Add a CPD activity"))
        expect(page.get_by_role("heading", name="Add a CPD activity")).to_be_visible()
        activity = f"Reading group on remedies ({width})"
        page.get_by_label("Activity").focus()
        page.keyboard.type(activity)
        page.get_by_label("Day").focus()
        page.keyboard.type("3")
        page.keyboard.press("Tab")
        page.keyboard.type("2")
        page.keyboard.press("Tab")
        page.keyboard.type("2026")
        page.get_by_label("Hours").focus()
        page.keyboard.type("1.25")
        page.get_by_label("What you learned").focus()
        page.keyboard.type("Remedies put people back where they would have been.")
        standards = page.locator("details summary").first
        _press(page, standards)
        page.locator("details .nhsuk-checkboxes__input").first.focus()
        page.keyboard.press("Space")
        _press(page, page.get_by_role("button", name="Add to my CPD log"))

        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("Give the hours to one decimal place")
        expect(page.get_by_label("Activity")).to_have_value(activity)
        expect(page.locator("details .nhsuk-checkboxes__input").first).to_be_checked()
        _no_overflow(page, width)
        screenshot(page, f"cpd-add-error-{width}")
        a11y.check(page, f"adding a CPD activity, with an error, at {width}px")
        _press(page, summary.get_by_role("link"))
        expect(page.get_by_label("Hours")).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type("1.5")
        _press(page, page.get_by_role("button", name="Add to my CPD log"))

        expect(page.get_by_role("status")).to_contain_text(f"Added “{activity}”")
        card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=activity))
        expect(card).to_contain_text("Added by you")
        a11y.check(page, f"the CPD log after adding at {width}px")

        _press(page, card.get_by_role("link", name=f"Change {activity}"))
        expect(page.get_by_role("heading", name="Change a CPD activity")).to_be_visible()
        a11y.check(page, f"changing a CPD activity at {width}px")
        _press(page, page.get_by_role("button", name="Save the changes"))
        card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=activity))
        _press(page, card.get_by_role("link", name=f"Delete {activity}"))
        expect(page.get_by_role("heading", name=f"Delete “{activity}”?")).to_be_visible()
        a11y.check(page, f"deleting a CPD activity at {width}px")
        _press(page, page.get_by_role("button", name="Delete it"))
        expect(page.get_by_role("status")).to_contain_text(f"Deleted “{activity}”")
    a11y.assert_clean()
