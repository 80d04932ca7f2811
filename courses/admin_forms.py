"""Forms behind the webinar sessions and recordings admin. Dates and times are typed as UK clock
times, whatever time zone the trainer's admin account is set to, and each form says no, with the
reason, to a time the clocks skip or show twice. The recording forms only take the trainer's
input: the rules on the files and on captions are the service's (courses.services.recordings)."""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

from academy.file_names import in_words

from . import selectors
from .models import LONGEST_SESSION, WebinarPage, WebinarRecording, WebinarSession
from .uk_time import NotOnTheClock, uk_moment, uk_parts

MOST_MINUTES = int(LONGEST_SESSION.total_seconds() // 60)


class UKTimeFields(forms.Form):
    """A date and a clock time in the UK, made into `starts_at`, which must be in the future."""

    day = forms.DateField(label="Date", widget=AdminDateInput)
    time = forms.TimeField(
        label="Start time (UK time)",
        widget=AdminTimeInput,
        help_text="As a UK clock shows it on the day, GMT or BST: 10:00 is 10:00 in London.",
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=1, max_value=MOST_MINUTES, initial=60
    )

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("day"), cleaned.get("time")
        if day and at:
            try:
                cleaned["starts_at"] = uk_moment(day, at)
            except NotOnTheClock as exc:
                self.add_error("time", str(exc))
            else:
                if cleaned["starts_at"] <= timezone.now():
                    self.add_error("day", "Choose a date and time in the future.")
        return cleaned


def _meeting_url_field() -> forms.URLField:
    field = WebinarSession._meta.get_field("meeting_url")
    return forms.URLField(
        label="Online meeting link",
        required=False,
        max_length=field.max_length,
        assume_scheme="https",
        help_text=field.help_text,
    )


class SessionCreateForm(UKTimeFields, forms.ModelForm):
    webinar = forms.ModelChoiceField(
        queryset=WebinarPage.objects.order_by("title"),
        help_text="The webinar page this is a session of (add the page under Pages first).",
    )
    meeting_url = _meeting_url_field()

    class Meta:
        model = WebinarSession
        fields = ["webinar", "capacity", "meeting_url", "presenters"]

    field_order = ["webinar", "day", "time", "duration_minutes", "capacity", "meeting_url"]


class SessionEditForm(forms.ModelForm):
    """What changes without moving the session: its places, link and presenters."""

    meeting_url = _meeting_url_field()

    class Meta:
        model = WebinarSession
        fields = ["capacity", "meeting_url", "presenters"]


class SessionMoveForm(UKTimeFields):
    reason = forms.CharField(
        label="Why it is moving",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Everyone registered is sent this with the new time.",
    )

    @classmethod
    def for_session(cls, session, data=None):
        day, at = uk_parts(session.starts_at)
        initial = {"day": day, "time": at, "duration_minutes": session.duration_minutes}
        return cls(data, initial=initial)


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why it is cancelled",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Everyone registered is sent this, and the session comes out of their calendars.",
    )


# Recordings ------------------------------------------------------------------------------------

RECORDING_FILES = ("video", "captions", "slides")


@dataclass(frozen=True)
class StoredFile:
    name: str
    url: str

    def __str__(self):
        return self.name


class StoredFileInput(forms.ClearableFileInput):
    """A file input naming the file stored now, with a box to remove it. Django's own links the
    file's public address, which a private file does not have (asking for it raises): this one
    links `file_url`, the admin's view of the file, which the form sets."""

    initial_text = "Now"
    input_text = "Replace it with"
    clear_checkbox_label = "Remove this file"
    file_url = ""

    def is_initial(self, value):
        # Only a stored file: an upload shown again after a refusal was not kept.
        return isinstance(value, FieldFile) and bool(value.name)

    def format_value(self, value):
        if self.is_initial(value):
            return StoredFile(name=PurePosixPath(value.name).name, url=self.file_url)
        return None


class SessionChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, with_webinar=False, **kwargs):
        self.with_webinar = with_webinar
        super().__init__(*args, **kwargs)

    def label_from_instance(self, session):
        day, at = uk_parts(session.starts_at)
        when = f"{day:%a %-d %b %Y}, {at:%H:%M}"
        return f"{session.webinar.title}: {when}" if self.with_webinar else when


class RecordingForm(forms.ModelForm):
    """A recording's details and files. A file field's value after cleaning says what to do:
    a new upload replaces the file, False (its "Clear" box ticked) removes it, and anything
    else keeps what is there (`file_changes`)."""

    session = SessionChoiceField(
        queryset=WebinarSession.objects.none(),
        required=False,
        label="Recorded at",
        empty_label="Not given",
        help_text="The session it was recorded at (UK time), if you want to say.",
    )
    video_url = forms.URLField(
        label="Video link",
        required=False,
        max_length=WebinarRecording._meta.get_field("video_url").max_length,
        assume_scheme="https",
    )
    # No max_length here: the service checks the name and the storage fits it to the column.
    video = forms.FileField(
        label="Video file",
        required=False,
        widget=StoredFileInput(attrs={"accept": ".mp4,.m4v,.webm,video/mp4,video/webm"}),
    )
    captions = forms.FileField(
        label="Captions",
        required=False,
        widget=StoredFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    slides = forms.FileField(
        label="Slides",
        required=False,
        widget=StoredFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    class Meta:
        model = WebinarRecording
        fields = [
            "session",
            "video_url",
            "video",
            "captions",
            "transcript",
            "slides",
            "duration_minutes",
            "open_to",
            "counts_as_attending",
            "watching_cpd_hours",
        ]
        widgets = {"transcript": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limits are read when the form is made, so a changed setting shows at once.
        video_limit = in_words(settings.ACADEMY_RECORDING_MAX_BYTES)
        captions_limit = in_words(settings.ACADEMY_CAPTIONS_MAX_BYTES)
        slides_limit = in_words(settings.ACADEMY_SLIDES_MAX_BYTES)
        fields = self.fields
        fields["video_url"].help_text = (
            "The recording's page on a video service, starting https://. Give the link or "
            "upload the file below, not both."
        )
        fields["video"].help_text = (
            f"An MP4 or WebM video of up to {video_limit}, or give its link above instead. "
            "An uploaded video needs its captions file."
        )
        fields["captions"].help_text = (
            f"A WebVTT file (.vtt) of up to {captions_limit}. Most meeting platforms save one "
            "with the recording. A recording needs captions or a transcript."
        )
        fields["transcript"].help_text = (
            "What was said, as text. A recording needs captions or a transcript: a video "
            "service's own captions do not reach everyone."
        )
        fields["slides"].help_text = f"A PDF of up to {slides_limit}, if there were slides."
        fields["session"].queryset = self.session_choices()
        if self.instance.pk:
            for name in RECORDING_FILES:
                fields[name].widget.file_url = reverse(
                    "webinar_recordings:file", args=[self.instance.pk, name]
                )

    def session_choices(self):
        return selectors.sessions_for_recording(webinar=self.instance.webinar)

    def file_changes(self) -> dict:
        """The service's file arguments: each new upload, and remove_<file> for a cleared one."""
        changes = {}
        for name in RECORDING_FILES:
            value = self.cleaned_data.get(name)
            if isinstance(value, UploadedFile):
                changes[name] = value
            elif value is False:
                changes[f"remove_{name}"] = True
        return changes

    def details(self, names) -> dict:
        return {name: self.cleaned_data[name] for name in names}


class RecordingCreateForm(RecordingForm):
    webinar = forms.ModelChoiceField(
        queryset=WebinarPage.objects.none(),
        help_text="Webinars that have no recording yet. Each webinar has one recording, "
        "whichever session it was made at.",
    )

    class Meta(RecordingForm.Meta):
        fields = ["webinar", *RecordingForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["webinar"].queryset = selectors.webinars_without_recording()
        self.fields["session"].with_webinar = True
        self.fields["session"].help_text += " It must be a session of the webinar chosen above."

    def session_choices(self):
        return selectors.sessions_for_recording()


class RecordingUnpublishForm(forms.Form):
    reason = forms.CharField(
        label="Why it is being taken down",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="For the audit log. Learners are not sent this.",
    )
