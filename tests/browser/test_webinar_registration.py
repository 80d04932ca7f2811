"""Registering for a webinar in Chromium by keyboard alone, on a desktop and at 390 px: a visitor
is offered a sign-in, a learner registers, sees their place, joins a full session's waiting
list and sees their position, finds both on their dashboard, then cancels after the question
that asks first; axe-clean on every page."""

from datetime import timedelta

from django.core import mail

from courses.models import Registration
from tests.academy.factories import UserFactory
from tests.browser.support import (
    BROWSER_TEST,
    activate,
    expect,
    no_overflow,
    signed_in_page,
)
from tests.courses.factories import WebinarFactory, WebinarSessionFactory

pytestmark = BROWSER_TEST


def test_a_learner_registers_joins_a_waiting_list_and_cancels_by_keyboard(
    live_server, new_context, a11y, screenshot, catalogue
):
    for width in (1280, 390):
        webinar = WebinarFactory(parent=catalogue, title=f"Remedies that put things right {width}")
        first = webinar.sessions.get()
        full = WebinarSessionFactory(
            webinar=webinar, starts_at=first.starts_at + timedelta(days=2), capacity=1
        )
        Registration.objects.create(
            session=full, user=UserFactory(), status="place", placed_at=full.created_at
        )

        visitor = new_context(width=width).new_page()
        visitor.goto(live_server.url + webinar.url)
        expect(visitor.get_by_role("link", name="Sign in to register").first).to_be_visible()
        no_overflow(visitor, width)
        a11y.check(visitor, f"a webinar to a visitor at {width}px")

        learner = UserFactory(full_name=f"Nadia Learner {width}")
        page = signed_in_page(live_server, new_context, learner, width=width)
        page.goto(live_server.url + webinar.url)
        sessions = page.get_by_role("list", name="Sessions of this webinar")
        expect(sessions.get_by_text("Full: join the waiting list")).to_be_visible()
        a11y.check(page, f"a webinar to a learner at {width}px")
        screenshot(page, f"webinar-{width}")

        activate(page, page.get_by_role("button", name="Register").first)
        expect(page.get_by_role("status")).to_contain_text("You have a place at")
        expect(page.get_by_text("You have a place", exact=True)).to_be_visible()
        expect(page.get_by_text("The link to join will appear here from")).to_be_visible()
        no_overflow(page, width)
        a11y.check(page, f"a webinar with a place at {width}px")
        screenshot(page, f"webinar-place-{width}")

        activate(page, page.get_by_role("button", name="Join the waiting list"))
        expect(page.get_by_role("status")).to_contain_text("at number 1")
        expect(page.get_by_text("You are number 1 on the waiting list.")).to_be_visible()
        a11y.check(page, f"a webinar with a place on the waiting list at {width}px")

        page.goto(live_server.url + "/dashboard/")
        webinars = page.get_by_role("list", name="Webinar sessions you are registered for")
        expect(webinars.get_by_text("You have a place")).to_be_visible()
        expect(webinars.get_by_text("On the waiting list")).to_be_visible()
        no_overflow(page, width)
        a11y.check(page, f"the dashboard with webinars at {width}px")

        activate(page, webinars.get_by_role("link").first)
        activate(page, page.get_by_role("link", name="Cancel my place"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your place?")
        no_overflow(page, width)
        a11y.check(page, f"cancelling a place at {width}px")
        activate(page, page.get_by_role("button", name="Yes, cancel my place"))
        expect(page.get_by_role("status")).to_contain_text("is cancelled")
        expect(page.get_by_role("button", name="Register").first).to_be_visible()
        a11y.check(page, f"a webinar after cancelling at {width}px")

        registrations = Registration.objects.filter(user=learner)
        assert sorted(registrations.values_list("status", flat=True)) == ["cancelled", "waiting"]
        sent = [m.subject.split(":")[0] for m in mail.outbox if m.to == [learner.email]]
        assert sorted(sent) == [
            "[PHSO Academy] Cancelled as you asked",
            "[PHSO Academy] On the waiting list",
            "[PHSO Academy] Your place",
        ]
    a11y.assert_clean()
