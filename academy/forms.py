from django import forms
from django.template.defaultfilters import filesizeformat
from wagtail.users.forms import UserCreationForm, UserEditForm

from . import services
from .models import Organisation, RoleTier, User


class SignupDetailsForm(forms.Form):
    """The Academy's questions at sign-up, added to allauth's e-mail and password form."""

    field_order = ["full_name", "email", "organisation", "role_tier", "password1", "password2"]

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        help_text="As it should appear on your certificates.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.all(),
        empty_label="Choose your organisation",
        help_text="The organisation you work for.",
    )
    role_tier = forms.ChoiceField(
        label="Your role",
        choices=RoleTier.choices,
        widget=forms.RadioSelect,
        help_text="Which Complaint Standards audience describes your work.",
    )

    def signup(self, request, user):
        services.complete_signup(
            user=user,
            full_name=self.cleaned_data["full_name"],
            role_tier=self.cleaned_data["role_tier"],
            organisation=self.cleaned_data["organisation"],
        )


class NewConfirmationLinkForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        help_text="The address you gave when you created your account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class _AcademyUserFields:
    """Replaces Wagtail's first and last name with the one name printed on certificates."""

    first_name = None
    last_name = None
    full_name = forms.CharField(label="Full name", max_length=150)


class AcademyUserCreationForm(_AcademyUserFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = {"email", "full_name", "role_tier", "is_superuser", "groups"}


class AcademyUserEditForm(_AcademyUserFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = {"email", "full_name", "role_tier", "is_active", "is_superuser", "groups"}


class CSVUploadForm(forms.Form):
    """A CSV file, read whole as bytes for a parser, refused when it is larger than
    `max_bytes`. Subclasses set the limit, the label and help, and what to do about a file too
    large."""

    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
    max_bytes = 0
    too_large_advice = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The file is larger than {filesizeformat(self.max_bytes)}, the most one upload "
                f"may be. {self.too_large_advice}"
            )
        return upload.read()
