from django.http import Http404

from . import codes
from .models import Certificate


def by_code(text: str) -> Certificate:
    """The certificate for a code as a person typed it, or 404 for unknown or malformed codes."""
    code = codes.normalise(text)
    if code is None:
        raise Http404("No certificate with this code.")
    try:
        return Certificate.objects.select_related("award").get(code=code)
    except Certificate.DoesNotExist:
        raise Http404("No certificate with this code.") from None


def for_learner(*, user):
    return Certificate.objects.filter(learner=user).select_related("award").order_by("-issued_at")


def can_download(*, user, certificate: Certificate) -> bool:
    return user.is_authenticated and (
        certificate.learner_id == user.pk or user.has_perm("certificates.view_certificate")
    )
