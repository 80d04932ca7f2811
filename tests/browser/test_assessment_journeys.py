"""Before, during and after an assessment, and the marking queue, in the browser with the
keyboard alone and checked with axe-core: the course page says what the assessment asks; a
submit with questions not answered warns first, on the page with JavaScript and on the check
step without; an assessor's queue opens on their own stage with counts, release offered."""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from academy import services as people
from assessments.models import Attempt
from assessments.services.marking import MarkGiven
from courses import services as course_services
from tests.academy.factories import PASSWORD, UserFactory
from tests.assessments.test_marking import essay_of, give, hand_in, levels, make_assessment
from tests.browser.support import BROWSER_TEST, expect, sign_in, signed_in_page
from tests.courses.factories import build_course

pytestmark = BROWSER_TEST

EMAIL = "journey@example.org"


def _ready_course(catalogue, **assessment_fields):
    """A course with every lesson done by the learner, so its assessment can start."""
    tree = build_course(catalogue=catalogue, title="Answering complaints", **assessment_fields)
    learner = UserFactory(email=EMAIL, full_name="Rhian Jones")
    enrolment = course_services.enrol(user=learner, course=tree.course)
    for lesson in tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    return tree, learner


def _answer_first_question_by_keyboard(page):
    first = page.locator("[data-question='1'] input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()


def test_the_start_page_and_the_warning_before_submitting_with_javascript(
    live_server, new_context, a11y, screenshot, catalogue
):
    tree, learner = _ready_course(catalogue, max_attempts=1, time_limit_minutes=30)
    base = live_server.url
    page = new_context().new_page()
    sign_in(page, base, EMAIL, PASSWORD)
    page.goto(base + tree.course.url)
    facts = page.locator(".academy-assessment-facts")
    expect(facts).to_contain_text("3 questions")
    expect(facts).to_contain_text("1 attempt allowed. You have not made one yet.")
    expect(facts).to_contain_text("30 minutes from when you start an attempt")
    expect(facts).to_contain_text(f"{tree.assessment.pass_mark}%")
    a11y.check(page, "course page with the assessment's facts")
    screenshot(page, "journeys-start-page")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "journeys-start-page-390")
    a11y.check(page, "course page at 390 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Start the assessment").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Submit my answers")).to_be_visible()
    # The page's script is deferred: on a busy machine the button shows before the script has
    # taken over the form, and submitting then goes to the server's own page instead.
    page.wait_for_load_state("load")
    warning = page.locator("[data-unanswered-warning]")
    expect(warning).to_be_hidden()
    _answer_first_question_by_keyboard(page)

    page.get_by_role("button", name="Submit my answers").focus()
    page.keyboard.press("Enter")
    expect(warning).to_be_visible()
    expect(warning).to_be_focused()
    expect(warning).to_contain_text("You have answered 1 of 3 questions.")
    expect(warning.get_by_role("link", name="Question 2")).to_be_visible()
    expect(warning.get_by_role("link", name="Question 3")).to_be_visible()
    attempt = Attempt.objects.get(user=learner)
    assert attempt.status == Attempt.Status.IN_PROGRESS
    a11y.check(page, "warning before submitting, with JavaScript")
    screenshot(page, "journeys-unanswered-warning", full_page=False)

    # Tab through the warning: its two links, then its buttons; going back puts focus on the
    # first question not answered.
    page.keyboard.press("Tab")
    expect(warning.get_by_role("link", name="Question 2")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(warning.get_by_role("button", name="Submit anyway")).to_be_focused()
    page.keyboard.press("Tab")
    expect(warning.get_by_role("button", name="Go back to my answers")).to_be_focused()
    page.keyboard.press("Enter")
    expect(warning).to_be_hidden()
    expect(page.locator("[data-question='2'] input").first).to_be_focused()

    page.get_by_role("button", name="Submit my answers").focus()
    page.keyboard.press("Enter")
    expect(warning).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Your result")
    attempt.refresh_from_db()
    assert attempt.is_submitted
    # A fail: the result says nothing of a certificate.
    expect(page.locator("main")).not_to_contain_text("certificate")
    a11y.check(page, "result of a fail")
    a11y.assert_clean()


def test_without_javascript_a_submit_with_questions_left_goes_to_the_check_step(
    live_server, new_context, a11y, screenshot, catalogue
):
    tree, learner = _ready_course(catalogue)
    base = live_server.url
    page = signed_in_page(live_server, new_context, learner, java_script_enabled=False)
    page.goto(base + tree.course.url)
    page.get_by_role("button", name="Start the assessment").focus()
    page.keyboard.press("Enter")
    _answer_first_question_by_keyboard(page)
    # Hidden without the script: the page's own warning never shows.
    expect(page.locator("[data-unanswered-warning]")).to_be_hidden()
    page.get_by_role("button", name="Submit my answers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("You have answered 1 of 3 questions.")).to_be_visible()
    expect(page.get_by_role("link", name="Question 2")).to_be_visible()
    attempt = Attempt.objects.get(user=learner)
    assert attempt.status == Attempt.Status.IN_PROGRESS
    screenshot(page, "journeys-check-step-no-js")
    # axe runs as a script, so the same page is audited in a browser that runs them.
    audited = signed_in_page(live_server, new_context, learner)
    audited.goto(page.url)
    expect(audited.get_by_text("You have answered 1 of 3 questions.")).to_be_visible()
    a11y.check(audited, "check step before submitting, without JavaScript")
    audited.close()
    page.get_by_role("button", name="Submit my answers").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Your result")
    attempt.refresh_from_db()
    assert attempt.is_submitted
    a11y.assert_clean()


def test_the_marking_queue_opens_on_the_assessors_stage_by_keyboard(
    live_server, new_context, a11y, screenshot, staff_groups
):
    assessment = make_assessment(second_marking_percent=100, hold_results=True, title="Essay")
    first_marker = UserFactory(full_name="Ada Assessor", groups=[people.ASSESSORS])
    second = UserFactory(
        email="second@example.org", full_name="Ben Second", groups=[people.ASSESSORS]
    )
    sampled = essay_of(hand_in(UserFactory(), assessment))
    hand_in(UserFactory(), assessment)
    give(response=sampled, marker=first_marker, given=MarkGiven(levels(sampled, 2, 2)))
    held = make_assessment(hold_results=True, title="Held exercise")
    held_essay = essay_of(hand_in(UserFactory(), held))
    give(response=held_essay, marker=first_marker, given=MarkGiven(levels(held_essay, 1, 1)))
    secret = generate_totp_secret()
    TOTP.activate(second, secret)

    base = live_server.url
    page = new_context().new_page()
    sign_in(page, base, "second@example.org", PASSWORD, secret=secret)
    page.goto(base + reverse("marking_queue"))
    stages = page.get_by_role("navigation", name="Stages of marking")
    current = stages.locator("[aria-current=page]")
    expect(current).to_have_text("Awaiting second marking (1)")
    expect(stages).to_contain_text("To mark (1)")
    release = page.get_by_role("button", name="Release 1 result of “Held exercise” to learners")
    expect(release).to_be_visible()
    a11y.check(page, "marking queue on second marking")
    screenshot(page, "journeys-marking-queue")

    # By keyboard: from the stage links to "To mark", then open the answer there.
    stages.get_by_role("link", name="To mark (1)").focus()
    page.keyboard.press("Enter")
    expect(stages.locator("[aria-current=page]")).to_have_text("To mark (1)")
    page.locator("table.listing a").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="First mark", exact=True)).to_be_visible()
    a11y.check(page, "first marking from the queue")

    page.goto(base + reverse("marking_queue") + "?marking=second")
    page.locator("table.listing a").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Second mark", exact=True)).to_be_visible()
    a11y.check(page, "second marking from the queue")
    a11y.assert_clean()
