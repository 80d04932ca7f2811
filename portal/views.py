from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.urls import reverse

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
