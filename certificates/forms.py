from django import forms
from django.contrib.auth import get_user_model

from courses.models import CoursePage


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
