"""The organisation home and a person's record in Chromium, by keyboard: filtering the staff,
opening a record, changing a tier, recording a leaving after a mistake; and a learner saying
they left. Axe-clean at desktop and phone widths, and never wider than a phone."""

from datetime import timedelta

from django.utils import timezone

from academy.models import RoleTier
from tests.browser.support import BROWSER_TEST, expect, signed_in_page
from tests.organisations.factories import AssignmentFactory, PersonalAssignmentFactory
from tests.organisations.staffing import certificate, completed, join, organisation_with_manager

pytestmark = BROWSER_TEST


def _press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def _no_overflow(page, width):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window"


def _staff(course):
    organisation, manager = organisation_with_manager("Riverside University Hospitals NHS Trust")
    today = timezone.localdate()
    due = AssignmentFactory(organisation=organisation, course=course)
    late = AssignmentFactory(organisation=organisation, course=course, due_on=today - timedelta(2))
    for n, (name, tier, team) in enumerate(
        [
            ("Ana Bell", RoleTier.COMPLAINTS_STAFF, "Intake team 2"),
            ("Ben Cole", RoleTier.ALL_STAFF, "Patient advice and liaison"),
            ("Cat Dunn", RoleTier.SENIOR_STAFF, ""),
        ]
    ):
        person = join(
            organisation,
            tier=tier,
            team=team,
            full_name=name,
            email=f"{name.split()[0].lower()}.a-rather-long-address-{n}@riverside-hospitals.example.org",
        ).user
        completed(person, course)
        certificate(person, course)
        # After the completion, which would otherwise meet it: these rows stay open. Each person
        # is one of the assignment's chosen people, so a later tier change keeps their row.
        assignment = late if n == 0 else due
        assignment.people.add(person)
        PersonalAssignmentFactory(assignment=assignment, user=person)
    return organisation, manager


def test_a_manager_uses_the_home_and_a_record_by_keyboard(
    live_server, new_context, a11y, screenshot, course
):
    organisation, manager = _staff(course)
    home = f"{live_server.url}/organisation/{organisation.pk}/"
    for width in (1280, 390):
        page = signed_in_page(live_server, new_context, manager, width=width)
        page.goto(home)
        expect(page.get_by_role("heading", name=organisation.name, level=1)).to_be_visible()
        expect(page.locator("#figures")).to_contain_text("Assignments overdue")
        expect(page.get_by_role("table", name="Staff and their training")).to_contain_text(
            "Ana Bell"
        )
        _no_overflow(page, width)
        screenshot(page, f"organisation-home-{width}")
        a11y.check(page, f"the organisation home at {width}px")

        page.get_by_label("Name or e-mail address").focus()
        page.keyboard.type("ben")
        page.keyboard.press("Enter")
        table = page.get_by_role("table", name="Staff and their training")
        expect(table).to_contain_text("Ben Cole")
        expect(table).not_to_contain_text("Ana Bell")
        _press(page, page.get_by_role("link", name="Clear the filters"))
        page.get_by_label("Assigned training").select_option("overdue")
        _press(page, page.get_by_role("button", name="Show staff"))
        expect(table).to_contain_text("Ana Bell")
        expect(table).not_to_contain_text("Ben Cole")
        a11y.check(page, f"the organisation home, filtered, at {width}px")

        _press(page, table.get_by_role("link", name="Ana Bell"))
        expect(page.get_by_role("heading", name="Ana Bell", level=1)).to_be_visible()
        expect(page.get_by_text("Overdue").first).to_be_visible()
        _no_overflow(page, width)
        screenshot(page, f"organisation-person-{width}")
        a11y.check(page, f"a person's record at {width}px")

        tier = "Senior staff" if width == 1280 else "Complaints staff"
        _press(page, page.get_by_label(tier), "Space")
        _press(page, page.get_by_role("button", name="Save the role tier"))
        expect(page.get_by_role("status")).to_contain_text(f"Ana Bell is now in the tier {tier}.")

        _press(page, page.get_by_role("link", name="Record that Ana Bell left"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Record that Ana Bell left")
        page.get_by_label("Day").focus()
        page.keyboard.type("1")
        page.keyboard.press("Tab")
        page.keyboard.type("1")
        page.keyboard.press("Tab")
        page.keyboard.type(str(timezone.localdate().year + 1))
        _press(page, page.get_by_role("button", name="Record that they left"))
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("Say why you are recording that they left")
        _no_overflow(page, width)
        screenshot(page, f"organisation-leaving-error-{width}")
        a11y.check(page, f"recording a leaving, with errors, at {width}px")
        if width == 390:
            _press(page, summary.get_by_role("link").first)
            today = timezone.localdate()
            for label, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
                page.get_by_label(label).fill(str(value))
            page.get_by_label("Why you are recording it").focus()
            page.keyboard.type("Moved to Hillside Trust")
            _press(page, page.get_by_role("button", name="Record that they left"))
            expect(page.get_by_role("status")).to_contain_text("Recorded that Ana Bell left")
            expect(page.get_by_role("table")).not_to_contain_text("Ana Bell")
    a11y.assert_clean()


def test_a_learner_says_they_left_by_keyboard(live_server, new_context, a11y, screenshot):
    organisation, _ = organisation_with_manager("Riverside NHS Trust")
    for width in (1280, 390):
        membership = join(organisation, full_name=f"Dev Eze {width}")
        page = signed_in_page(live_server, new_context, membership.user, width=width)
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.get_by_role("heading", name="My organisations")).to_be_visible()
        a11y.check(page, f"the dashboard with an organisation at {width}px")
        _press(page, page.get_by_role("link", name="I have left Riverside NHS Trust"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Have you left")
        _no_overflow(page, width)
        screenshot(page, f"organisation-leave-{width}")
        a11y.check(page, f"saying you left at {width}px")
        today = timezone.localdate()
        page.get_by_label("Day").focus()
        for value in (today.day, today.month):
            page.keyboard.type(str(value))
            page.keyboard.press("Tab")
        page.keyboard.type(str(today.year))
        _press(page, page.get_by_role("button", name="I have left Riverside NHS Trust"))
        expect(page.get_by_role("status")).to_contain_text(
            "You are no longer a member of Riverside NHS Trust."
        )
        expect(page.get_by_text("You do not belong to any organisation")).to_be_visible()
    a11y.assert_clean()
