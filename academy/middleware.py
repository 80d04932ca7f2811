from csp.middleware import CSPMiddleware
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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with two departures from the site's one policy.

    - On the admin's paths, ACADEMY_CSP_ADMIN_DIRECTIVES replace the site's: Wagtail's admin
      writes inline scripts and styles that the learner site never needs to allow.
    - A response that may be framed by its own site (X-Frame-Options: SAMEORIGIN, as Wagtail's
      preview sets) says frame-ancestors 'self', not 'none': browsers that honour the policy
      ignore X-Frame-Options, so the two must agree."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        replace = {}
        if request.path_info.startswith(settings.ACADEMY_CSP_ADMIN_PREFIXES):
            replace.update(settings.ACADEMY_CSP_ADMIN_DIRECTIVES)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            replace["frame-ancestors"] = ["'self'"]
        if replace:
            # A view's own csp_replace still has the last word.
            parts.replace = {**replace, **(parts.replace or {})}
        return parts
