"""A webinar's recording (courses.services.recordings and the learner's side of it): the rules
for saving one, publishing it and telling the people registered each once, who may watch it and
have its files, and what watching earns."""

import smtplib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry
from accreditation.models import CPDEntry
from courses import selectors, services
from courses.errors import RecordingError
from courses.models import RecordingNotice, Registration, WatchedRecording, WebinarRecording
from organisations.models import Assignment, PersonalAssignment
from portal import privacy
from tests.academy.factories import OrganisationFactory, UserFactory
from tests.clamd import eicar
from tests.courses.attendance_support import mark, register_before, started_session
from tests.courses.factories import WebinarFactory
from tests.courses.recordings import (
    CAPTIONS,
    MP4,
    PDF,
    details,
    linked_recording,
    published,
    upload,
    uploaded_recording,
)
from tests.organisations.factories import assign, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(catalogue):
    return started_session(catalogue, title="Putting things right", hours_ago=30)


@pytest.fixture
def webinar(session):
    return session.webinar


def stored_files() -> set[str]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / "recordings"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


# Saving ----------------------------------------------------------------------------------------


def test_a_linked_recording_with_a_transcript_is_saved_as_a_draft(webinar, trainer):
    recording = linked_recording(webinar, trainer)
    assert recording.video_url.startswith("https://")
    assert not recording.is_published
    assert selectors.recording_offer(webinar=webinar, user=trainer) is None


def test_an_uploaded_recording_keeps_its_files_privately(webinar, trainer):
    recording = uploaded_recording(webinar, trainer)
    assert recording.video_type == "video/mp4"
    assert recording.slides_name == "Remedies slides.pdf"
    assert recording.video.read() == MP4
    # Beside the certificates and evidence, out of MEDIA_ROOT: never served but by the view.
    assert recording.video.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert recording.captions.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


@pytest.mark.parametrize(
    ("fields", "files", "words"),
    [
        ({"video_url": "http://video.example.org/x", "transcript": "t"}, {}, "https://"),
        ({"transcript": "t"}, {}, "Give the video's link, or upload"),
        (
            {"video_url": "https://video.example.org/x", "transcript": "t"},
            {"video": ("a.mp4", MP4), "captions": ("a.vtt", CAPTIONS)},
            "not both",
        ),
        ({}, {"video": ("a.mp4", MP4)}, "An uploaded video needs its captions"),
        ({"video_url": "https://video.example.org/x"}, {}, "Add captions or a transcript"),
        ({"transcript": "   "}, {"video": ("a.mp4", MP4)}, "needs its captions"),
        ({}, {"video": ("a.mp4", PDF), "captions": ("a.vtt", CAPTIONS)}, "it is a PDF file"),
        (
            {"video_url": "https://video.example.org/x", "transcript": "t"},
            {"slides": ("s.pdf", b"not a pdf")},
            "is not a PDF",
        ),
        (
            {"video_url": "https://video.example.org/x"},
            {"captions": ("a.vtt", b"WEBVTT\n")},
            "holds no captions",
        ),
    ],
)
def test_a_refused_recording_stores_nothing(webinar, trainer, fields, files, words):
    uploads = {key: upload(name, data) for key, (name, data) in files.items()}
    before = stored_files()
    with pytest.raises(RecordingError, match=words):
        services.save_recording(webinar=webinar, by=trainer, details=details(**fields), **uploads)
    assert not WebinarRecording.objects.exists()
    assert stored_files() == before


def test_a_session_of_another_webinar_is_refused(webinar, catalogue, trainer):
    other = WebinarFactory(parent=catalogue).sessions.get()
    with pytest.raises(RecordingError, match="Choose a session of this webinar"):
        linked_recording(webinar, trainer, session=other)


def test_replacing_a_file_deletes_the_old_one_once_committed(
    webinar, trainer, django_capture_on_commit_callbacks
):
    recording = uploaded_recording(webinar, trainer)
    old = recording.slides.path
    with django_capture_on_commit_callbacks(execute=True):
        services.save_recording(
            webinar=webinar,
            by=trainer,
            details=details(),
            slides=upload("New slides.pdf", PDF),
        )
    recording.refresh_from_db()
    assert recording.slides_name == "New slides.pdf"
    assert not Path(old).exists()
    assert Path(recording.slides.path).exists()


def test_switching_to_a_link_drops_the_uploaded_video(
    webinar, trainer, django_capture_on_commit_callbacks
):
    recording = uploaded_recording(webinar, trainer)
    old = recording.video.path
    with django_capture_on_commit_callbacks(execute=True):
        services.save_recording(
            webinar=webinar,
            by=trainer,
            details=details(video_url="https://video.example.org/watch/1"),
            remove_video=True,
        )
    recording.refresh_from_db()
    assert not recording.video and recording.video_type == ""
    assert not Path(old).exists()


def test_captions_cannot_be_removed_from_an_uploaded_video(webinar, trainer):
    uploaded_recording(webinar, trainer)
    with pytest.raises(RecordingError, match="needs its captions"):
        services.save_recording(
            webinar=webinar, by=trainer, details=details(), remove_captions=True
        )
    assert WebinarRecording.objects.get().captions


# Publishing and telling people -------------------------------------------------------------------


@pytest.fixture
def audience(session, trainer):
    """Who registered and attended: two with places who came, one on the waiting list, one who
    cancelled, a walk-in who attended without registering, and a closed account."""
    came, waited, cancelled, closed = (UserFactory() for _ in range(4))
    walk_in = UserFactory()
    session.capacity = 3
    session.save()
    other = UserFactory()
    register_before(session, came, other, closed, waited, cancelled)
    Registration.objects.filter(session=session, user=cancelled).update(
        status=Registration.Status.CANCELLED, cancelled_at=timezone.now()
    )
    mark(session, [came, walk_in], trainer)
    closed.is_active = False
    closed.save()
    return {
        "came": came,
        "other": other,
        "waited": waited,
        "walk_in": walk_in,
        "cancelled": cancelled,
        "closed": closed,
    }


def test_publishing_tells_everyone_registered_or_attending_once(
    webinar, trainer, audience, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    recording = linked_recording(webinar, trainer)
    with django_capture_on_commit_callbacks(execute=True):
        told = services.publish_recording(recording=recording, by=trainer)
    expected = {audience[k].email for k in ("came", "other", "waited", "walk_in")}
    assert told == 4
    assert {m.to[0] for m in mail.outbox} == expected
    message = mail.outbox[0]
    assert message.subject == "[PHSO Academy] Recording to watch: Putting things right"
    assert webinar.url + "#recording" in message.body
    assert "a transcript" in message.body
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "for you to watch again" in by_person[audience["came"].email]
    assert "because you attended a session" in by_person[audience["came"].email]
    assert "for you to watch." in by_person[audience["waited"].email]
    assert "because you registered for a session" in by_person[audience["waited"].email]
    assert RecordingNotice.objects.filter(sent_at__isnull=False).count() == 4
    entry = AuditEntry.objects.get(action="webinar_recording.published")
    assert entry.actor == trainer and entry.details == {"people_to_tell": 4}


def test_publishing_twice_is_refused_and_coming_back_tells_nobody_again(
    webinar, trainer, audience, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recording = published(linked_recording(webinar, trainer), trainer)
    with pytest.raises(RecordingError, match="published already"):
        services.publish_recording(recording=recording, by=trainer)
    with pytest.raises(RecordingError, match="Say why"):
        services.unpublish_recording(recording=recording, by=trainer, reason="  ")
    services.unpublish_recording(recording=recording, by=trainer, reason="Wrong file")
    assert AuditEntry.objects.get(action="webinar_recording.unpublished").reason == "Wrong file"
    late = UserFactory()
    Registration.objects.create(
        session=webinar.sessions.get(),
        user=late,
        status=Registration.Status.PLACE,
        placed_at=timezone.now(),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_recording(recording=recording, by=trainer) == 1
    assert [m.to for m in mail.outbox] == [[late.email]]


def test_sending_again_sends_nothing_and_nothing_goes_while_unpublished(
    webinar, trainer, audience, django_capture_on_commit_callbacks
):
    recording = linked_recording(webinar, trainer)
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_recording(recording=recording, by=trainer)
    services.unpublish_recording(recording=recording, by=trainer, reason="Checking the sound")
    mail.outbox.clear()
    assert services.send_recording_notices(recording_id=recording.pk) == 0
    assert mail.outbox == []
    WebinarRecording.objects.filter(pk=recording.pk).update(published_at=timezone.now())
    assert services.send_recording_notices(recording_id=recording.pk, batch=3) == 4
    assert services.send_recording_notices(recording_id=recording.pk) == 0
    assert len(mail.outbox) == 4


def test_the_sweep_queues_a_recording_whose_notices_never_went(
    webinar, trainer, audience, django_capture_on_commit_callbacks
):
    recording = linked_recording(webinar, trainer)
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_recording(recording=recording, by=trainer)
    mail.outbox.clear()
    assert services.sweep_unsent_emails() == 0  # within the grace period: its task may run yet
    later = timezone.now() + timedelta(minutes=settings.ACADEMY_SWEEP_GRACE_MINUTES + 1)
    assert services.sweep_unsent_emails(now=later) == 1
    assert len(mail.outbox) == 4


# Who may watch, and the files ---------------------------------------------------------------------


@pytest.fixture
def recording(webinar, trainer, session, learner):
    register_before(session, learner)
    return published(uploaded_recording(webinar, trainer), trainer)


def file_url(recording, part):
    return reverse("courses:recording_file", args=[recording.pk, part])


def test_a_registered_learner_watches_on_the_page_with_captions(client, learner, recording):
    client.force_login(learner)
    html = client.get(recording.webinar.url).content.decode()
    assert "Watch the recording" in html
    assert f'<source src="{file_url(recording, "video")}" type="video/mp4">' in html
    assert f'<track kind="captions" src="{file_url(recording, "captions")}"' in html
    assert "Slides (PDF" in html
    assert "I have watched the recording" in html


def test_who_attended_is_asked_to_watch_again(client, learner, recording, trainer):
    mark(recording.webinar.sessions.get(), [learner], trainer)
    client.force_login(learner)
    assert "Watch again" in client.get(recording.webinar.url).content.decode()


def test_people_who_may_not_watch_see_no_file_links(client, recording, other_learner):
    html = client.get(recording.webinar.url).content.decode()
    assert "Sign in to watch the recording" in html
    assert "/files/" not in html
    client.force_login(other_learner)
    html = client.get(recording.webinar.url).content.decode()
    assert "The recording is for people who registered" in html
    assert "/files/" not in html


@pytest.mark.parametrize("part", ["video", "captions", "slides"])
def test_files_are_served_only_to_those_who_may_watch(client, recording, other_learner, part):
    url = file_url(recording, part)
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(other_learner)
    assert client.get(url).status_code == 404
    WebinarRecording.objects.filter(pk=recording.pk).update(
        open_to=WebinarRecording.OpenTo.SIGNED_IN
    )
    assert client.get(url).status_code == 200


def test_an_unpublished_recording_serves_nothing_even_to_the_registered(
    client, recording, learner, trainer
):
    services.unpublish_recording(recording=recording, by=trainer, reason="Wrong file")
    client.force_login(learner)
    assert client.get(file_url(recording, "video")).status_code == 404
    assert "Watch the recording" not in client.get(recording.webinar.url).content.decode()


def test_an_unknown_part_or_a_missing_file_is_not_found(client, recording, learner):
    client.force_login(learner)
    assert client.get(file_url(recording, "secrets")).status_code == 404
    WebinarRecording.objects.filter(pk=recording.pk).update(slides="")
    assert client.get(file_url(recording, "slides")).status_code == 404


def test_the_video_is_served_by_byte_range(client, recording, learner):
    client.force_login(learner)
    url = file_url(recording, "video")
    whole = client.get(url)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "video/mp4"
    assert b"".join(whole.streaming_content) == MP4
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(MP4)}"
    assert b"".join(part.streaming_content) == MP4[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == MP4[-10:]
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(MP4) + 5}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(MP4)}"
    nonsense = client.get(url, HTTP_RANGE="pages=1-2")
    assert nonsense.status_code == 200
    assert "private" in whole["Cache-Control"]


def test_captions_and_slides_have_their_types(client, recording, learner):
    client.force_login(learner)
    captions = client.get(file_url(recording, "captions"))
    assert captions["Content-Type"] == "text/vtt; charset=utf-8"
    slides = client.get(file_url(recording, "slides"))
    assert slides["Content-Type"] == "application/pdf"
    assert "attachment" in slides["Content-Disposition"]
    assert 'filename="Remedies slides.pdf"' in slides["Content-Disposition"]


def test_the_catalogue_lists_recordings(client, recording, catalogue):
    html = client.get(catalogue.url).content.decode()
    assert "Webinar recordings" in html
    assert f"{recording.webinar.url}#recording" in html


def test_the_page_asks_the_same_queries_with_a_recording(
    client, recording, learner, django_assert_max_num_queries
):
    client.force_login(learner)
    client.get(recording.webinar.url)
    with django_assert_max_num_queries(40) as captured:
        client.get(recording.webinar.url)
    with_recording = len(captured)
    WebinarRecording.objects.filter(pk=recording.pk).update(published_at=None)
    with django_assert_max_num_queries(40) as captured:
        client.get(recording.webinar.url)
    assert with_recording - len(captured) <= 4


# Watching ---------------------------------------------------------------------------------------


def watch(client, recording):
    return client.post(reverse("courses:mark_recording_watched", args=[recording.pk]))


def test_watching_is_recorded_once(client, recording, learner):
    client.force_login(learner)
    first = watch(client, recording)
    assert first.status_code == 302 and first.url.endswith("#recording")
    watch(client, recording)
    assert WatchedRecording.objects.filter(user=learner).count() == 1
    html = client.get(recording.webinar.url).content.decode()
    assert "You told us you watched it on" in html
    assert "I have watched the recording" not in html


def test_watching_needs_leave_to_watch(client, recording, other_learner):
    client.force_login(other_learner)
    assert watch(client, recording).status_code == 404
    assert (
        client.get(reverse("courses:mark_recording_watched", args=[recording.pk])).status_code
        == 405
    )
    assert not WatchedRecording.objects.exists()


def test_watching_earns_cpd_only_where_given_and_not_on_top_of_attending(
    recording, learner, other_learner, trainer
):
    WebinarRecording.objects.filter(pk=recording.pk).update(
        watching_cpd_hours=Decimal("0.5"), open_to=WebinarRecording.OpenTo.SIGNED_IN
    )
    recording.refresh_from_db()
    services.mark_watched(recording=recording, user=learner)
    entry = CPDEntry.objects.get(learner=learner)
    assert entry.hours == Decimal("0.5")
    assert entry.activity == "Putting things right (recording)"
    mark(recording.webinar.sessions.get(), [other_learner], trainer)
    services.mark_watched(recording=recording, user=other_learner)
    assert [e.source for e in CPDEntry.objects.filter(learner=other_learner)] == [
        f"webinar-attendance:{recording.webinar.sessions.get().pk}"
    ]


def test_watching_earns_no_cpd_unless_allowed(recording, learner):
    services.mark_watched(recording=recording, user=learner)
    assert not CPDEntry.objects.filter(learner=learner).exists()


@pytest.mark.parametrize("counts", [True, False])
def test_watching_meets_webinar_assignments_only_where_it_counts(recording, trainer, counts):
    organisation = OrganisationFactory()
    person = member(organisation)
    assign(organisation, recording.webinar, kind=Assignment.Kind.WEBINAR)
    WebinarRecording.objects.filter(pk=recording.pk).update(
        counts_as_attending=counts, open_to=WebinarRecording.OpenTo.SIGNED_IN
    )
    recording.refresh_from_db()
    services.mark_watched(recording=recording, user=person)
    row = PersonalAssignment.objects.get(user=person)
    assert (row.met_at is not None) is counts
    moments = selectors.attendance_moments(user_ids=[person.pk], webinar_ids=[recording.webinar_id])
    assert len(moments) == (1 if counts else 0)


def test_what_someone_watched_is_in_their_own_download_only(recording, learner, other_learner):
    services.mark_watched(recording=recording, user=learner)
    mine = privacy.personal_data(user=learner)["webinar_recordings_watched"]
    assert [row["webinar"] for row in mine] == ["Putting things right"]
    assert privacy.personal_data(user=other_learner)["webinar_recordings_watched"] == []


def test_slides_carrying_the_test_virus_are_refused_by_the_real_scanner(webinar, trainer, clamd):
    before = stored_files()
    with pytest.raises(RecordingError, match=r"virus scanner found harmful content in it \("):
        services.save_recording(
            webinar=webinar,
            by=trainer,
            details=details(video_url="https://video.example.org/x", transcript="t"),
            slides=upload("slides.pdf", PDF + eicar()),
        )
    assert stored_files() == before
    assert not WebinarRecording.objects.exists()
    clean = services.save_recording(
        webinar=webinar,
        by=trainer,
        details=details(video_url="https://video.example.org/x", transcript="t"),
        slides=upload("slides.pdf", PDF),
    )
    assert clean.slides


def test_the_dashboard_lists_recordings_to_watch_until_watched(
    client, recording, learner, other_learner, session, catalogue, trainer
):
    client.force_login(learner)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Webinar recordings to watch" in dashboard
    assert f"{recording.webinar.url}#recording" in dashboard
    services.mark_watched(recording=recording, user=learner)
    assert "Webinar recordings to watch" not in client.get(reverse("dashboard")).content.decode()
    # Open to anyone signed in, it is in the catalogue for them, not on their dashboard.
    WebinarRecording.objects.filter(pk=recording.pk).update(
        open_to=WebinarRecording.OpenTo.SIGNED_IN
    )
    client.force_login(other_learner)
    assert "Webinar recordings to watch" not in client.get(reverse("dashboard")).content.decode()
    assert selectors.recordings_to_watch(user=other_learner) == []


def test_a_mail_server_failing_part_way_keeps_who_was_told(
    webinar, trainer, audience, django_capture_on_commit_callbacks, monkeypatch
):
    recording = linked_recording(webinar, trainer)
    with django_capture_on_commit_callbacks(execute=False):
        services.publish_recording(recording=recording, by=trainer)
    mail.outbox.clear()
    real_send = locmem.EmailBackend.send_messages

    def fails_on_the_third(self, messages):
        if len(mail.outbox) == 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, messages)

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", fails_on_the_third)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.send_recording_notices(recording_id=recording.pk)
    assert RecordingNotice.objects.filter(sent_at__isnull=False).count() == 2
    monkeypatch.setattr(locmem.EmailBackend, "send_messages", real_send)
    assert services.send_recording_notices(recording_id=recording.pk) == 2
    assert len(mail.outbox) == 4
    assert len({m.to[0] for m in mail.outbox}) == 4
