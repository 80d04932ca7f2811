"""A webinar's recording: trainers save it (the video as a link or a file, captions, transcript,
slides) and publish it, which tells everyone who registered for a session or attended one, each
once; learners who may watch it say they have watched it, which can count as completing the
webinar and earn CPD where the trainer allows (the `webinar_recording_watched` signal).

The accessibility rules are the service's, not the form's, so no path stores a recording that
fails them: an uploaded video needs captions (WCAG 2.2, 1.2.2), and every recording needs
captions or a transcript."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from academy import audit, scanning
from academy.queueing import enqueue

from .. import emails, recording_files, selectors, signals
from ..errors import RecordingError
from ..models import Attendance, RecordingNotice, Registration, WatchedRecording, WebinarRecording

User = get_user_model()

PUBLISHED = "webinar_recording.published"
UNPUBLISHED = "webinar_recording.unpublished"
NOTICE_TASK = "courses.tasks.send_recording_notices"
NOTICE_BATCH = 200

# What a trainer sets directly on the recording; files go through their checks below.
DETAILS = (
    "session",
    "video_url",
    "transcript",
    "duration_minutes",
    "open_to",
    "counts_as_attending",
    "watching_cpd_hours",
)


def _checked(check, **kwargs):
    try:
        return check(**kwargs)
    except recording_files.Refused as exc:
        raise RecordingError(str(exc)) from None


def _check_video(upload) -> str:
    return _checked(
        recording_files.check_video,
        name=upload.name,
        stream=upload,
        size=upload.size,
        max_bytes=settings.ACADEMY_RECORDING_MAX_BYTES,
    )


def _check_captions(upload) -> None:
    limit = settings.ACADEMY_CAPTIONS_MAX_BYTES
    # Read no more than one byte past the limit: the check refuses a longer file by its size.
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    _checked(recording_files.check_captions, name=upload.name, data=data, max_bytes=limit)


def _check_slides(upload, by) -> None:
    _checked(
        recording_files.check_slides,
        name=upload.name,
        stream=upload,
        size=upload.size,
        max_bytes=settings.ACADEMY_SLIDES_MAX_BYTES,
    )
    scanning.scan_or_refuse(upload, name=upload.name, by=by, refusal=RecordingError)


def _check_rules(recording: WebinarRecording) -> None:
    if recording.video_url and urlsplit(recording.video_url).scheme != "https":
        raise RecordingError(
            "The video link must start with https://, so learners' browsers open it securely."
        )
    if not recording.video_url and not recording.video:
        raise RecordingError("Give the video's link, or upload the video file.")
    if recording.video_url and recording.video:
        raise RecordingError(
            "Give the video's link or upload the file, not both: learners would not know which "
            "to watch."
        )
    if recording.video and not recording.captions:
        raise RecordingError(
            "An uploaded video needs its captions (a WebVTT file), so that people who cannot "
            "hear it can follow it. Most meeting platforms save them with the recording."
        )
    if not recording.captions and not recording.transcript.strip():
        raise RecordingError(
            "Add captions or a transcript, so that people who cannot hear the recording can "
            "follow it. A video service's own captions do not reach learners who cannot use it."
        )
    if recording.session_id and recording.session.webinar_id != recording.webinar_id:
        raise RecordingError("Choose a session of this webinar, or none.")


@transaction.atomic
def save_recording(
    *,
    webinar,
    by,
    details: dict,
    video=None,
    captions=None,
    slides=None,
    remove_video: bool = False,
    remove_captions: bool = False,
    remove_slides: bool = False,
) -> WebinarRecording:
    """Create or change the webinar's recording from the trainer's `details` (the DETAILS
    fields) and any files uploaded. Each file is checked before anything is stored; a refusal
    raises RecordingError and changes nothing. A published recording stays published: changing
    it tells nobody again."""
    recording = WebinarRecording.objects.select_for_update().filter(
        webinar=webinar
    ).first() or WebinarRecording(webinar=webinar)
    video_type = _check_video(video) if video else None
    if captions:
        _check_captions(captions)
    if slides:
        _check_slides(slides, by)
    for field in DETAILS:
        setattr(recording, field, details[field])
    recording.transcript = recording.transcript.strip()
    replaced = []
    if video or remove_video or (recording.video_url and recording.video):
        replaced.append(recording.video.name)
        recording.video, recording.video_type = None, ""
    if captions or remove_captions:
        replaced.append(recording.captions.name)
        recording.captions = None
    if slides or remove_slides:
        replaced.append(recording.slides.name)
        recording.slides, recording.slides_name = None, ""
    if video:
        recording.video, recording.video_type = video, video_type
    if captions:
        recording.captions = captions
    if slides:
        recording.slides, recording.slides_name = slides, slides.name
    _check_rules(recording)
    try:
        recording.full_clean(exclude=["video", "captions", "slides", "webinar"])
    except ValidationError as exc:
        raise RecordingError(" ".join(exc.messages)) from None
    recording.save()
    _delete_on_commit([name for name in replaced if name])
    return recording


def _delete_on_commit(names: list[str]) -> None:
    """Files a change replaced go once it has committed: a rolled-back change keeps them."""
    storage = WebinarRecording._meta.get_field("video").storage

    def delete():
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _audience(recording: WebinarRecording):
    """The people told of a published recording: everyone with a place or on the waiting list
    for a session of the webinar (a cancelled session included: they wanted to come), and
    everyone who attended one."""
    webinar_id = recording.webinar_id
    registered = Registration.objects.filter(session__webinar_id=webinar_id).exclude(
        status=Registration.Status.CANCELLED
    )
    attended = Attendance.objects.filter(session__webinar_id=webinar_id)
    people = set(registered.values_list("user_id", flat=True)) | set(
        attended.values_list("user_id", flat=True)
    )
    # Nobody whose account is closed: the e-mail would go to an address they may have left.
    return set(User.objects.filter(pk__in=people, is_active=True).values_list("pk", flat=True))


def _not_yet_told(recording: WebinarRecording) -> set[int]:
    told = set(
        RecordingNotice.objects.filter(recording=recording).values_list("user_id", flat=True)
    )
    return _audience(recording) - told


def people_to_tell(*, recording: WebinarRecording) -> int:
    """How many people publishing the recording now would e-mail: its audience less anyone
    told when it was published before. For the trainer's confirmation page."""
    return len(_not_yet_told(recording))


@transaction.atomic
def publish_recording(*, recording: WebinarRecording, by) -> int:
    """Publish the recording on the webinar's page and tell the people registered, each once
    (a notice row each; the e-mails go from a task after the commit). Returns how many are to
    be told now."""
    recording = WebinarRecording.objects.select_for_update().get(pk=recording.pk)
    if recording.is_published:
        raise RecordingError("This recording is published already.")
    _check_rules(recording)
    recording.published_at = timezone.now()
    recording.published_by = by
    recording.save(update_fields=["published_at", "published_by", "updated_at"])
    new = [
        RecordingNotice(recording=recording, user_id=user_id)
        for user_id in sorted(_not_yet_told(recording))
    ]
    RecordingNotice.objects.bulk_create(new, ignore_conflicts=True)
    audit.record(actor=by, action=PUBLISHED, target=recording, people_to_tell=len(new))
    transaction.on_commit(lambda: enqueue(NOTICE_TASK, recording.pk))
    return len(new)


@transaction.atomic
def unpublish_recording(*, recording: WebinarRecording, by, reason: str) -> None:
    """Take the recording off the webinar's page (its files are no longer served), with a
    reason for the audit log. People already told are not told again when it comes back."""
    reason = reason.strip()
    if not reason:
        raise RecordingError("Say why the recording is being taken down, for the audit log.")
    recording = WebinarRecording.objects.select_for_update().get(pk=recording.pk)
    if not recording.is_published:
        raise RecordingError("This recording is not published.")
    recording.published_at = None
    recording.save(update_fields=["published_at", "updated_at"])
    audit.record(actor=by, action=UNPUBLISHED, target=recording, reason=reason)


def send_recording_notices(*, recording_id: int, batch: int = NOTICE_BATCH) -> int:
    """E-mail the people still to be told that the recording is out, a batch at a time, each
    batch in a transaction that locks its notices (skipping any another worker holds), so a task
    run twice or beside the sweep tells nobody twice. Nothing goes while it is unpublished.
    When the mail server fails part-way, those sent are recorded before the error is raised
    (for the task to retry the rest). Returns how many were sent."""
    sent = 0
    while True:
        failure = None
        with transaction.atomic():
            recording = (
                WebinarRecording.objects.select_related("webinar")
                .filter(pk=recording_id, published_at__isnull=False)
                .first()
            )
            if recording is None:
                return sent
            notices = list(
                RecordingNotice.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(recording=recording, sent_at__isnull=True)
                .order_by("pk")[:batch]
            )
            if not notices:
                return sent
            attended = set(
                Attendance.objects.filter(
                    session__webinar_id=recording.webinar_id,
                    user_id__in=[n.user_id for n in notices],
                ).values_list("user_id", flat=True)
            )
            told = []
            try:
                with get_connection() as connection:
                    for notice in notices:
                        message = emails.recording_message(
                            recording=recording,
                            learner=notice.user,
                            attended=notice.user_id in attended,
                        )
                        connection.send_messages([message])
                        told.append(notice.pk)
            except OSError as exc:  # smtplib's errors are OSErrors
                failure = exc
            RecordingNotice.objects.filter(pk__in=told).update(sent_at=timezone.now())
            sent += len(told)
        if failure is not None:
            raise failure


def unsent_notice_recordings(*, now=None) -> list[int]:
    """Published recordings with notices older than the grace period still unsent (the task
    never queued, or lost): the sweep queues their task again."""
    now = now or timezone.now()
    grace = now - timedelta(minutes=settings.ACADEMY_SWEEP_GRACE_MINUTES)
    return list(
        RecordingNotice.objects.filter(
            sent_at__isnull=True, created_at__lt=grace, recording__published_at__isnull=False
        )
        .order_by("recording_id")
        .values_list("recording_id", flat=True)
        .distinct()
    )


def mark_watched(*, recording: WebinarRecording, user) -> bool:
    """Record that the person watched the recording, once; True the first time. The first time
    announces it (`webinar_recording_watched`), in the same transaction."""
    if not selectors.may_watch(recording=recording, user=user):
        raise RecordingError("This recording is not open to you.")
    with transaction.atomic():
        watched, created = WatchedRecording.objects.get_or_create(recording=recording, user=user)
        if created:
            signals.webinar_recording_watched.send(
                sender=WebinarRecording,
                recording=recording,
                user=user,
                watched_at=watched.watched_at,
            )
    return created
