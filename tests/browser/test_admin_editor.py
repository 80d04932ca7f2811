"""The page editor, as a trainer finds it, in Chromium: the lesson body's blocks of our own have a
name for every field (axe-core), leaving out only Wagtail's own rich text editor, which
docs/decisions.md lists with its upstream issue."""

from django.conf import settings
from django.test import Client
from wagtail.rich_text import RichText

from academy import services as people
from tests.academy.factories import UserFactory
from tests.browser.support import BROWSER_TEST, expect
from tests.courses.factories import LessonFactory

pytestmark = BROWSER_TEST

# Draftail's text box has no accessible name anywhere in Wagtail 8: wagtail/wagtail#14205.
DRAFTAIL = ".public-DraftEditor-content"


def signed_in_page(live_server, new_context, user):
    """A page whose browser holds a session for `user` (who has an authenticator already)."""
    client = Client()
    client.force_login(user)
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


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
