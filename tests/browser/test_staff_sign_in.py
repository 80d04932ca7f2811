"""A new member of staff's first sign-in to the admin, in Chromium, with the keyboard alone.

They have a password but no authenticator app, so the Academy takes them to set one up: they
confirm their password, add the Academy to their app from the set-up key shown as text (no QR
code to scan), and are shown their recovery codes. Signing in again, a mistyped code is refused
with a message that takes focus and is tied to the code box, and the right code lets them into
the admin. Later a recovery code confirms it is them so they can make a new set. Every page on
the way passes axe-core.
"""

import re

import pytest

from academy import services as people
from tests.academy.factories import PASSWORD, UserFactory, app_code
from tests.browser.support import BROWSER_TEST, expect

pytestmark = BROWSER_TEST

EMAIL = "dev.patel@example.org"


def _tab_to(page, target, limit: int = 40) -> None:
    """Press Tab until target has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{target} never took focus after {limit} presses of Tab")


def _sign_in_with_password(page, base):
    page.goto(base + "/admin/")
    expect(page.locator("h1")).to_have_text("Sign in")
    _tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(EMAIL)
    _tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def test_new_staff_set_up_an_app_and_sign_in_with_a_code_by_keyboard(
    live_server, new_context, a11y, screenshot, staff_groups
):
    UserFactory(full_name="Dev Patel", email=EMAIL, groups=[people.TRAINERS])
    base = live_server.url
    page = new_context().new_page()

    # The admin sends them to set up an app; allauth asks for the password once more first.
    _sign_in_with_password(page, base)
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    expect(page.locator("h1")).to_have_text("Confirm it is you")
    a11y.check(page, "confirm password before setting up an app")
    _tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    a11y.check(page, "set up an authenticator app")
    screenshot(page, "mfa-set-up")
    key = page.get_by_label("Set-up key")
    _tab_to(page, key)
    secret = key.input_value()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Security code")).to_be_focused()
    page.keyboard.type(app_code(secret))
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.get_by_role("status")).to_contain_text("Your authenticator app is set up")
    a11y.check(page, "recovery codes after setting up")
    recovery_codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(recovery_codes) == 10
    _tab_to(page, page.get_by_role("link", name="Continue to the admin"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + "/admin/")

    page.goto(base + "/accounts/2fa/")
    expect(page.locator("h1")).to_have_text("Account security")
    expect(page.get_by_text("On. Each time you sign in")).to_be_visible()
    a11y.check(page, "account security")
    _tab_to(page, page.get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    # Signing in again: the password, then a code; a mistyped code first.
    _sign_in_with_password(page, base)
    expect(page.locator("h1")).to_have_text("Enter your security code")
    a11y.check(page, "security code step")
    code_box = page.get_by_label("Security code")
    _tab_to(page, code_box)
    code = app_code(secret)
    page.keyboard.type(f"{(int(code) + 1) % 10**6:06d}")
    page.keyboard.press("Enter")

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Security code: Incorrect code.")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    expect(code_box).to_have_accessible_description(re.compile("Incorrect code"))
    a11y.check(page, "security code step with a wrong code")
    screenshot(page, "mfa-wrong-code")
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="Security code: Incorrect code.")).to_be_focused()
    page.keyboard.press("Tab")
    expect(code_box).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(app_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(base + "/admin/")

    # New recovery codes: allauth asks for the password, or, as here, a recovery code.
    page.goto(base + "/accounts/2fa/")
    _tab_to(page, page.get_by_role("link", name="Make new recovery codes"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    _tab_to(page, page.get_by_role("link", name="Use authenticator app or code"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Confirm it is you")
    a11y.check(page, "confirm with a code")
    _tab_to(page, code_box)
    page.keyboard.type(recovery_codes[0])
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Make new recovery codes")
    a11y.check(page, "make new recovery codes")
    _tab_to(page, page.get_by_role("button", name="Make new codes"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.get_by_role("status")).to_contain_text("new set of recovery codes")
    new_codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(new_codes) == 10 and not set(new_codes) & set(recovery_codes)
    a11y.check(page, "new recovery codes")
    a11y.assert_clean()
