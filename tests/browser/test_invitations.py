"""Inviting staff in Chromium, by keyboard: one person after a mistake is pointed out, a CSV
upload whose problems are listed by line, and the invitation's page signed out; axe-clean at
desktop and phone widths."""

from django.core import mail

from academy.models import Membership, RoleTier
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.browser.support import BROWSER_TEST, expect, signed_in_page
from tests.organisations.factories import InvitationFactory

pytestmark = BROWSER_TEST


def _press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def _no_overflow(page, width):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window"


def test_a_manager_invites_staff_by_keyboard(live_server, new_context, a11y, screenshot):
    organisation = OrganisationFactory(name="Riverside NHS Trust")
    manager = MembershipFactory(
        organisation=organisation, role=Membership.Role.MANAGER, user=UserFactory()
    ).user
    for width in (1280, 390):
        page = signed_in_page(live_server, new_context, manager, width=width)
        page.goto(f"{live_server.url}/organisation/{organisation.pk}/invitations/")
        expect(page.get_by_role("heading", name="Invitations", level=1)).to_be_visible()
        _press(page, page.get_by_role("link", name="Invite one person"))
        expect(page.get_by_role("heading", name="Invite one person")).to_be_visible()
        a11y.check(page, f"inviting one person at {width}px")

        page.get_by_label("E-mail address").focus()
        page.keyboard.type("sam.at.example.org")
        page.get_by_label("Full name").focus()
        page.keyboard.type(f"Sam Jones {width}")
        page.get_by_label("Complaints staff").focus()
        page.keyboard.press("Space")
        _press(page, page.get_by_role("button", name="Send the invitation"))
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("“sam.at.example.org” is not an e-mail address")
        expect(page.get_by_label("Complaints staff")).to_be_checked()
        _no_overflow(page, width)
        screenshot(page, f"invite-error-{width}")
        a11y.check(page, f"inviting one person, with an error, at {width}px")
        _press(page, summary.get_by_role("link"))
        expect(page.get_by_label("E-mail address")).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type(f"sam{width}@example.org")
        _press(page, page.get_by_role("button", name="Send the invitation"))
        expect(page.get_by_role("status")).to_contain_text(
            f"We are sending an invitation to sam{width}@example.org"
        )
        table = page.get_by_role("table")
        expect(table).to_contain_text(f"sam{width}@example.org")
        _no_overflow(page, width)
        screenshot(page, f"invitations-{width}")
        a11y.check(page, f"the invitations list at {width}px")

        _press(page, page.get_by_role("link", name="Invite people from a CSV file"))
        expect(page.get_by_role("heading", name="Invite people from a CSV file")).to_be_visible()
        _no_overflow(page, width)
        a11y.check(page, f"the CSV upload page at {width}px")
        csv = (
            "E-mail,Name,Role tier\r\n"
            "ann@example.org,Ann,All staff\r\n"
            "bad address,Bo,Boss\r\n"
            'ann@example.org,=HYPERLINK("x"),All staff\r\n'
        )
        page.get_by_label("CSV file").set_input_files(
            files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
        )
        _press(page, page.get_by_role("button", name="Upload and invite"))
        problems = page.get_by_role("list", name="Problems in the file")
        expect(problems.get_by_role("listitem")).to_have_count(2)
        expect(problems).to_contain_text("Line 3: “bad address” is not an e-mail address")
        expect(problems).to_contain_text("Line 4: The name “=HYPERLINK")
        expect(problems).to_contain_text("duplicate of line 2")
        _no_overflow(page, width)
        screenshot(page, f"invitations-upload-errors-{width}")
        a11y.check(page, f"the CSV upload with problems at {width}px")
    assert len(mail.outbox) == 2
    a11y.assert_clean()


def test_the_invitation_page_signed_out(live_server, new_context, a11y, screenshot):
    organisation = OrganisationFactory(name="Riverside NHS Trust")
    InvitationFactory(
        organisation=organisation,
        email="new@example.org",
        role_tier=RoleTier.SENIOR_STAFF,
        token="browser-token",
    )
    for width in (1280, 390):
        page = new_context(width=width).new_page()
        page.goto(f"{live_server.url}/organisation/invitation/browser-token/")
        expect(page.get_by_role("heading", name="Join Riverside NHS Trust")).to_be_visible()
        _no_overflow(page, width)
        screenshot(page, f"invitation-accept-{width}")
        a11y.check(page, f"the invitation page signed out at {width}px")
        _press(page, page.get_by_role("link", name="Create your account"))
        expect(
            page.get_by_role("heading", name="Create your account to join Riverside NHS Trust")
        ).to_be_visible()
        expect(page.get_by_label("Email")).to_have_value("new@example.org")
        _no_overflow(page, width)
        a11y.check(page, f"creating an account from an invitation at {width}px")
        page.goto(f"{live_server.url}/organisation/invitation/not-a-token/")
        expect(page.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()
        a11y.check(page, f"an unknown invitation link at {width}px")
    a11y.assert_clean()
