import json

from django import forms
from django.core.exceptions import ObjectDoesNotExist

from academy import selectors as people
from courses.models import CoursePage

from .models import Award


class IssueCertificateForm(forms.Form):
    email = forms.EmailField(label="Learner's e-mail address")
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.live().order_by("title"), empty_label="Choose a course"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this certificate is issued by hand; kept in the audit log.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        try:
            self.learner = people.users_with_email(email=email).get()
        except ObjectDoesNotExist:
            raise forms.ValidationError("No learner has this e-mail address.") from None
        return email


class _ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you are doing this; kept in the audit log with your name and the time.",
    )


class RevokeForm(_ReasonForm):
    public_reason = forms.CharField(
        label="Reason shown on the verification page",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anyone who checks the certificate sees this. Do not include private details.",
    )


class SuspendForm(_ReasonForm):
    public_reason = forms.CharField(
        label="Reason shown on the verification page (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anyone who checks the certificate sees this. Do not include private details.",
    )


class ReinstateForm(_ReasonForm):
    pass


class CorrectNameForm(_ReasonForm):
    new_name = forms.CharField(
        label="Corrected name",
        max_length=150,
        help_text="The certificate is replaced by a new one with this name and a new code; the "
        "old code's page points to the new one.",
    )
    field_order = ["new_name", "reason"]


class BulkIssueForm(forms.Form):
    award = forms.ModelChoiceField(
        queryset=Award.objects.order_by("title"), empty_label="Choose an award"
    )
    emails = forms.CharField(
        label="Learners' e-mail addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One a line, or separated by commas. Leave empty to choose an organisation.",
    )
    organisation = forms.ModelChoiceField(
        queryset=people.organisations(),
        required=False,
        empty_label="Not an organisation",
        help_text="Or issue to every member of an organisation.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why these certificates are issued, for example the webinar they attended; "
        "kept in the audit log with each certificate.",
    )


class CredentialCheckForm(forms.Form):
    """A credential file to check, uploaded or pasted; `document` is the parsed JSON."""

    file = forms.FileField(
        label="Upload a credential file",
        required=False,
        help_text="The .json file the learner gave you or downloaded from the Academy.",
    )
    text = forms.CharField(
        label="Or paste the credential",
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Everything from the first { to the last }.",
    )

    def __init__(self, *args, max_bytes: int, request_too_large: bool = False, **kwargs):
        """`request_too_large`: the request was refused before its fields could be read (a
        pasted credential beyond DATA_UPLOAD_MAX_MEMORY_SIZE); the form says so as it does for a
        large file."""
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.request_too_large = request_too_large

    def _too_large(self) -> str:
        return (
            f"The credential is larger than {self.max_bytes // 1024} KB, so it is not one the "
            "Academy issued."
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self._too_large())
        data = upload.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not text: choose the credential's .json file."
            ) from None

    def clean_text(self):
        text = self.cleaned_data.get("text", "")
        if len(text.encode()) > self.max_bytes:
            raise forms.ValidationError(self._too_large())
        return text

    def clean(self):
        cleaned = super().clean()
        if self.request_too_large:
            self.add_error("text", self._too_large())
        if self.errors:
            return cleaned
        uploaded, pasted = cleaned.get("file"), cleaned.get("text")
        if uploaded and pasted:
            raise forms.ValidationError("Upload a file or paste the credential, not both.")
        if not uploaded and not pasted:
            self.add_error("file", "Choose a credential file, or paste the credential below.")
            return cleaned
        field = "file" if uploaded else "text"
        try:
            self.document = json.loads(uploaded or pasted)
        except RecursionError:
            self.add_error(field, "This is nested too deeply to be a credential.")
            return cleaned
        except ValueError as exc:
            where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
            self.add_error(field, f"This is not valid JSON{where}: {getattr(exc, 'msg', exc)}.")
            return cleaned
        if not isinstance(self.document, dict):
            self.add_error(field, "This is JSON, but not a credential: a credential is an object.")
        return cleaned
