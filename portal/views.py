from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.auth import require_admin_access
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.bulk_action import index as wagtail_bulk_action

from certificates import views as certificate_views

from . import selectors


@login_required
def dashboard(request):
    return render(request, "portal/dashboard.html", selectors.dashboard(user=request.user))


def rate_limited(request, exception):
    return render(request, "429.html", status=429)


def bad_request(request, exception):
    """Django's 400, in our design. A form too large to read is refused before any view runs
    (the CSRF check reads it first), so the credential check page is answered from here."""
    if isinstance(exception, RequestDataTooBig) and request.path == reverse(
        "certificates:check_credential"
    ):
        return certificate_views.credential_too_large(request)
    return render(request, "400.html", status=400)


@require_admin_access
def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk actions (delete, move, publish, ...) with nothing chosen.

    The listing's script adds the chosen items to the action's link; followed without any (as a
    link checker, or someone without the script, does), Wagtail answers 404. Send them back to
    the listing with a word on what to do instead.
    """
    if request.GET.getlist("id"):
        return wagtail_bulk_action(request, app_label, model_name, action)
    messages.warning(request, "Tick the items you want first, then choose the action.")
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    back = get_valid_next_url_from_request(request) or back
    return redirect(back or reverse("wagtailadmin_home"))
