from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse

from .selectors import is_staff_member


class StaffAreaMiddleware:
    """Keeps the admin to staff, and staff to MFA there.

    Someone signed in who is not staff gets a page that says the admin is for staff. Wagtail would
    send them to the sign-in page, which, as they are signed in already, sends them back to the
    admin, for ever. Staff without an authenticator are sent to set one up first."""

    PROTECTED_PREFIXES = ("/admin/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.PROTECTED_PREFIXES) and request.user.is_authenticated:
            if not is_staff_member(request.user):
                return render(request, "academy/staff_only.html", status=403)
            if settings.ACADEMY_STAFF_MFA_REQUIRED and not request.user.authenticator_set.exists():
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
