"""The attempt page with its script running: answers save themselves, and the time limit counts
down quietly and ends the attempt.

A learner answers without pressing Save, is told (once, politely) that everything is saved,
loses the connection and gets it back, reloads and finds the answers kept. Near the deadline the
screen reader is told once; at the deadline the page says so and opens the result. The learner's
own clock is set hours wrong in the timer tests: the countdown follows the server's clock.
"""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from academy.models import User
from assessments import services
from assessments.models import Attempt, Response
from portal.demo_content import PASSWORD
from tests.browser.support import BROWSER_TEST, expect, sign_in
from tests.browser.test_attempt_kinds import LEARNER, _practice_quiz

pytestmark = BROWSER_TEST

STATUS = "[data-autosave-status]"
ANNOUNCER = "[data-time-announcer]"
SAVED = "All answers saved at"

# Every text a live region is given, in order, so a test can tell what was announced.
RECORD_LIVE_REGIONS = """() => {
    window.announced = [];
    for (const region of document.querySelectorAll('[aria-live], [role=status]')) {
        new MutationObserver(() => window.announced.push(region.textContent))
            .observe(region, {childList: true, characterData: true, subtree: true});
    }
}"""


def _started_attempt():
    assessment = _practice_quiz()
    learner = User.objects.get(email=LEARNER)
    return services.start_attempt(user=learner, assessment=assessment)


def _response(attempt, kind) -> Response:
    return attempt.responses.select_related("version").get(version__kind=kind)


def _an_autosave(response) -> bool:
    """The page script's save request (the form's own post asks for HTML)."""
    request = response.request
    return request.method == "POST" and request.headers.get("accept") == "application/json"


def _saved(field: str) -> list:
    """What the server holds for a field's question, once the page's save has reached it."""
    response_id = int(field.split("-")[0][1:])
    return Response.objects.get(pk=response_id).selected


def _ends_in(attempt, seconds: float) -> None:
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timedelta(seconds=seconds)
    )


def _wrong_client_clock(page) -> None:
    """The learner's computer thinks it is three hours earlier than it is."""
    page.clock.install(time=datetime.now() - timedelta(hours=3))


def test_answers_save_without_the_save_button_and_are_kept_after_a_reload(
    live_server, new_context, a11y, screenshot
):
    attempt = _started_attempt()
    base = live_server.url
    context = new_context()
    page = context.new_page()
    sign_in(page, base, LEARNER, PASSWORD)
    page.goto(base + reverse("assessments:attempt", args=[attempt.pk]))
    page.evaluate(RECORD_LIVE_REGIONS)
    status = page.locator(STATUS)
    expect(status).to_have_text("")

    # Typing: one save after the learner pauses, one announcement, not one per keystroke.
    short = page.locator("input.nhsuk-input:not([inputmode])")
    short.click()
    page.keyboard.type("Say sorry and put it right", delay=40)
    expect(status).to_contain_text(SAVED, timeout=8_000)
    assert page.evaluate("window.announced") == [status.text_content()]
    assert _response(attempt, "short").selected == ["Say sorry and put it right"]
    a11y.check(page, "attempt with autosave, saved")
    screenshot(page, "autosave-saved")

    # A choice saves at once.
    radio = page.locator("input[type=radio]").nth(1)
    with page.expect_response(_an_autosave) as saving:
        radio.check()
    assert saving.value.status == 200
    chosen, field = radio.get_attribute("value"), radio.get_attribute("name")
    expect(status).to_contain_text(SAVED)  # the same words, so not announced again
    assert _saved(field) == [chosen]

    # Offline: the page says the change is not saved yet, and saves it when back online.
    context.set_offline(True)
    box = page.locator("input[type=checkbox]").first
    box.check()
    expect(status).to_contain_text("not saved yet: the connection seems to be lost")
    ticked, field_of_box = box.get_attribute("value"), box.get_attribute("name")
    assert ticked not in _saved(field_of_box)
    screenshot(page, "autosave-offline")
    context.set_offline(False)
    expect(status).to_contain_text(SAVED)
    assert ticked in _saved(field_of_box)

    # Resume: nothing was saved with the button, and everything is there.
    page.reload()
    expect(page.locator("h1")).to_be_visible()
    expect(short).to_have_value("Say sorry and put it right")
    expect(page.locator(f"input[name='{field}'][value='{chosen}']")).to_be_checked()
    expect(page.locator(f"input[name='{field_of_box}'][value='{ticked}']")).to_be_checked()
    expect(page.get_by_text("Your answers have been saved.")).to_have_count(0)
    a11y.check(page, "attempt with autosave, after reload")
    a11y.assert_clean()


def test_the_timer_warns_once_near_the_deadline_by_the_servers_clock(
    live_server, new_context, a11y, screenshot
):
    attempt = _started_attempt()
    _ends_in(attempt, 64)
    base = live_server.url
    page = new_context().new_page()
    sign_in(page, base, LEARNER, PASSWORD)
    _wrong_client_clock(page)
    page.goto(base + reverse("assessments:attempt", args=[attempt.pk]))
    page.evaluate(RECORD_LIVE_REGIONS)
    words = page.locator("[data-time-left-words]")
    expect(words).to_have_text("about 2 minutes left")
    announcer = page.locator(ANNOUNCER)
    assert announcer.get_attribute("aria-live") == "polite"
    expect(announcer).to_have_text("")

    # Past one minute left: the words change and the screen reader hears it once.
    expect(announcer).to_have_text(
        "1 minute left. When time is up, your saved answers are submitted for you.",
        timeout=12_000,
    )
    expect(words).to_have_text("less than a minute left")
    page.wait_for_timeout(1_000)
    assert page.evaluate("window.announced") == [announcer.text_content()]
    assert page.url.endswith(reverse("assessments:attempt", args=[attempt.pk]))
    a11y.check(page, "attempt, one minute left")
    screenshot(page, "timer-one-minute")
    a11y.assert_clean()


def test_when_time_is_up_the_page_says_so_and_opens_the_result(
    live_server, new_context, a11y, screenshot, settings
):
    settings.ASSESSMENT_GRACE_SECONDS = 2
    attempt = _started_attempt()
    _ends_in(attempt, 8)
    base = live_server.url
    page = new_context().new_page()
    sign_in(page, base, LEARNER, PASSWORD)
    _wrong_client_clock(page)
    page.goto(base + reverse("assessments:attempt", args=[attempt.pk]))
    expect(page.locator("[data-time-left-words]")).to_have_text("less than a minute left")
    radio = page.locator("input[type=radio]").first
    radio.check()
    chosen, field = radio.get_attribute("value"), radio.get_attribute("name")
    expect(page.locator(STATUS)).to_contain_text(SAVED)

    announcer = page.locator(ANNOUNCER)
    expect(announcer).to_contain_text("Your time is up.", timeout=15_000)
    expect(announcer).to_be_visible()
    expect(page.locator("[data-time-left-words]")).to_have_text("your time is up")
    screenshot(page, "timer-time-up")

    result = base + reverse("assessments:result", args=[attempt.pk])
    page.wait_for_url(result, timeout=15_000)
    expect(page.locator("h1")).to_contain_text("Your result")
    expect(page.get_by_text("Your time ran out").first).to_be_visible()
    a11y.check(page, "result after the timer ran out")

    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted
    assert _saved(field) == [chosen]  # the answer saved in time was kept
    a11y.assert_clean()
