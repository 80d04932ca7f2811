"""Privacy in Chromium, by keyboard: a learner downloads their data from the dashboard; an
administrator reaches the erasure page from the learner's account, is told what goes and what
stays, is asked for a reason, and erases. Axe-clean at desktop and phone widths."""

import json
from pathlib import Path

from academy.models import AuditEntry
from tests.academy.factories import UserFactory
from tests.browser.support import BROWSER_TEST, expect, signed_in_page

pytestmark = BROWSER_TEST


def _no_overflow(page, width):
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {width}px window"


def test_a_learner_downloads_their_data_by_keyboard(
    live_server, new_context, a11y, screenshot, learner
):
    for width in (1280, 390):
        page = signed_in_page(live_server, new_context, learner, width=width)
        page.goto(f"{live_server.url}/dashboard/")
        link = page.get_by_role("link", name="Download my data (JSON file)")
        link.focus()
        expect(link).to_be_focused()
        _no_overflow(page, width)
        screenshot(page, f"my-data-link-{width}")
        a11y.check(page, f"the dashboard with the download link at {width}px")
        with page.expect_download() as download:
            page.keyboard.press("Enter")
        data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert data["account"]["email"] == learner.email
    a11y.assert_clean()


def test_an_administrator_erases_a_learner_by_keyboard(
    live_server, new_context, a11y, screenshot, administrator
):
    for width in (1280, 390):
        person = UserFactory(full_name=f"Jo Erasable {width}")
        page = signed_in_page(live_server, new_context, administrator, width=width)
        page.goto(f"{live_server.url}/admin/users/{person.pk}/erase/")
        expect(page.get_by_role("heading", name="What goes")).to_be_visible()
        expect(page.get_by_role("heading", name="What stays")).to_be_visible()
        _no_overflow(page, width)
        screenshot(page, f"erase-learner-{width}")
        a11y.check(page, f"the erasure page at {width}px")

        button = page.get_by_role("button", name="Erase personal data")
        button.focus()
        page.keyboard.press("Enter")
        expect(
            page.get_by_text("Give the reason for erasing this person's data.").first
        ).to_be_visible()
        a11y.check(page, f"the erasure page with an error at {width}px")

        page.get_by_label("Reason for erasing").focus()
        page.keyboard.type("The learner asked us to (reference DP-1).")
        page.get_by_role("button", name="Erase personal data").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Erased the personal data of user {person.pk}")).to_be_visible()
        person.refresh_from_db()
        assert person.full_name == "Erased learner"
    assert AuditEntry.objects.filter(action="learner.erased").count() == 2
    a11y.assert_clean()
