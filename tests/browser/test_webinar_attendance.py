"""Webinar attendance in Chromium: a trainer takes the register and imports a Zoom report
without JavaScript, by keyboard; a manager follows from the organisation's page to a session's
staff and a person's record, axe-clean at desktop and phone widths and never wider than a
phone."""

from academy import services as people
from courses.models import Attendance
from tests.academy.factories import UserFactory
from tests.browser.support import BROWSER_TEST, expect, no_overflow, signed_in_page
from tests.courses.attendance_support import mark, register_before, started_session
from tests.courses.test_attendance_file import zoom_file, zoom_row
from tests.organisations.staffing import join, organisation_with_manager

pytestmark = BROWSER_TEST


def _press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def test_a_trainer_takes_the_register_and_imports_a_report_without_javascript(
    live_server, new_context, catalogue, staff_groups, tmp_path, a11y, screenshot
):
    trainer = UserFactory(full_name="Tom Ridley", groups=[people.TRAINERS], mfa=True)
    session = started_session(catalogue, title="Remedies that put things right")
    ann, ben, cat = (
        UserFactory(full_name=name, email=f"{name.split()[0].lower()}@example.org")
        for name in ("Ann Ash", "Ben Birch", "Cat Cedar")
    )
    register_before(session, ann, ben, cat)
    page = signed_in_page(live_server, new_context, trainer, java_script_enabled=False)
    page.goto(f"{live_server.url}/admin/webinar-attendance/")
    _press(page, page.get_by_role("link", name="Register of Remedies that put things right"))
    expect(page.get_by_role("heading", name="Register", level=1)).to_be_visible()

    _press(page, page.get_by_label("Ann Ash attended"), "Space")
    _press(page, page.get_by_role("button", name="Mark as attending"))
    expect(page.get_by_text("Marked 1 person as attending.")).to_be_visible()

    path = tmp_path / "participants.csv"
    path.write_bytes(
        zoom_file(zoom_row("Ben", "ben@example.org", 58), zoom_row("Cat", "cat@example.org", 9))
    )
    _press(page, page.get_by_role("link", name="import the attendance report"))
    page.get_by_label("Attendance report").set_input_files(str(path))
    _press(page, page.get_by_role("button", name="Preview"))
    expect(page.get_by_role("heading", name="To be marked as attending (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="For you to decide (1)")).to_be_visible()
    screenshot(page, "attendance-report-preview")
    _press(page, page.get_by_label("Mark Cat Cedar as attending"), "Space")
    _press(page, page.get_by_role("button", name="Confirm and record attendance"))
    expect(page.get_by_text("Marked 2 people as attending from the Zoom report.")).to_be_visible()
    assert set(Attendance.objects.values_list("user__email", flat=True)) == {
        "ann@example.org",
        "ben@example.org",
        "cat@example.org",
    }

    # axe runs in the page, so the same pages are checked again with JavaScript on.
    page = signed_in_page(live_server, new_context, trainer)
    page.goto(f"{live_server.url}/admin/webinar-attendance/")
    a11y.check(page, "the sessions")
    page.goto(f"{live_server.url}/admin/webinar-attendance/{session.pk}/")
    a11y.check(page, "the register")
    page.goto(f"{live_server.url}/admin/webinar-attendance/{session.pk}/import/")
    page.get_by_label("Attendance report").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Marked already (2)")).to_be_visible()
    a11y.check(page, "the attendance report's preview")
    page.goto(f"{live_server.url}/admin/webinar-attendance/{session.pk}/people/{ann.pk}/remove/")
    a11y.check(page, "removing attendance")
    a11y.assert_clean()


def test_a_manager_sees_which_staff_registered_and_attended(
    live_server, new_context, catalogue, trainer, a11y, screenshot
):
    organisation, manager = organisation_with_manager("Riverside University Hospitals NHS Trust")
    session = started_session(catalogue, title="Remedies that put things right")
    ana, ben = (
        join(
            organisation,
            team="Patient advice and liaison",
            full_name=name,
            email=f"{name.split()[0].lower()}.a-rather-long-address@riverside-hospitals.example.org",
        ).user
        for name in ("Ana Bell", "Ben Cole")
    )
    register_before(session, ana, ben)
    mark(session, [ana], trainer)
    for width in (1280, 390):
        page = signed_in_page(live_server, new_context, manager, width=width)
        page.goto(f"{live_server.url}/organisation/{organisation.pk}/")
        _press(page, page.get_by_role("link", name="Webinars"))
        expect(page.get_by_role("heading", name="Webinars", level=1)).to_be_visible()
        no_overflow(page, width)
        a11y.check(page, f"the organisation's webinars at {width}px")

        _press(page, page.get_by_role("link", name="Remedies that put things right"))
        table = page.get_by_role("table", name="Your staff at this session")
        expect(table).to_contain_text("Ana Bell")
        expect(table).to_contain_text("Ben Cole")
        expect(page.locator("#staff-count")).to_contain_text("1 attended")
        no_overflow(page, width)
        screenshot(page, f"organisation-webinar-session-{width}")
        a11y.check(page, f"a session's staff at {width}px")

        _press(page, table.get_by_role("link", name="Ana Bell"))
        expect(page.get_by_role("list", name="Webinar sessions")).to_contain_text("Attended")
        no_overflow(page, width)
        a11y.check(page, f"a person's record with webinars at {width}px")
    a11y.assert_clean()
