"""Checking an answer during an attempt, with the keyboard alone, in headless Chromium.

The learner Tabs to a question, picks an answer with the arrow keys (autosave saves it), Tabs to
"Check this answer" and presses Enter. The page comes back with focus on the feedback, which
is also read out; the answer is final. Enter in a text box still saves the page rather than
checking anything. The page is checked with axe-core before and after.
"""

from django.urls import reverse

from assessments import services
from assessments.models import QuestionKind
from tests.academy.factories import PASSWORD, UserFactory
from tests.assessments.factories import AssessmentFactory, QuestionFactory
from tests.browser import test_attempt_pages as attempt_pages
from tests.browser.support import BROWSER_TEST, expect, sign_in
from tests.browser.test_knowledge_check import _focused, _tab_until

pytestmark = BROWSER_TEST


def test_a_learner_checks_an_answer_with_the_keyboard_alone(
    live_server, new_context, a11y, screenshot
):

    single = QuestionFactory(kind=QuestionKind.SINGLE_CHOICE)
    wrong = single.choices.filter(is_correct=False).first()
    assessment = AssessmentFactory(
        title="Responding to complaints check",
        questions=[single, QuestionFactory(kind=QuestionKind.SHORT_ANSWER)],
        check_during_attempt=True,
        # A practice check: the feedback and the right answer show as soon as it is checked.
        review_during_feedback=True,
        review_during_answers=True,
    )
    learner = UserFactory(email=attempt_pages.EMAIL)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    first, short = attempt.responses.order_by("position")

    page = new_context().new_page()
    sign_in(page, live_server.url, attempt_pages.EMAIL, PASSWORD)
    page.goto(live_server.url + reverse("assessments:attempt", args=[attempt.pk]))
    expect(page.get_by_role("button", name="Check this answer to question 1")).to_be_visible()
    a11y.check(page, "attempt page with checks")

    # Tab from the top of the page to the question's options, then arrow to the wrong one (the
    # arrow keys also choose it), which autosave saves.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    _tab_until(page, lambda s: s["name"] == f"q{first.pk}", "the first question's options")
    while _focused(page)["label"] != wrong.text:
        page.keyboard.press("ArrowDown")
    if not _focused(page)["checked"]:
        page.keyboard.press("Space")  # the option Tab lands on is not chosen until then
    # Straight on to the button, while the autosave of that choice may still be on its way.
    state = _tab_until(page, lambda s: s["tag"] == "button", "a button", limit=3)
    assert " ".join(state["text"].split()) == "Check this answer to question 1"
    page.keyboard.press("Enter")

    feedback = page.locator("#question-1-feedback")
    expect(feedback.get_by_role("heading", name="Not right.")).to_be_visible()
    assert page.url.endswith("#question-1-feedback")
    expect(feedback).to_be_focused()
    expect(page.locator("[data-check-announcer]")).to_have_text(
        "Question 1 checked: not right. Mark: 0 of 1 mark. Your answer is now final."
    )
    expect(feedback).to_contain_text(wrong.feedback)
    expect(feedback).to_contain_text(single.general_feedback)
    expect(feedback).to_contain_text("(right answer)")
    expect(page.locator(f"[name=q{first.pk}]")).to_have_count(0)  # final: no fields left
    first.refresh_from_db()
    assert first.checked_at is not None and first.score == 0
    assert first.selected == [
        next(o["key"] for o in first.version.options if o["text"] == wrong.text)
    ]
    a11y.check(page, "attempt page after a check")
    screenshot(page, "attempt-checked-answer")

    # Enter in the short answer's text box presses the page's own first button ("Save"), not
    # the question's "Check this answer".
    page.locator(f"#q{short.pk}").fill("Apologise")
    page.locator(f"#q{short.pk}").press("Enter")
    expect(page.get_by_text("Your answers have been saved.")).to_be_visible()
    short.refresh_from_db()
    assert short.selected == ["Apologise"] and short.checked_at is None
    expect(page.get_by_role("button", name="Check this answer to question 2")).to_be_visible()
    a11y.assert_clean()
