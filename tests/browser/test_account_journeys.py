"""Signing in, being locked out and getting back in, and the staff area, on the demo, in Chromium,
with the keyboard alone; every Academy page on the way passes axe-core.

- A learner who opens /admin/ is told it is for Academy staff (no sign-in loop) and finds their
  way back to their learning; a trainer signs in, lands in the admin, opens a live lesson from it
  without enrolling, and returns to the admin by the header's link.
- Five wrong passwords lock the right one out: the page says until when and offers a reset, and
  the reset signs the learner straight in.
- A link to confirm an e-mail address that no longer works offers a new one, which works.
"""

import io
import re

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.management import call_command

from academy.models import User
from config.settings import base
from courses.models import LessonPage
from portal.demo_content import PASSWORD
from tests.academy.factories import app_code
from tests.browser.support import BROWSER_TEST, expect, signed_in_page

pytestmark = BROWSER_TEST


def _focused_is(page, locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def _tab_to(page, locator, limit: int = 60) -> None:
    """Press Tab until the locator has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused_is(page, locator):
            return
    raise AssertionError(f"{locator} never took focus after {limit} presses of Tab")


def _activate(page, locator) -> None:
    _tab_to(page, locator)
    page.keyboard.press("Enter")


def _sign_in(page, base_url, email, password, *, path="/accounts/login/"):
    page.goto(base_url + path)
    expect(page.locator("h1")).to_have_text("Sign in")
    _tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(email)
    _tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def _sign_out(page):
    _activate(page, page.get_by_role("button", name="Sign out"))
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def _demo():
    call_command("load_demo", stdout=io.StringIO())
    mail.outbox.clear()


def test_the_admin_is_for_staff_and_staff_land_there(live_server, new_context, a11y, screenshot):
    _demo()
    base_url = live_server.url
    page = new_context().new_page()

    # A learner, signed in, opens the admin: a page that says so, not a loop through sign-in.
    _sign_in(page, base_url, "learner@example.org", PASSWORD)
    expect(page).to_have_url(base_url + "/dashboard/")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Admin")).to_have_count(0)
    response = page.goto(base_url + "/admin/")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("This area is for Academy staff")
    a11y.check(page, "staff only")
    screenshot(page, "staff-only")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "staff-only-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    _activate(page, page.get_by_role("link", name="Go to My learning"))
    expect(page.locator("h1")).to_have_text("My learning")
    _sign_out(page)

    # A trainer (with their authenticator app) lands in the admin after signing in.
    trainer = User.objects.get(email="trainer@example.org")
    secret = generate_totp_secret()
    TOTP.activate(trainer, secret)
    _sign_in(page, base_url, trainer.email, PASSWORD)
    expect(page.locator("h1")).to_have_text("Enter your security code")
    _tab_to(page, page.get_by_label("Security code"))
    page.keyboard.type(app_code(secret))
    page.keyboard.press("Enter")
    expect(page).to_have_url(base_url + "/admin/")

    # From a lesson's page in the admin, "View live" shows the lesson without enrolling.
    lesson = next(
        lesson
        for lesson in LessonPage.objects.live().order_by("path")
        if lesson.get_next_siblings().live().exists()
    )
    following = lesson.get_next_siblings().live().first()
    page.goto(f"{base_url}/admin/pages/{lesson.pk}/edit/")
    view_live = page.get_by_role("link", name=re.compile("Visit the live page"))
    expect(view_live).to_have_attribute("href", lesson.url)
    if view_live.get_attribute("target") == "_blank":
        with page.context.expect_page() as opened:
            view_live.focus()
            page.keyboard.press("Enter")
        page = opened.value
    else:
        view_live.focus()
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(lesson.title)
    callout = page.locator(".nhsuk-warning-callout")
    expect(callout).to_contain_text("You are not enrolled on this course")
    expect(page.get_by_role("button", name=re.compile("Mark as done"))).to_have_count(0)
    a11y.check(page, "lesson seen by staff")
    screenshot(page, "lesson-staff-view")
    _activate(page, page.get_by_role("link", name=f"Next: {following.title}"))
    expect(page.locator("h1")).to_have_text(following.title)
    assert not trainer.enrolments.exists()

    # And back to the admin from the site's header.
    _activate(page, page.get_by_role("banner").get_by_role("link", name="Admin"))
    expect(page).to_have_url(base_url + "/admin/")
    a11y.assert_clean()


def test_five_wrong_passwords_lock_out_and_a_reset_lets_the_learner_in(
    live_server, new_context, a11y, screenshot, settings
):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    _demo()
    base_url = live_server.url
    page = new_context().new_page()
    email = "learner@example.org"

    for attempt in range(5):
        _sign_in(page, base_url, email, f"Not-my-password-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text("password")
    _sign_in(page, base_url, email, PASSWORD)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("You have entered the wrong password too many times")
    expect(summary).to_contain_text(re.compile(r"try again after \d{1,2}:\d\d[ap]m"))
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    expect(page.get_by_role("link", name=re.compile("Forgotten your password"))).to_have_count(1)
    a11y.check(page, "locked out")
    screenshot(page, "locked-out")

    # The summary's own link to a reset, the first thing Tab reaches.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="reset your password")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Reset your password")
    a11y.check(page, "reset your password")
    _tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    a11y.check(page, "reset link sent")

    [message] = mail.outbox
    assert message.subject == "[PHSO Academy] Reset your password"
    assert message.body.startswith("Dear Amira Okafor,")
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Choose a new password")
    a11y.check(page, "choose a new password")
    new_password = "Seaside-lighthouse-2027"
    _tab_to(page, page.get_by_label("New password", exact=True))
    page.keyboard.type(new_password)
    _tab_to(page, page.get_by_label("New password again"))
    page.keyboard.type(new_password)
    page.keyboard.press("Enter")

    # Signed straight in, for all the wrong passwords before.
    expect(page.locator("h1")).to_have_text("My learning")
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")
    _sign_out(page)
    _sign_in(page, base_url, email, new_password)
    expect(page.locator("h1")).to_have_text("My learning")
    a11y.assert_clean()


def test_a_confirmation_link_that_no_longer_works_offers_a_new_one(
    live_server, new_context, a11y, screenshot
):
    _demo()
    base_url = live_server.url
    learner = User.objects.get(email="learner@example.org")
    EmailAddress.objects.filter(user=learner).update(verified=False)
    page = new_context().new_page()

    page.goto(base_url + "/accounts/confirm-email/MQ:1tOldLinkThatHasRunOut/")
    expect(page.locator("h1")).to_have_text("This link no longer works")
    a11y.check(page, "confirmation link that no longer works")
    screenshot(page, "confirmation-link-expired")
    _tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(learner.email)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    a11y.check(page, "new confirmation link sent")

    [message] = mail.outbox
    assert message.subject == "[PHSO Academy] Confirm your e-mail address"
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Confirm your e-mail address")
    a11y.check(page, "confirm your e-mail address")
    _activate(page, page.get_by_role("button", name="Confirm my e-mail address"))
    expect(page.get_by_role("status")).to_contain_text(f"Thank you: {learner.email} is confirmed")
    expect(page.locator("h1")).to_have_text("Sign in")
    a11y.check(page, "sign in after confirming")
    assert EmailAddress.objects.get(user=learner).verified
    _sign_in(page, base_url, learner.email, PASSWORD)
    expect(page.locator("h1")).to_have_text("My learning")
    a11y.assert_clean()


def test_a_learner_adds_an_address_by_keyboard(live_server, new_context, a11y, learner):
    EmailAddress.objects.get_or_create(
        user=learner, email=learner.email, defaults={"verified": True, "primary": True}
    )
    page = signed_in_page(live_server, new_context, learner, width=390)
    page.goto(live_server.url + "/accounts/email/")
    expect(page.get_by_role("heading", name="Your e-mail addresses")).to_be_visible()
    a11y.check(page, "e-mail addresses on a phone")
    page.get_by_label("Email").focus()
    page.keyboard.type("priya.sharma@nhs.example")
    page.keyboard.press("Enter")
    expect(page.get_by_role("radio", name=re.compile("priya.sharma@nhs.example"))).to_be_visible()
    expect(page.get_by_text("Not checked yet")).to_be_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 390px phone"
    a11y.check(page, "e-mail addresses with one not checked yet")
    a11y.assert_clean()
