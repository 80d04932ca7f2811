"""What every browser test module imports: Playwright's `expect` and the marks it runs under."""

import pytest
from django.conf import settings
from django.test import Client

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or, in CI, fails) and says why
    expect = None

BROWSER_TEST = [
    pytest.mark.browser,
    # The live server reads committed rows. serialized_rollback puts back the rows migrations
    # create (Wagtail's root page and default Site) after the flush, so tests that run after this
    # one still find them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, base, email, password, *, secret=None, next_url="/dashboard/"):
    """Sign in through the sign-in page (with the app's code when `secret` is given) and land
    on `next_url` of the site: staff would otherwise start in the admin."""
    from tests.academy.factories import app_code

    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    if secret:
        page.get_by_label("Security code").fill(app_code(secret))
        page.get_by_label("Security code").press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def signed_in_page(live_server, new_context, user, **context_options):
    """A new page whose browser holds a session for `user`, as after signing in (staff must have
    an authenticator already: the staff MFA middleware still applies)."""
    client = Client()
    client.force_login(user)
    context = new_context(**context_options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context.new_page()


__all__ = ["BROWSER_TEST", "expect", "sign_in", "signed_in_page"]


def tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until the locator has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} never took focus after {limit} presses of Tab")


def activate(page, locator) -> None:
    """Reach the control by Tab and press Enter on it."""
    tab_to(page, locator)
    page.keyboard.press("Enter")


def no_overflow(page, width: int) -> None:
    """Nothing sticks out sideways: a phone's reader would have to scroll both ways."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window"
