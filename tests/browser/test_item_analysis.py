"""The item analysis page in Chromium, for a test that draws questions at random: the table of
places with each drawn question under its place, and the whole page passes axe-core."""

from django.urls import reverse

from assessments.models import QuestionKind
from tests.academy.factories import UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionBankFactory,
    QuestionFactory,
    draw,
)
from tests.assessments.test_analysis import KNOWN
from tests.assessments.test_analysis_report import sit
from tests.browser.support import BROWSER_TEST, expect, signed_in_page

pytestmark = BROWSER_TEST


def test_the_analysis_of_a_test_with_random_draws(
    live_server, new_context, a11y, screenshot, trainer
):
    bank = QuestionBankFactory()
    for n in range(4):
        QuestionFactory(bank=bank, title=f"Bank question {n}")
    fixed = QuestionFactory(kind=QuestionKind.TRUE_FALSE, title="The fixed question")
    assessment = AssessmentFactory(questions=[fixed, draw(bank, 2)], title="Drawn test")
    for pattern in KNOWN * 2:
        sit(assessment, UserFactory(), pattern, by="slot")

    page = signed_in_page(live_server, new_context, trainer)
    page.goto(live_server.url + reverse("item_analysis", args=[assessment.pk]) + "?attempts=all")
    places = page.get_by_role("table", name="Statistics for each place in the test")
    expect(places.get_by_role("rowheader", name="The fixed question")).to_be_visible()
    expect(places.get_by_role("rowheader").filter(has_text="Drawn at random")).to_have_count(2)
    expect(places.get_by_role("rowheader").filter(has_text="Bank question")).not_to_have_count(0)
    expect(page.get_by_role("heading", name="Each question, wherever it was drawn")).to_be_visible()
    a11y.check(page, "item analysis with random draws")
    screenshot(page, "item-analysis-draws")
    a11y.assert_clean()
