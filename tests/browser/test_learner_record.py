"""The learner's record on the demo, in Chromium: every attempt on "My learning" with its state
and a link to it (the stand-alone written exercise included), and the CPD figures; keyboard only,
axe-clean, at desktop and phone widths."""

import io

from django.core.management import call_command

from portal.demo_content import MARKED_ASSESSMENT, PASSWORD
from tests.browser.support import BROWSER_TEST, expect

pytestmark = BROWSER_TEST


def _sign_in_with_keyboard(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").focus()
    page.keyboard.type(email)
    page.get_by_label("Password").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_my_learning_lists_each_attempt_and_the_cpd_summary(
    live_server, new_context, a11y, screenshot
):
    call_command("load_demo", stdout=io.StringIO())
    exercise = MARKED_ASSESSMENT["title"]
    for width in (1280, 390):
        page = new_context(width=width).new_page()
        _sign_in_with_keyboard(page, live_server.url, "learner@example.org")
        page.get_by_role("link", name="My learning").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="My learning", level=1)).to_be_visible()

        record = page.get_by_role("list", name="Assessments you have attempted")
        card = record.get_by_role("listitem").filter(has=page.get_by_role("heading", name=exercise))
        expect(card).to_contain_text("Attempt 1, handed in")
        expect(card).to_contain_text("Waiting to be marked")
        expect(page.get_by_role("heading", name="My CPD")).to_be_visible()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"My learning is {overflow}px wider than the {width}px window"
        screenshot(page, f"learner-record-{width}")
        a11y.check(page, f"my learning with attempts at {width}px")

        card.get_by_role("link", name=f"What happens next for attempt 1 at {exercise}").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Your answers have been submitted")).to_be_visible()
        a11y.check(page, f"the exercise's waiting page at {width}px")
        page.go_back()
        expect(page.get_by_role("heading", name="My assessments")).to_be_visible()

    # A learner with completed courses sees their CPD hours from the log, on a phone too.
    page = new_context(width=390).new_page()
    _sign_in_with_keyboard(page, live_server.url, "certified@example.org")
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_text("hours of continuing professional development")).to_be_visible()
    expect(page.get_by_role("link", name="Go to my CPD log")).to_be_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"My learning is {overflow}px wider than a 390px phone"
    screenshot(page, "learner-record-cpd-390")
    a11y.check(page, "my learning with CPD at 390px")
    a11y.assert_clean()
