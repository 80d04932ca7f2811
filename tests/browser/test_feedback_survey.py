"""Answering and skipping a feedback survey in Chromium, by keyboard alone, from the dashboard's
prompt: a skip is confirmed, a missing rating is pointed out and fixed, the answers are thanked
for; axe-clean at desktop and phone widths."""

from academy.models import Membership
from feedback.models import Offer, Response
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.browser.support import BROWSER_TEST, expect, signed_in_page
from tests.courses.factories import CourseFactory
from tests.feedback.factories import make_survey, offer_to

pytestmark = BROWSER_TEST


def _press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def _no_overflow(page, width):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window"


def test_a_learner_skips_one_survey_and_answers_another_by_keyboard(
    live_server, new_context, a11y, screenshot, catalogue
):
    organisation = OrganisationFactory(name="Northfield Hospitals NHS Foundation Trust")
    for width in (1280, 390):
        learner = UserFactory(full_name=f"Nadia Learner {width}")
        MembershipFactory(user=learner, organisation=organisation, role=Membership.Role.LEARNER)
        answered = CourseFactory(parent=catalogue, title=f"Explaining decisions {width}")
        skipped = CourseFactory(parent=catalogue, title=f"Remedies that put things right {width}")
        offer = offer_to(make_survey(course=answered), learner)
        offer_to(make_survey(course=skipped), learner)

        page = signed_in_page(live_server, new_context, learner, width=width)
        page.goto(live_server.url + "/dashboard/")
        waiting = page.get_by_role("list", name="Surveys waiting for your answer")
        expect(
            waiting.get_by_role("heading", name=f"Tell us about {answered.title}")
        ).to_be_visible()
        _no_overflow(page, width)
        screenshot(page, f"feedback-dashboard-{width}")
        a11y.check(page, f"the dashboard with surveys waiting at {width}px")

        _press(page, page.get_by_role("button", name=f"Skip the survey about {skipped.title}"))
        expect(page.get_by_role("status")).to_contain_text(
            f"You skipped the survey about {skipped.title}. We will not ask again."
        )
        expect(page.get_by_role("heading", name=f"Tell us about {skipped.title}")).to_have_count(0)

        _press(page, page.get_by_role("link", name=f"Answer the survey about {answered.title}"))
        expect(page.get_by_role("heading", name=f"Tell us about {answered.title}")).to_be_visible()
        expect(page.get_by_text("Your answers are anonymous")).to_be_visible()
        _no_overflow(page, width)
        a11y.check(page, f"a survey at {width}px")

        clear = page.get_by_role("group", name="How clear was it?")
        _press(page, clear.get_by_role("radio", name="4"), "Space")
        _press(page, page.get_by_role("button", name="Send my answers"))
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("How useful will it be in your work?: Choose a rating")
        expect(
            page.get_by_role("group", name="How clear was it?").get_by_role("radio", name="4")
        ).to_be_checked()
        _no_overflow(page, width)
        screenshot(page, f"feedback-error-{width}")
        a11y.check(page, f"a survey with an error at {width}px")

        _press(page, summary.get_by_role("link").first)
        expect(
            page.get_by_role("group", name="How useful will it be in your work?").get_by_role(
                "radio", name="1 – Not useful"
            )
        ).to_be_focused()
        for question, rating in (
            ("How useful will it be in your work?", "5 – Very useful"),
            ("How well did it use your time?", "3"),
            ("Overall, how would you rate it?", "4"),
        ):
            _press(
                page,
                page.get_by_role("group", name=question).get_by_role("radio", name=rating),
                "Space",
            )
        page.get_by_label("What one thing would make it better? (optional)").focus()
        page.keyboard.type("A checklist to keep at my desk.")
        _press(page, page.get_by_role("button", name="Send my answers"))

        expect(page.get_by_role("status")).to_contain_text(
            f"Thank you for telling us about {answered.title}."
        )
        expect(page.get_by_role("list", name="Surveys waiting for your answer")).to_have_count(0)
        a11y.check(page, f"the dashboard after answering at {width}px")
        offer.refresh_from_db()
        assert offer.state == Offer.State.ANSWERED
        assert Response.objects.filter(survey__course=answered).count() == 1
