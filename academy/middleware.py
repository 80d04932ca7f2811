from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .services import is_staff_member


class StaffMFAMiddleware:
    """Sends staff without an authenticator to set one up before they reach the admin."""

    PROTECTED_PREFIXES = ("/admin/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ACADEMY_STAFF_MFA_REQUIRED
            and request.path.startswith(self.PROTECTED_PREFIXES)
            and request.user.is_authenticated
            and is_staff_member(request.user)
            and not request.user.authenticator_set.exists()
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
