"""Assigning training in Chromium, by keyboard: a manager makes an assignment after a mistake is
pointed out and sees where each person stands; the learner sees it first on their dashboard.
axe-clean at desktop and 390px wide."""

from django.urls import reverse

from tests.academy.factories import OrganisationFactory
from tests.browser.support import BROWSER_TEST, expect, signed_in_page
from tests.organisations.factories import in_days, manager_of, member

pytestmark = BROWSER_TEST


def _press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def _no_overflow(page, width):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window"


def test_a_manager_assigns_a_course_and_the_learner_sees_it(
    live_server, new_context, a11y, screenshot, course
):
    organisation = OrganisationFactory(name="Riverside NHS Trust")
    boss = manager_of(organisation, full_name="Bea Manager")
    learner = member(organisation, full_name="Sam Learner")
    for width in (1280, 390):
        page = signed_in_page(live_server, new_context, boss, width=width)
        page.goto(live_server.url + reverse("organisations:assignments", args=[organisation.pk]))
        expect(page.get_by_role("heading", name="Assignments", level=1)).to_be_visible()
        a11y.check(page, f"assignments at {width}px")
        _press(page, page.get_by_role("link", name="Assign training"))
        expect(page.get_by_role("heading", name="Assign training")).to_be_visible()
        page.get_by_label("What to assign").select_option(label=course.title)
        page.get_by_label("Everyone in the organisation").focus()
        page.keyboard.press("Space")
        _press(page, page.get_by_role("button", name="Assign"))

        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("Give the due date.")
        _no_overflow(page, width)
        a11y.check(page, f"assigning, with an error, at {width}px")
        _press(page, summary.get_by_role("link"))
        expect(page.get_by_label("Due date")).to_be_focused()
        page.get_by_label("Due date").fill(in_days(10 + width % 7).isoformat())
        _press(page, page.get_by_role("button", name="Assign"))

        expect(page.get_by_role("status")).to_contain_text(f"Assigned “{course.title}”")
        expect(page.get_by_role("heading", name=course.title, level=1)).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text("Sam Learner")
        _no_overflow(page, width)
        screenshot(page, f"assignment-{width}")
        a11y.check(page, f"an assignment at {width}px")

        learner_page = signed_in_page(live_server, new_context, learner, width=width)
        learner_page.goto(live_server.url + reverse("dashboard"))
        assigned = learner_page.get_by_role(
            "list", name="Training your organisation asks you to do"
        )
        expect(assigned).to_contain_text("Riverside NHS Trust")
        expect(assigned.get_by_role("link", name=course.title).first).to_be_visible()
        _no_overflow(learner_page, width)
        a11y.check(learner_page, f"the dashboard's assignments at {width}px")
