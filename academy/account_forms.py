"""allauth's sign-in and new-password forms in the Academy's words. Apart from academy.forms,
which allauth imports (ACCOUNT_SIGNUP_FORM_CLASS) while its own forms module is loading, so that
module cannot import allauth's forms."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, with one way to a password reset (the page's own link under the
    form) rather than a second one in the password's hint."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        self.fields["remember"].label = "Keep me signed in on this device"


class ResetPasswordKeyForm(AllauthResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "New password"
        self.fields["password2"].label = "New password again"
