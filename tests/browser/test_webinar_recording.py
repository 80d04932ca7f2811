"""A webinar's recording in Chromium: a trainer uploads the video, captions and slides in the
admin and publishes it; a learner who registered watches it on the webinar's page by keyboard
alone, on a desktop and at 390 px, reads the transcript and says they have watched it, with and
without JavaScript; a visitor is offered a sign-in. Axe-clean on every learner's page."""

from django.core import mail

from academy import services as people
from courses.models import WatchedRecording
from tests.academy.factories import UserFactory
from tests.browser.support import (
    BROWSER_TEST,
    activate,
    expect,
    no_overflow,
    signed_in_page,
    tab_to,
)
from tests.courses.attendance_support import register_before, started_session
from tests.courses.recordings import CAPTIONS, MP4, PDF

pytestmark = BROWSER_TEST

TITLE = "Remedies that put things right"


def _upload(page, label, name, data, mime):
    page.get_by_label(label, exact=True).set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )


def test_a_trainer_publishes_a_recording_and_learners_watch_it_by_keyboard(
    live_server, new_context, catalogue, staff_groups, a11y, screenshot
):
    session = started_session(catalogue, title=TITLE, hours_ago=26)
    learners = [UserFactory(full_name=f"Nadia Learner {width}") for width in (1280, 390)]
    register_before(session, *learners)
    trainer = UserFactory(full_name="Tom Ridley", groups=[people.TRAINERS], mfa=True)

    admin = signed_in_page(live_server, new_context, trainer)
    admin.goto(f"{live_server.url}/admin/webinar-recordings/new/")
    admin.locator("#id_webinar").select_option(label=TITLE)
    _upload(admin, "Video file", "remedies.mp4", MP4, "video/mp4")
    _upload(admin, "Captions", "remedies.vtt", CAPTIONS, "text/vtt")
    _upload(admin, "Slides", "Remedies slides.pdf", PDF, "application/pdf")
    admin.get_by_label("Transcript").fill(
        "Nia: Welcome, everyone.\n\nToday we look at putting things right after a complaint."
    )
    admin.get_by_role("button", name="Create").click()
    expect(admin.get_by_role("link", name="Publish")).to_be_visible()
    screenshot(admin, "recording-admin-draft")
    admin.get_by_role("link", name="Publish").click()
    expect(admin.get_by_text("2 people will be told by e-mail")).to_be_visible()
    mail.outbox.clear()
    admin.get_by_role("button", name="Publish the recording").click()
    expect(admin.get_by_text("Published. 2 people are being told by e-mail.")).to_be_visible()
    screenshot(admin, "recording-admin-published")
    assert {m.to[0] for m in mail.outbox} == {learner.email for learner in learners}

    for width, learner in zip((1280, 390), learners, strict=True):
        visitor = new_context(width=width).new_page()
        visitor.goto(live_server.url + session.webinar.url)
        expect(visitor.get_by_role("link", name="Sign in to watch the recording")).to_be_visible()
        expect(visitor.locator("video")).to_have_count(0)
        a11y.check(visitor, f"a recording to a visitor at {width}px")

        page = signed_in_page(live_server, new_context, learner, width=width)
        page.goto(live_server.url + "/dashboard/")
        to_watch = page.get_by_role("list", name="Recordings of webinars you registered for")
        activate(page, to_watch.get_by_role("link", name=TITLE))
        expect(page).to_have_url(f"{live_server.url}{session.webinar.url}#recording")
        page.go_back()
        expect(to_watch).to_be_visible()
        no_overflow(page, width)
        a11y.check(page, f"the dashboard with a recording to watch at {width}px")
        page.goto(live_server.url + session.webinar.url)
        expect(page.get_by_role("heading", name="Watch the recording")).to_be_visible()
        video = page.locator("video")
        expect(video).to_be_visible()
        expect(video.locator("track[kind=captions]")).to_have_count(1)
        no_overflow(page, width)
        a11y.check(page, f"a recording to a learner at {width}px")

        summary = page.get_by_text("Read the transcript")
        tab_to(page, page.locator("summary"))
        page.keyboard.press("Enter")
        expect(page.get_by_text("Today we look at putting things right")).to_be_visible()
        expect(page.get_by_role("link", name="Slides (PDF")).to_be_visible()
        screenshot(page, f"webinar-recording-{width}")
        assert summary.is_visible()

        activate(page, page.get_by_role("button", name="I have watched the recording"))
        expect(page.get_by_role("status")).to_contain_text("we have recorded that you watched")
        expect(page.get_by_text("You told us you watched it on")).to_be_visible()
        no_overflow(page, width)
        a11y.check(page, f"a recording watched at {width}px")
        screenshot(page, f"webinar-recording-watched-{width}")
    assert WatchedRecording.objects.count() == 2
    a11y.assert_clean()


def test_without_javascript_a_learner_reads_the_transcript_and_says_they_watched(
    live_server, new_context, catalogue, trainer, a11y
):
    from tests.courses.recordings import linked_recording, published

    session = started_session(catalogue, title=TITLE, hours_ago=26)
    learner = UserFactory(full_name="Olu Adeyemi")
    register_before(session, learner)
    published(linked_recording(session.webinar, trainer), trainer)

    page = signed_in_page(live_server, new_context, learner, java_script_enabled=False, width=390)
    page.goto(live_server.url + session.webinar.url)
    watch = page.get_by_role("link", name=f"Watch the recording of {TITLE}")
    expect(watch).to_have_attribute("href", "https://video.example.org/watch/remedies")
    page.get_by_text("Read the transcript").click()
    expect(page.get_by_text("Today: putting things right.")).to_be_visible()
    page.get_by_role("button", name="I have watched the recording").click()
    expect(page.get_by_text("You told us you watched it on")).to_be_visible()
    assert WatchedRecording.objects.filter(user=learner).exists()
