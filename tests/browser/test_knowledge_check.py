"""A knowledge check in a lesson, with the keyboard alone, in headless Chromium.

The learner Tabs to the check, picks a wrong answer with the arrow keys, checks it (no script
needed: the form posts and the lesson comes back at the check), reads the feedback, Tabs to
"Try again", and this time gets it right. Every page is checked with axe-core.
"""

from wagtail.rich_text import RichText

from assessments.models import QuestionKind
from courses import services
from tests.academy.factories import PASSWORD
from tests.assessments.factories import QuestionFactory
from tests.browser.support import BROWSER_TEST, expect
from tests.courses.factories import LessonFactory

pytestmark = BROWSER_TEST

RIGHT = "Thank them and ask what would put it right"
WRONG = "Tell them to write in instead"


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '',
                    name: el.name || '', text: (el.innerText || '').trim(),
                    checked: !!el.checked,
                    label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : ''};
        }"""
    )


def _tab_until(page, wanted, what: str, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = _focused(page)
        if wanted(state):
            return state
    raise AssertionError(f"Tab never reached {what}")


def _answer(page, text: str, *, from_top: bool) -> None:
    """Tab to the check's radios (from the top of the lesson, through the skip link, or from
    the check the page opened at), choose `text` with the arrows, then Tab to "Check my answer"
    and press Enter."""
    limit = 60
    if from_top:
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        page.keyboard.press("Tab")
        assert _focused(page)["text"] == "Skip to main content"
        page.keyboard.press("Enter")
    else:
        limit = 1  # the first Tab lands on the first option
    _tab_until(
        page, lambda s: s["type"] == "radio" and s["name"] == "q1", "the check's options", limit
    )
    labels = page.evaluate(
        "() => Array.from(document.getElementsByName('q1'))"
        ".map(el => el.labels[0].innerText.trim())"
    )
    for _ in range(labels.index(text)):
        page.keyboard.press("ArrowDown")
    if not _focused(page)["checked"]:
        page.keyboard.press("Space")
    assert _focused(page)["label"] == text
    state = _tab_until(page, lambda s: s["tag"] == "button", "a button", limit=3)
    assert state["text"] == "Check my answer"
    page.keyboard.press("Enter")


def test_a_knowledge_check_with_the_keyboard_alone(
    live_server, new_context, a11y, screenshot, learner, course_tree
):
    question = QuestionFactory(
        kind=QuestionKind.SINGLE_CHOICE,
        stem="Someone tells you they are unhappy with their care. What do you do first?",
        general_feedback="Welcoming the complaint is the first of the Complaint Standards.",
        options=[
            (RIGHT, True, "Yes: listening first helps to put things right quickly."),
            (WRONG, False, "A complaint can be made in any way that suits the person."),
            ("Pass them to a manager straight away", False, "Try to help them yourself first."),
        ],
    )
    lesson = LessonFactory(
        parent=course_tree.course,
        title="Welcoming a complaint",
        body=[
            ("text", RichText("<p>Complaints are welcome: they tell us what to improve.</p>")),
            ("knowledge_check", {"question": question, "heading": "", "shuffle_options": True}),
        ],
    )
    services.enrol(user=learner, course=course_tree.course)

    page = new_context().new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(learner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(live_server.url + lesson.url)
    check = page.locator("section.academy-knowledge-check")
    expect(check.get_by_role("heading", name="Check your understanding")).to_be_visible()
    expect(check).not_to_contain_text("listening first helps")
    a11y.check(page, "lesson with a knowledge check")
    screenshot(page, "knowledge-check")

    _answer(page, WRONG, from_top=True)
    expect(check.get_by_role("heading", name="Not right this time.")).to_be_visible()
    expect(check).to_contain_text("A complaint can be made in any way that suits the person.")
    expect(check).to_contain_text(
        "Welcoming the complaint is the first of the Complaint Standards."
    )
    expect(check).to_contain_text("(right answer)")
    assert page.url.endswith("#" + check.get_attribute("id"))
    a11y.check(page, "knowledge check: not right")
    screenshot(page, "knowledge-check-not-right")

    # The page opened at the check, so the next Tab is its "Try again".
    state = _tab_until(page, lambda s: s["tag"] == "a", "a link", limit=2)
    assert state["text"].startswith("Try again")
    page.keyboard.press("Enter")
    expect(check.get_by_role("button", name="Check my answer")).to_be_visible()
    expect(check).not_to_contain_text("Not right this time.")

    _answer(page, RIGHT, from_top=False)
    expect(check.get_by_role("heading", name="Right: well done.")).to_be_visible()
    expect(check).to_contain_text("Yes: listening first helps to put things right quickly.")
    a11y.check(page, "knowledge check: right")
    screenshot(page, "knowledge-check-right")
    a11y.assert_clean()
