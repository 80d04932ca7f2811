import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from academy import storage

from .pages import CatalogueIndexPage, CoursePage, LessonPage, WebinarPage

__all__ = [
    "Attendance",
    "CatalogueIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "RecordingNotice",
    "Registration",
    "WatchedRecording",
    "WebinarPage",
    "WebinarRecording",
    "WebinarSession",
]


def private_storage():
    # Named in the migrations; the storage itself is looked up when first used.
    return storage.private_storage


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    last_lesson = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrolment_unique")]

    def __str__(self):
        return f"{self.user} on {self.course}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="completions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_completed_once")
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.lesson}"


LONGEST_SESSION = timedelta(hours=10)


class WebinarSession(models.Model):
    """One sitting of a webinar: when (stored in UTC, entered and shown in UK time), for how
    long, for how many people, where online and who presents.

    `uid` and `sequence` are its calendar identity: every e-mail about it carries an iCalendar
    event with this UID, and each move or cancellation raises the SEQUENCE, so a calendar
    updates the entry it has rather than adding another (RFC 5545)."""

    webinar = models.ForeignKey(WebinarPage, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(help_text="Date and time in UK time (Europe/London).")
    duration_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[
            MinValueValidator(1),
            MaxValueValidator(LONGEST_SESSION.total_seconds() // 60),
        ],
    )
    capacity = models.PositiveIntegerField(
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text="Places. When they are taken, people join the waiting list.",
    )
    meeting_url = models.URLField(
        "online meeting link",
        max_length=500,
        blank=True,
        help_text="Shown only to people with a place, from 15 minutes before the start. It can "
        "be added later; the page says it is to come.",
    )
    presenters = models.CharField(max_length=255, blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancel_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["webinar", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_has_a_place"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="session_lasts_a_minute_or_more"
            ),
        ]

    def __str__(self):
        return f"{self.webinar} – {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Registration(models.Model):
    """A person's registration for a session: a place, or a place on the waiting list (first
    come, first served by `registered_at`), until they cancel. A cancelled registration stays as
    history; registering again makes a new one."""

    class Status(models.TextChoices):
        PLACE = "place", "Has a place"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(
        WebinarSession, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_registrations"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    registered_at = models.DateTimeField(auto_now_add=True)
    placed_at = models.DateTimeField(
        null=True, blank=True, help_text="When they got a place: on registering, or from the list."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(null=True, blank=True)
    # Each e-mail about the registration is sent once: its task sets the column under a lock on
    # the row, and a sweep queues again those a broker that was down never took.
    confirmation_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the e-mail confirming the place or the place on the waiting list was sent.",
    )
    place_given_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When they were told a place came to them from the list."
    )
    cancellation_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the e-mail confirming their cancellation was sent."
    )
    told_sequence = models.PositiveIntegerField(
        default=0,
        help_text="The session's SEQUENCE in the last calendar entry they were sent: lower than "
        "the session's own means a move or cancellation they have not been told of yet.",
    )

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(status="place", placed_at__isnull=False, cancelled_at__isnull=True)
                | Q(status="waiting", cancelled_at__isnull=True)
                | Q(status="cancelled", cancelled_at__isnull=False),
                name="registration_dates_match_status",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "registered_at"])]

    def __str__(self):
        return f"{self.user} – {self.session} ({self.get_status_display()})"


class Attendance(models.Model):
    """That a person attended a session, marked in the register or matched from a meeting
    platform's attendance report. Whether or not they had registered: people do join from a
    forwarded link. One per person and session."""

    class Source(models.TextChoices):
        REGISTER = "register", "Marked in the register"
        REPORT = "report", "Attendance report"

    session = models.ForeignKey(
        WebinarSession, on_delete=models.PROTECT, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_attendances"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="From an attendance report: how long they were there."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="attended_once_per_session")
        ]

    def __str__(self):
        return f"{self.user} attended {self.session}"


class WebinarRecording(models.Model):
    """A webinar's recording, for people to watch afterwards: the video (at a link on a video
    service, or a file uploaded here), its captions (WebVTT), a transcript and the slides. One
    per webinar, whichever session it was made at. Trainers prepare it as a draft and publish it
    (courses.services.recordings): publishing tells the people registered, once.

    The uploaded files are private: they are served only to those who may watch
    (`open_to`), after that check (courses.views)."""

    class OpenTo(models.TextChoices):
        REGISTERED = "registered", "People who registered for a session or attended one"
        SIGNED_IN = "signed_in", "Anyone signed in to the Academy"

    webinar = models.OneToOneField(WebinarPage, on_delete=models.PROTECT, related_name="recording")
    session = models.ForeignKey(
        WebinarSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The session it was recorded at, if you want to say.",
    )
    video_url = models.URLField(
        "video link",
        max_length=500,
        blank=True,
        help_text="The recording's page on a video service (https), or leave empty and upload "
        "the file.",
    )
    video = models.FileField(storage=private_storage, upload_to="recordings/%Y/%m/", blank=True)
    video_type = models.CharField(max_length=20, blank=True, editable=False)
    captions = models.FileField(storage=private_storage, upload_to="recordings/%Y/%m/", blank=True)
    transcript = models.TextField(blank=True)
    slides = models.FileField(storage=private_storage, upload_to="recordings/%Y/%m/", blank=True)
    slides_name = models.CharField(max_length=200, blank=True, editable=False)
    duration_minutes = models.PositiveSmallIntegerField(
        "length (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_SESSION.total_seconds() // 60)],
    )
    open_to = models.CharField(
        "who may watch", max_length=10, choices=OpenTo.choices, default=OpenTo.REGISTERED
    )
    counts_as_attending = models.BooleanField(
        "watching counts as completing the webinar",
        default=False,
        help_text="Meets assignments of this webinar, as attending a session does. Watching "
        "never earns the certificate of attendance.",
    )
    watching_cpd_hours = models.DecimalField(
        "CPD hours for watching",
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
        help_text="0 for none. Not given to people who attended a session of this webinar: "
        "they have its CPD already.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(video_url="", video=""),
                name="recording_has_a_video",
                violation_error_message="Give the video's link, or upload the video file.",
            ),
            models.CheckConstraint(
                condition=Q(watching_cpd_hours__gte=0), name="recording_cpd_not_negative"
            ),
        ]

    def __str__(self):
        return f"Recording of {self.webinar}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RecordingNotice(models.Model):
    """That a person is to be told, or was told, that a webinar's recording is out: one per
    person and recording, so publishing again, a retried task or the sweep tells nobody twice."""

    recording = models.ForeignKey(
        WebinarRecording, on_delete=models.CASCADE, related_name="notices"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recording", "user"], name="recording_notice_once")
        ]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self):
        return f"{self.recording} for {self.user}"


class WatchedRecording(models.Model):
    """That a person says they have watched a webinar's recording (as Moodle's manual
    completion: a video on another service cannot tell us). Once per person and recording."""

    recording = models.ForeignKey(
        WebinarRecording, on_delete=models.PROTECT, related_name="watches"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watched_recordings"
    )
    watched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recording", "user"], name="recording_watched_once")
        ]

    def __str__(self):
        return f"{self.user} watched {self.recording}"
