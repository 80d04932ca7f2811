"""The forms of a session's register in the admin: someone who came without registering, the
reason for removing attendance, and an attendance report to import."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from academy.forms import CSVUploadForm


class WalkInForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address of their Academy account",
        help_text="Someone who attended without registering. They need an account already.",
    )


class RemoveAttendanceForm(forms.Form):
    reason = forms.CharField(
        label="Why are you removing it?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit log, with who marked them and when.",
    )


class AttendanceReportForm(CSVUploadForm):
    too_large_advice = "Check that it is the attendance report of one session."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = settings.ACADEMY_ATTENDANCE_MAX_UPLOAD_BYTES
        self.fields["file"].label = "Attendance report"
        self.fields["file"].help_text = (
            "The CSV file Microsoft Teams or Zoom saves, as it is: up to "
            f"{settings.ACADEMY_ATTENDANCE_MAX_ROWS:,} rows of participants and "
            f"{filesizeformat(self.max_bytes)}."
        )
