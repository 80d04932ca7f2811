"""The page editor, as a trainer finds it, in Chromium: the lesson body's blocks of our own have a
name for every field (axe-core), leaving out only Wagtail's own rich text editor, which
docs/decisions.md lists with its upstream issue."""

from decimal import Decimal

from wagtail.rich_text import RichText

from academy import services as people
from assessments.models import Choice, QuestionKind
from tests.academy.factories import UserFactory
from tests.assessments.factories import QuestionFactory
from tests.browser.support import BROWSER_TEST, expect, signed_in_page
from tests.courses.factories import LessonFactory

pytestmark = BROWSER_TEST

# Draftail's text box has no accessible name anywhere in Wagtail 8: wagtail/wagtail#14205.
DRAFTAIL = ".public-DraftEditor-content"


def test_every_field_of_a_lesson_body_has_a_name(
    live_server, new_context, a11y, screenshot, course_tree, staff_groups
):
    trainer = UserFactory(full_name="Tom Ridley", groups=[people.TRAINERS], mfa=True)
    lesson = LessonFactory(
        parent=course_tree.course,
        title="Making it easy to complain",
        body=[
            ("text", RichText("<p>Why the first contact matters.</p>")),
            (
                "case_study",
                {
                    "title": "A complaint at the front desk",
                    "scenario": RichText("<p>Someone asks how to complain.</p>"),
                    "questions": ["What would you say first?", "Who do you tell?"],
                },
            ),
        ],
    )
    page = signed_in_page(live_server, new_context, trainer)
    page.goto(f"{live_server.url}/admin/pages/{lesson.pk}/edit/")
    questions = page.get_by_role("textbox", name="Question to consider")
    expect(questions).to_have_count(2)
    expect(questions.first).to_have_value("What would you say first?")
    screenshot(page, "lesson-editor")
    a11y.check(page, "lesson editor with a case study", exclude=(DRAFTAIL,))
    a11y.assert_clean()


def _question_page(live_server, new_context, staff_groups, question, **options):
    trainer = UserFactory(full_name="Tom Ridley", groups=[people.TRAINERS], mfa=True)
    page = signed_in_page(live_server, new_context, trainer, height=2400, **options)
    page.goto(f"{live_server.url}/admin/question/edit/{question.pk}/")
    return page


def test_the_question_form_shows_only_the_fields_its_kind_uses(
    live_server, new_context, a11y, screenshot, staff_groups
):
    question = QuestionFactory(kind=QuestionKind.TRUE_FALSE)
    # A part mark left over from when it was a multiple-response question: true or false uses
    # none.
    Choice.objects.filter(question=question).update(fraction=Decimal("0.5"))
    page = _question_page(live_server, new_context, staff_groups, question)
    fraction = page.locator('[name="choices-0-fraction"]')
    expect(page.locator('[name="choices-0-text"]')).to_be_visible()
    expect(fraction).to_be_hidden()
    expect(page.locator('[name="choices-0-value"]')).to_be_hidden()
    expect(page.get_by_role("checkbox", name="Case sensitive")).to_be_hidden()
    expect(page.get_by_role("combobox", name="Rubric")).to_be_hidden()
    a11y.check(page, "question form, true or false", exclude=(DRAFTAIL,))

    # By keyboard: the kind becomes an essay; only the rubric is left to fill in.
    kind = page.get_by_role("combobox", name="Kind")
    kind.focus()
    kind.select_option("essay")
    expect(page.get_by_role("combobox", name="Rubric")).to_be_visible()
    expect(page.get_by_text("Options and answers 1")).to_be_hidden()
    kind.select_option("multiple")
    expect(fraction).to_be_visible()
    kind.select_option("truefalse")
    expect(fraction).to_be_hidden()
    screenshot(page, "question-form-true-false")

    # Saved as it is shown: the hidden part marks are emptied, so the kind's rules accept it.
    page.get_by_role("button", name="Save").first.press("Enter")
    expect(page.get_by_text("updated", exact=False).first).to_be_visible()
    assert not Choice.objects.filter(question=question, fraction__isnull=False).exists()
    a11y.assert_clean()


def test_without_javascript_every_field_shows(live_server, new_context, staff_groups):
    question = QuestionFactory(kind=QuestionKind.SINGLE_CHOICE)
    page = _question_page(
        live_server, new_context, staff_groups, question, java_script_enabled=False
    )
    expect(page.locator('[name="choices-0-fraction"]')).to_be_visible()
    expect(page.get_by_role("checkbox", name="Case sensitive")).to_be_visible()
