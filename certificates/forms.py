from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model

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
            self.learner = get_user_model().objects.get(email__iexact=email)
        except get_user_model().DoesNotExist:
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
        queryset=apps.get_model("academy", "Organisation").objects.order_by("name"),
        required=False,
        empty_label="Not an organisation",
        help_text="Or issue to every member of an organisation.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why these certificates are issued, for example the webinar they attended; "
        "kept in the audit log with each certificate.",
    )
