"""The "Webinar recordings" admin, as trainers use it: adding a recording at a link or as an
uploaded video with its captions, refusals that say why and keep nothing, publishing (the people
registered are told once), unpublishing with a reason (audited), the recording's page, who may
reach any of it, and a list whose queries do not grow with its rows."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy import services as people
from academy.file_names import in_words
from academy.models import AuditEntry
from courses import services
from courses.models import RecordingNotice, WebinarRecording
from tests.academy.factories import UserFactory
from tests.courses.factories import WebinarFactory, WebinarSessionFactory
from tests.courses.recordings import CAPTIONS, MP4, PDF, linked_recording, published, upload

pytestmark = pytest.mark.django_db

SRT = b"1\n00:00:00,000 --> 00:00:04,000\nWelcome to the webinar.\n"


def url(name, *args):
    return reverse(f"webinar_recordings:{name}", args=args)


def mp4(name="remedies.mp4"):
    return upload(name, MP4, "video/mp4")


def vtt(name="remedies.vtt", data=CAPTIONS):
    return upload(name, data, "text/vtt")


def pdf(name="Remedies slides.pdf"):
    return upload(name, PDF, "application/pdf")


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def errors_of(response):
    """The form's errors, for a failing assertion's message."""
    form = response.context["form"] if response.context else None
    return form.errors.as_data() if form is not None else response.status_code


def form(**fields):
    """What the add or edit form posts for a link and a transcript, with `fields` changed."""
    data = {
        "session": "",
        "video_url": "https://video.example.org/watch/remedies",
        "transcript": "Welcome, everyone.",
        "duration_minutes": "60",
        "open_to": "registered",
        "watching_cpd_hours": "1.0",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def stored_files() -> set[Path]:
    """Every recording file in the private storage folder of this test run."""
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "recordings"
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


@pytest.fixture
def webinar(catalogue):
    return WebinarFactory(parent=catalogue, title="Remedies in practice")


@pytest.fixture
def recording(webinar, trainer):
    """A draft at a link, with a transcript."""
    return linked_recording(webinar, trainer)


# Adding and changing --------------------------------------------------------------------------


def test_a_trainer_adds_a_recording_at_a_link_with_a_transcript(trainer_client, webinar):
    session = webinar.sessions.get()
    response = trainer_client.post(
        url("add"), form(webinar=webinar.pk, session=session.pk, counts_as_attending="on")
    )
    assert response.status_code == 302, errors_of(response)
    recording = WebinarRecording.objects.get(webinar=webinar)
    assert response["Location"] == url("inspect", recording.pk)
    assert recording.video_url == "https://video.example.org/watch/remedies"
    assert (recording.session, recording.transcript) == (session, "Welcome, everyone.")
    assert recording.counts_as_attending and not recording.is_published

    page = text_of(trainer_client.get(url("inspect", recording.pk)))
    assert "saved as a draft" in page
    assert "Draft: not on the webinar's page" in page
    assert "https://video.example.org/watch/remedies" in page
    assert f"{webinar.url}#recording" in page
    assert url("publish", recording.pk) in page
    assert url("unpublish", recording.pk) not in page
    # A webinar has one recording: it is no longer offered for a new one.
    choices = text_of(trainer_client.get(url("add"))).split('name="webinar"')[1].split("</select>")
    assert "Remedies in practice" not in choices[0]


def test_a_trainer_uploads_an_mp4_with_its_captions_and_slides(trainer_client, webinar):
    response = trainer_client.post(
        url("add"),
        form(webinar=webinar.pk, video_url="", video=mp4(), captions=vtt(), slides=pdf()),
    )
    assert response.status_code == 302, errors_of(response)
    recording = WebinarRecording.objects.get(webinar=webinar)
    assert (recording.video_type, recording.slides_name) == ("video/mp4", "Remedies slides.pdf")
    assert recording.video.storage.exists(recording.video.name)
    assert recording.captions.read() == CAPTIONS

    # The trainer checks the files from the admin before anyone else can see them.
    video = trainer_client.get(url("file", recording.pk, "video"))
    assert (video.status_code, video["Content-Type"]) == (200, "video/mp4")
    assert b"".join(video.streaming_content) == MP4
    slides = trainer_client.get(url("file", recording.pk, "slides"))
    assert "Remedies slides.pdf" in slides["Content-Disposition"]

    edit = text_of(trainer_client.get(url("edit", recording.pk)))
    assert 'enctype="multipart/form-data"' in edit
    assert "Now:" in edit and url("file", recording.pk, "captions") in edit
    listing = text_of(trainer_client.get(url("index")))
    assert "Remedies in practice" in listing and "File" in listing


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (
            {"video_url": "", "video": "mp4"},
            "An uploaded video needs its captions (a WebVTT file)",
        ),
        (
            {"video_url": "", "video": "pdf-as-mp4", "captions": "vtt"},
            "was not accepted: it is a PDF file. Upload the recording as an MP4 or WebM video",
        ),
        (
            {"video_url": "", "video": "mp4", "captions": "srt"},
            "a WebVTT file starts with the word WEBVTT",
        ),
        ({"transcript": ""}, "Add captions or a transcript"),
        ({"video_url": "http://video.example.org/1"}, "The video link must start with https://"),
        ({"video": "mp4", "captions": "vtt"}, "Give the video's link or upload the file, not both"),
        ({"video_url": ""}, "Give the video's link, or upload the video file."),
        ({"session": "other"}, "Choose a session of this webinar, or none."),
        ({"video_url": "", "video": "mp4", "captions": "vtt", "slides": "mp4-as-pdf"}, "not a PDF"),
    ],
)
def test_a_refused_recording_says_why_and_keeps_nothing(
    trainer_client, webinar, catalogue, fields, words
):
    files = {
        "mp4": mp4,
        "pdf-as-mp4": lambda: upload("remedies.mp4", PDF),
        "vtt": vtt,
        "srt": lambda: vtt("remedies.vtt", SRT),
        "mp4-as-pdf": lambda: upload("slides.pdf", MP4),
    }
    data = {name: files[value]() if value in files else value for name, value in fields.items()}
    if data.get("session") == "other":
        data["session"] = WebinarFactory(parent=catalogue).sessions.get().pk
    before = stored_files()
    response = trainer_client.post(url("add"), form(webinar=webinar.pk, **data))
    assert response.status_code == 200
    page = text_of(response)
    assert words in page
    # The trainer's typing is still there; a file has to be chosen again, and says so.
    assert "Welcome, everyone." in page or not data.get("transcript", True)
    if any(name in data for name in ("video", "captions", "slides")):
        assert "files are not kept: choose them again" in page
    assert not WebinarRecording.objects.exists()
    assert stored_files() == before


def test_a_video_over_the_size_limit_is_refused_with_the_limit(trainer_client, webinar, settings):
    settings.ACADEMY_RECORDING_MAX_BYTES = 1024
    before = stored_files()
    response = trainer_client.post(
        url("add"), form(webinar=webinar.pk, video_url="", video=mp4(), captions=vtt())
    )
    page = text_of(response)
    assert f"“remedies.mp4” is {in_words(len(MP4))}: the largest this file can be is 1 KB." in page
    assert "An MP4 or WebM video of up to 1 KB" in page  # the help text reads the setting
    assert not WebinarRecording.objects.exists()
    assert stored_files() == before


def test_editing_replaces_and_removes_files_through_the_service(
    trainer_client, webinar, django_capture_on_commit_callbacks
):
    trainer_client.post(
        url("add"),
        form(webinar=webinar.pk, video_url="", video=mp4(), captions=vtt(), slides=pdf()),
    )
    recording = WebinarRecording.objects.get(webinar=webinar)
    video, slides = Path(recording.video.path), Path(recording.slides.path)

    # Removing the captions of an uploaded video is refused, and every file stays.
    response = trainer_client.post(
        url("edit", recording.pk), form(video_url="", **{"captions-clear": "on"})
    )
    assert "An uploaded video needs its captions" in text_of(response)
    recording.refresh_from_db()
    assert recording.captions and video.exists()

    # Ticking "Remove this file" takes the slides away; the file goes once that has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(
            url("edit", recording.pk), form(video_url="", **{"slides-clear": "on"})
        )
    assert response.status_code == 302, errors_of(response)
    recording.refresh_from_db()
    assert not recording.slides and recording.slides_name == ""
    assert not slides.exists() and video.exists()

    # Giving a link instead of the file: the uploaded video goes.
    with django_capture_on_commit_callbacks(execute=True):
        trainer_client.post(url("edit", recording.pk), form(**{"video-clear": "on"}))
    recording.refresh_from_db()
    assert recording.video_url and not recording.video
    assert not video.exists()


def test_the_edit_form_offers_only_the_webinars_sessions(trainer_client, recording, catalogue):
    other = WebinarFactory(parent=catalogue, title="Apologies that work")
    extra = WebinarSessionFactory(webinar=recording.webinar)
    page = text_of(trainer_client.get(url("edit", recording.pk)))
    choices = page.split('name="session"')[1].split("</select>")[0]
    assert choices.count("<option") == 3  # "Not given" and the webinar's two sessions
    assert f'value="{extra.pk}"' in choices
    assert f'value="{other.sessions.get().pk}"' not in choices
    assert 'name="webinar"' not in page


# Publishing and unpublishing -------------------------------------------------------------------


@pytest.fixture
def registered(recording):
    """Two people with places, one on the list who cancelled (not told), and a closed account."""
    session = recording.webinar.sessions.get()
    ann = UserFactory(full_name="Ann Place", email="ann@example.org")
    ben = UserFactory(full_name="Ben Place", email="ben@example.org")
    for person in (ann, ben):
        services.register(session=session, user=person)
    gone = services.register(session=session, user=UserFactory(email="gone@example.org"))
    services.cancel_registration(registration=gone)
    closed = UserFactory(email="closed@example.org")
    services.register(session=session, user=closed)
    closed.is_active = False
    closed.save()
    return [ann, ben]


def test_publishing_tells_the_people_registered_once(
    trainer_client,
    trainer,
    recording,
    registered,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    page = text_of(trainer_client.get(url("publish", recording.pk)))
    assert "2 people will be told by e-mail." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(url("publish", recording.pk))
    # The e-mails go once the publishing has committed: the recording's page then says so.
    assert response["Location"] == url("inspect", recording.pk)
    page = text_of(trainer_client.get(response["Location"]))
    assert "Published. 2 people are being told by e-mail." in page
    assert "2 people have been told; 0 still to be sent the e-mail." in page
    assert url("unpublish", recording.pk) in page and url("publish", recording.pk) not in page
    recording.refresh_from_db()
    assert recording.is_published and recording.published_by == trainer
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.org", "ben@example.org"]
    assert all("Recording to watch: Remedies in practice" in m.subject for m in mailoutbox)
    assert RecordingNotice.objects.filter(sent_at__isnull=False).count() == 2
    entry = AuditEntry.objects.get(action="webinar_recording.published")
    assert (entry.actor, entry.details["people_to_tell"]) == (trainer, 2)

    # Publishing again is refused, and nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(url("publish", recording.pk))
    assert response.status_code == 200
    assert "This recording is published already." in text_of(response)
    assert len(mailoutbox) == 2
    assert AuditEntry.objects.filter(action="webinar_recording.published").count() == 1


def test_a_recording_that_breaks_the_rules_is_not_published(trainer_client, recording, registered):
    # A recording saved before the rules it now fails (e.g. made by a script): the service
    # checks again when it is published.
    WebinarRecording.objects.filter(pk=recording.pk).update(transcript="")
    response = trainer_client.post(url("publish", recording.pk))
    assert "Add captions or a transcript" in text_of(response)
    recording.refresh_from_db()
    assert not recording.is_published
    assert not RecordingNotice.objects.exists()


def test_unpublishing_needs_a_reason_and_is_audited(
    trainer_client, trainer, recording, registered, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_recording(recording=recording, by=trainer)
    mailoutbox.clear()

    response = trainer_client.post(url("unpublish", recording.pk), {"reason": "  "})
    assert "This field is required." in text_of(response)
    recording.refresh_from_db()
    assert recording.is_published

    response = trainer_client.post(
        url("unpublish", recording.pk), {"reason": "The wrong file was uploaded."}, follow=True
    )
    page = text_of(response)
    assert "Unpublished: the recording and its files are off the webinar's page." in page
    assert url("publish", recording.pk) in page
    recording.refresh_from_db()
    assert not recording.is_published
    entry = AuditEntry.objects.get(action="webinar_recording.unpublished")
    assert (entry.actor, entry.reason) == (trainer, "The wrong file was uploaded.")
    assert mailoutbox == []

    # Unpublishing twice says why not. Publishing again tells nobody already told.
    response = trainer_client.post(url("unpublish", recording.pk), {"reason": "Again."})
    assert "This recording is not published." in text_of(response)
    assert "Nobody will be e-mailed" in text_of(trainer_client.get(url("publish", recording.pk)))
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(url("publish", recording.pk), follow=True)
    assert "Published. 0 people are being told by e-mail." in text_of(response)
    assert mailoutbox == []


def test_the_audit_log_names_the_recording_and_links_it(
    client, administrator, recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_recording(recording=recording, by=administrator)
    services.unpublish_recording(recording=recording, by=administrator, reason="Wrong file.")
    client.force_login(administrator)
    page = text_of(client.get(reverse("auditentry:index")))
    assert "Webinar recording published" in page and "Webinar recording unpublished" in page
    assert "Recording of Remedies in practice" in page
    assert url("inspect", recording.pk) in page


# Who may reach it ------------------------------------------------------------------------------


def test_trainers_and_administrators_reach_recordings(client, trainer, administrator, recording):
    for allowed in (trainer, administrator):
        client.force_login(allowed)
        for address in (
            url("index"),
            url("add"),
            url("edit", recording.pk),
            url("inspect", recording.pk),
            url("publish", recording.pk),
        ):
            assert client.get(address).status_code == 200, address
    assert "Webinar recordings" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_learners_and_assessors_reach_no_recording_page(client, learner, staff_groups, recording):
    addresses = [
        url("index"),
        url("add"),
        url("edit", recording.pk),
        url("inspect", recording.pk),
        url("publish", recording.pk),
        url("unpublish", recording.pk),
        url("file", recording.pk, "captions"),
    ]
    assessor = UserFactory(groups=[people.ASSESSORS], mfa=True)
    for person in (learner, assessor):
        client.force_login(person)
        for address in addresses:
            assert client.get(address).status_code in (302, 403), (person, address)
        assert client.post(url("publish", recording.pk)).status_code in (302, 403)
        assert client.post(url("unpublish", recording.pk), {"reason": "x"}).status_code in (
            302,
            403,
        )
        assert client.post(url("edit", recording.pk), form(transcript="Hijacked")).status_code in (
            302,
            403,
        )
    recording.refresh_from_db()
    assert not recording.is_published and recording.transcript != "Hijacked"
    assert not AuditEntry.objects.exists()


def test_nobody_deletes_a_recording(client, administrator, recording):
    client.force_login(administrator)
    assert client.post(url("delete", recording.pk)).status_code in (302, 403, 404)
    assert WebinarRecording.objects.filter(pk=recording.pk).exists()
    assert url("delete", recording.pk) not in client.get(url("edit", recording.pk)).content.decode()


# The list ---------------------------------------------------------------------------------------


def published_with_people(catalogue, trainer, n):
    """A published recording with a person told and one who watched it."""
    webinar = WebinarFactory(parent=catalogue, title=f"Webinar {n}")
    person = UserFactory()
    services.register(session=webinar.sessions.get(), user=person)
    recording = published(linked_recording(webinar, trainer), trainer)
    services.mark_watched(recording=recording, user=person)
    return recording


def test_the_list_shows_counts_in_queries_that_do_not_grow(
    trainer_client, trainer, catalogue, clock, django_assert_max_num_queries
):
    published_with_people(catalogue, trainer, 0)
    trainer_client.get(url("index"))  # warm the caches (site root, permissions)
    with CaptureQueriesContext(connection) as one:
        page = text_of(trainer_client.get(url("index")))
    assert "Webinar 0" in page and "Published" in page
    for n in range(1, 6):
        published_with_people(catalogue, trainer, n)
    linked_recording(WebinarFactory(parent=catalogue, title="Webinar draft"), trainer)
    with django_assert_max_num_queries(len(one)):
        page = text_of(trainer_client.get(url("index")))
    assert "Webinar 5" in page and "Webinar draft" in page and "Draft" in page
    # Each published row: told 0 (the e-mails wait for the commit), 1 still to tell, 1 watched.
    row = page.split("Webinar 3", 1)[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", row)
    assert cells == ["Published 1 Jun 2026", "Link", "No", "No", "0", "1", "1"]
