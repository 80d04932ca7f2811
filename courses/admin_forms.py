"""Forms behind the webinar sessions admin. Dates and times are typed as UK clock times, whatever
time zone the trainer's admin account is set to, and each form says no, with the reason, to a
time the clocks skip or show twice."""

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

from .models import LONGEST_SESSION, WebinarPage, WebinarSession
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
