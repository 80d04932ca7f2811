"""An assessment on pages, in the browser: with the keyboard, with and without JavaScript.

The learner moves between pages with Enter and the Next and Previous buttons (each saves the
page), autosave saves the page being answered, the check step lists what is left with links to
it, and they submit from there. Every page is checked with axe-core.
"""

from django.urls import reverse

from assessments import services
from assessments.models import Attempt, QuestionKind
from tests.academy.factories import PASSWORD, UserFactory
from tests.assessments.factories import AssessmentFactory, QuestionFactory
from tests.browser.support import BROWSER_TEST, expect, sign_in, signed_in_page

pytestmark = BROWSER_TEST

EMAIL = "paged@example.org"


def _paged_attempt():
    """Five questions, two a page (the third a short answer), and the learner's attempt."""
    kinds = (
        [QuestionKind.SINGLE_CHOICE] * 2
        + [QuestionKind.SHORT_ANSWER]
        + [QuestionKind.SINGLE_CHOICE] * 2
    )
    assessment = AssessmentFactory(
        title="Paged check", questions=[QuestionFactory(kind=kind) for kind in kinds]
    )
    assessment.questions_per_page = 2
    assessment.save()
    learner = UserFactory(email=EMAIL)
    return services.start_attempt(user=learner, assessment=assessment)


def _responses(attempt):
    return list(attempt.responses.select_related("version").order_by("position"))


def test_a_learner_pages_through_with_the_keyboard_and_submits_from_the_check_step(
    live_server, new_context, a11y, screenshot
):
    attempt = _paged_attempt()
    responses = _responses(attempt)
    base = live_server.url
    page = new_context().new_page()
    sign_in(page, base, EMAIL, PASSWORD)
    page.goto(base + reverse("assessments:attempt", args=[attempt.pk]))
    expect(page.get_by_role("heading", name="Page 1 of 3")).to_be_visible()
    a11y.check(page, "attempt page 1 of 3")

    # A radio chosen with the keyboard, then autosaved: only this page's question is saved.
    page.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    expect(page.locator("[data-autosave-status]")).to_contain_text("All answers saved at")
    saved = {r.position: r.selected for r in _responses(attempt)}
    assert saved[1] and not any(saved[p] for p in (2, 3, 4, 5))

    # Enter on the focused radio submits with the form's first button: "Next page".
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Page 2 of 3")).to_be_visible()
    assert page.url.endswith("?page=2")
    a11y.check(page, "attempt page 2 of 3")
    screenshot(page, "attempt-page-2-of-3")

    # Type the short answer, then Enter in the text box: saved, and on to page 3.
    short = responses[2]
    page.locator(f"#q{short.pk}").fill("Apologise")
    page.locator(f"#q{short.pk}").press("Enter")
    expect(page.get_by_role("heading", name="Page 3 of 3")).to_be_visible()
    short.refresh_from_db()
    assert short.selected == ["Apologise"]

    # Previous goes back a page, from the keyboard too.
    page.get_by_role("button", name="Previous page").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Page 2 of 3")).to_be_visible()
    expect(page.locator(f"#q{short.pk}")).to_have_value("Apologise")

    page.get_by_role("button", name="Save and check your answers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("You have answered 2 of 5 questions.")).to_be_visible()
    a11y.check(page, "check your answers")
    screenshot(page, "attempt-check-your-answers")

    # Follow the link to an unanswered question, answer it, and come back.
    page.get_by_role("link", name="Question 5").click()
    expect(page.get_by_role("heading", name="Page 3 of 3")).to_be_visible()
    page.locator("#question-5 input[type=radio]").first.check()
    page.get_by_role("button", name="Check your answers", exact=True).click()
    expect(page.get_by_text("You have answered 3 of 5 questions.")).to_be_visible()

    page.get_by_role("button", name="Submit my answers").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Your result")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED and attempt.max_points == 5
    a11y.assert_clean()


def test_without_javascript_next_and_previous_save_the_page(live_server, new_context):
    attempt = _paged_attempt()
    base = live_server.url
    page = signed_in_page(live_server, new_context, attempt.user, java_script_enabled=False)
    page.goto(base + reverse("assessments:attempt", args=[attempt.pk]))
    page.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_role("heading", name="Page 2 of 3")).to_be_visible()
    first = _responses(attempt)[0]
    assert first.selected == [first.option_order[1]]
    page.get_by_role("button", name="Previous page").click()
    expect(page.get_by_role("heading", name="Page 1 of 3")).to_be_visible()
    expect(page.get_by_role("radio").nth(1)).to_be_checked()
