"""A candidate appeals a decision in Chromium: keyboard only, with the error summary for empty
grounds, then the appeal waiting; axe-clean at desktop and phone widths."""

from django.urls import reverse

from accreditation.models import Appeal, Decision
from tests.accreditation.factories import AppealFactory, DecisionFactory
from tests.browser.support import BROWSER_TEST, expect, signed_in_page

pytestmark = BROWSER_TEST


def appeal_path(decision: Decision) -> str:
    return reverse(
        "accreditation:appeal",
        kwargs={"candidacy_pk": decision.submission.work.candidacy_id, "decision_pk": decision.pk},
    )


def test_a_candidate_appeals_with_the_keyboard(live_server, new_context, a11y, screenshot):
    for width in (1280, 390):
        decision = DecisionFactory()
        page = signed_in_page(
            live_server, new_context, decision.submission.work.candidacy.candidate, width=width
        )
        page.goto(live_server.url + appeal_path(decision))
        expect(page.get_by_role("heading", name="Appeal a decision", level=1)).to_be_visible()
        a11y.check(page, f"the appeal form at {width}px")

        page.get_by_role("button", name="Send my appeal").focus()
        page.keyboard.press("Enter")
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text("Enter why you are appealing.")
        a11y.check(page, f"the appeal form with an error at {width}px")

        summary.get_by_role("link").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_label("Why you are appealing")).to_be_focused()
        page.keyboard.type("The assessor did not open my second plan.")
        page.get_by_role("button", name="Send my appeal").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_text("Appeal waiting for the panel")).to_be_visible()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"The appeal page is {overflow}px wider than the {width}px window"
        screenshot(page, f"appeal-waiting-{width}")
        a11y.check(page, f"the appeal waiting at {width}px")
        assert Appeal.objects.get(decision=decision).grounds.startswith("The assessor")

    appealed = AppealFactory().decision
    page = signed_in_page(live_server, new_context, appealed.submission.work.candidacy.candidate)
    page.goto(live_server.url + appeal_path(appealed))
    page.get_by_text("Your grounds").click()
    expect(page.get_by_text(Appeal.objects.get(decision=appealed).grounds)).to_be_visible()
    a11y.check(page, "an appeal already made, its grounds open")
    a11y.assert_clean()
