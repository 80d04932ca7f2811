from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from academy import services as people_services
from academy.models import RoleTier

from . import services
from .invitation_file import check_person


class InviteForm(forms.Form):
    """One person to invite: the same checks as each line of a CSV file."""

    email = forms.CharField(
        label="E-mail address",
        max_length=320,
        help_text="Their work address. The invitation goes there, and they join with it.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        help_text="As they would want it on their certificates; they can change it later.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role_tier = forms.ChoiceField(
        label="Role tier",
        choices=RoleTier.choices,
        widget=forms.RadioSelect,
        help_text="Their Complaint Standards audience: training you assign by tier follows it.",
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        values, problems = check_person(
            email=cleaned["email"], full_name=cleaned["full_name"], role_tier=cleaned["role_tier"]
        )
        for field, problem in problems:
            self.add_error(field, f"{problem[0].upper()}{problem[1:]}.")
        return {**cleaned, **values}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"Up to {settings.ORGANISATION_INVITATION_MAX_ROWS:,} people and "
            f"{filesizeformat(settings.ORGANISATION_INVITATION_MAX_BYTES)}, saved as CSV UTF-8."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ORGANISATION_INVITATION_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is larger than {filesizeformat(limit)}, the most one upload may be. "
                "Split it into smaller files and upload each."
            )
        return upload.read()


class InvitationSignupForm(SignupForm):
    """allauth's sign-up form for someone invited: the address is the invited one and cannot be
    changed, and the invitation's organisation and tier replace the questions about them."""

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]
        del self.fields["role_tier"]
        email = self.fields["email"]
        email.initial = invitation.email
        email.disabled = True
        email.help_text = "The address your invitation was sent to. You sign in with it."
        self.fields["full_name"].initial = invitation.full_name

    def signup(self, request, user):
        people_services.complete_signup(
            user=user,
            full_name=self.cleaned_data["full_name"],
            role_tier=self.invitation.role_tier,
            organisation=self.invitation.organisation,
        )
        services.accept_invitation(invitation=self.invitation, user=user)
