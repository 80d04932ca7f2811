"""Marking in the browser: the demo's written exercise goes from a learner's essay through first
marking, blind second marking, moderation and release, to the learner reading the result, and
then a moderator correcting the released mark with the keyboard alone.

Assessors sign in as staff do, with a password and then a code from their authenticator app. A
code is accepted once, so the moderator keeps a browser of their own, signed in, rather than
signing in again within the same 30 seconds. Every page on the way, the admin's marking pages
included, is checked with axe-core.
"""

import io
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from academy.models import User
from assessments import services
from assessments.models import Assessment, Attempt, Response
from portal.demo_content import MARKED_ASSESSMENT, PASSWORD
from tests.browser.support import BROWSER_TEST, expect, sign_in

pytestmark = BROWSER_TEST

LEARNER = "learner@example.org"
ASSESSORS = ("assessor@example.org", "assessor2@example.org", "moderator@example.org")


def _sign_out(page):
    page.context.clear_cookies()


def _settle_messages(page):
    """The admin's message fades in; axe would measure the contrast of a half-faded colour."""
    page.locator(".messages").evaluate(
        "el => Promise.all(el.getAnimations({subtree: true}).map(a => a.finished))"
    )


def _choose_levels(page, picks):
    """Tick, for each criterion in order, the level at that index."""
    for fieldset, pick in zip(page.locator("fieldset.academy-criterion").all(), picks, strict=True):
        fieldset.locator("input[type=radio]").nth(pick).check()


def test_an_essay_is_marked_moderated_released_read_and_corrected(
    live_server, new_context, a11y, screenshot
):
    call_command("load_demo", stdout=io.StringIO())
    assessment = Assessment.objects.get(title=MARKED_ASSESSMENT["title"])
    learner = User.objects.get(email=LEARNER)
    attempt = Attempt.objects.get(user=learner, assessment=assessment)
    assert attempt.status == Attempt.Status.MARKING
    secrets = {}
    for email in ASSESSORS:
        secrets[email] = generate_totp_secret()
        TOTP.activate(User.objects.get(email=email), secrets[email])
    base = live_server.url
    page = new_context().new_page()

    # The learner, while marking goes on: submitted, and told to wait.
    sign_in(page, base, LEARNER, PASSWORD)
    result_url = base + reverse("assessments:result", args=[attempt.pk])
    page.goto(result_url)
    expect(page.locator("h1")).to_have_text("Your answers have been submitted")
    a11y.check(page, "awaiting marking")
    _sign_out(page)

    # First marker: the queue shows candidate numbers, not names.
    sign_in(page, base, ASSESSORS[0], PASSWORD, secret=secrets[ASSESSORS[0]])
    page.goto(base + reverse("marking_queue"))
    expect(page.locator("table.listing")).to_contain_text("Candidate ")
    expect(page.locator("table.listing")).not_to_contain_text("Amira Okafor")
    a11y.check(page, "marking queue")
    screenshot(page, "marking-queue")
    essay_response = Response.objects.get(attempt=attempt, marking=Response.Marking.TO_MARK)
    page.goto(base + reverse("marking_mark", args=[essay_response.pk]))
    expect(page.get_by_text("The log backs up part of the complaint")).to_be_visible()
    a11y.check(page, "first marking")
    _choose_levels(page, [2, 2, 2])
    page.get_by_label("Feedback for the learner").fill("A careful, fair summary.")
    page.get_by_role("button", name="Save the mark").click()
    expect(page.get_by_text("The mark has been saved.")).to_be_visible()
    _sign_out(page)

    # Second marker: blind, and disagrees.
    sign_in(page, base, ASSESSORS[1], PASSWORD, secret=secrets[ASSESSORS[1]])
    page.goto(base + reverse("marking_mark", args=[essay_response.pk]))
    expect(page.get_by_role("heading", name="Second mark")).to_be_visible()
    expect(page.get_by_text("A careful, fair summary.")).to_have_count(0)
    a11y.check(page, "second marking")
    _choose_levels(page, [1, 0, 1])
    page.get_by_role("button", name="Save the mark").click()
    expect(page.get_by_text("The mark has been saved.")).to_be_visible()
    _sign_out(page)

    moderated = "Good use of the log; say more about fairness."
    # Moderator, in a browser of their own: sees both marks, decides, then releases the held
    # results.
    staff = new_context().new_page()
    sign_in(staff, base, ASSESSORS[2], PASSWORD, secret=secrets[ASSESSORS[2]])
    mark_url = base + reverse("marking_mark", args=[essay_response.pk])
    staff.goto(mark_url)
    expect(staff.get_by_text("A careful, fair summary.")).to_be_visible()
    a11y.check(staff, "moderation")
    screenshot(staff, "moderation")
    _choose_levels(staff, [2, 1, 2])
    staff.get_by_label("Feedback for the learner").fill(moderated)
    staff.get_by_role("button", name="Save the mark").click()
    expect(staff.get_by_text("The mark has been saved.")).to_be_visible()
    staff.goto(base + reverse("marking_queue") + f"?assessment={assessment.pk}")
    release = f"Release 1 result of “{assessment.title}” to learners"
    staff.get_by_role("button", name=release).click()
    expect(staff.get_by_text("Released 1 result")).to_be_visible()
    _settle_messages(staff)
    a11y.check(staff, "queue after release")

    # The learner reads the result: the levels and the moderator's feedback.
    sign_in(page, base, LEARNER, PASSWORD)
    page.goto(result_url)
    expect(page.locator("h1")).to_contain_text("Your result")
    expect(page.get_by_text(moderated)).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Partly shown")
    a11y.check(page, "result with a marked essay")
    screenshot(page, "marked-result")
    attempt.refresh_from_db()
    assert attempt.is_released and attempt.percent == Decimal("91.67")

    # The learner appeals; the moderator corrects the released mark by keyboard alone: into the
    # first criterion's chosen level, Tab to the next criterion, an arrow key to raise it, Tab on
    # through the feedback and the reason to the button.
    staff.goto(mark_url)
    final_mark = "The final mark: 0.83 of 1 mark (83.3%)"
    expect(staff.get_by_role("heading", name=final_mark)).to_be_visible()
    expect(staff.locator(".academy-final-mark")).to_contain_text("Joanna Lee (moderator's mark)")
    a11y.check(staff, "correcting a released mark")
    screenshot(staff, "correct-a-mark")
    criteria = staff.locator("form:has(input[name=shown]) fieldset.academy-criterion")
    criteria.nth(0).locator("input:checked").focus()
    staff.keyboard.press("Tab")
    expect(criteria.nth(1).get_by_label("Partly shown")).to_be_focused()
    staff.keyboard.press("ArrowDown")
    expect(criteria.nth(1).get_by_label("Fully shown")).to_be_checked()
    staff.keyboard.press("Tab")
    staff.keyboard.press("Tab")
    corrected = "The second paragraph gives both accounts a fair hearing."
    feedback = staff.locator("#id_correct_feedback")
    expect(feedback).to_be_focused()
    staff.keyboard.press("Control+A")
    staff.keyboard.type(corrected)
    staff.keyboard.press("Tab")
    expect(staff.locator("#id_correct_reason")).to_be_focused()
    staff.keyboard.type("Appeal upheld: fairness was fully shown.")
    staff.keyboard.press("Tab")
    expect(staff.get_by_role("button", name="Correct this mark")).to_be_focused()
    staff.keyboard.press("Enter")
    expect(staff.get_by_text("The mark has been corrected")).to_be_visible()
    expect(staff.get_by_role("heading", name="The final mark: 1 of 1 mark (100%)")).to_be_visible()
    _settle_messages(staff)
    a11y.check(staff, "after correcting a released mark")
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00") and attempt.passed
    corrections = [m for m in mail.outbox if "Your result was corrected" in m.subject]
    assert [m.to for m in corrections] == [[LEARNER]]

    # The learner reads the corrected result.
    page.goto(result_url)
    expect(page.get_by_text(corrected)).to_be_visible()
    expect(page.get_by_text(moderated)).to_have_count(0)
    a11y.check(page, "corrected result")

    # Released, so another attempt may start: the essay is a text area the learner types into.
    second = services.start_attempt(user=learner, assessment=assessment)
    page.goto(base + reverse("assessments:attempt", args=[second.pk]))
    essay = page.get_by_role("textbox").first
    essay.fill("A first paragraph.\n\nA second paragraph.")
    a11y.check(page, "attempt with an essay")
    a11y.assert_clean()
